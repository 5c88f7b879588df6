// What the report checks share: open a self-contained HTML report in Debian's
// headless chromium (a fresh profile, no network), run `body(page, check)`, then
// fail on any network request beyond the page itself, any page or console error,
// or any failed check, and exit with the verdict.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function checkReport(reportPath, body, okMessage) {
  const failures = [];
  const check = (ok, message) => { if (!ok) failures.push(message); };
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const url = pathToFileURL(path.resolve(reportPath)).href;
    const requests = [];
    const problems = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    await page.goto(url, { waitUntil: 'load' });
    await body(page, check);
    const others = requests.filter((r) => r !== url);
    check(others.length === 0, `network requests made: ${others.join(', ')}`);
    check(problems.length === 0, problems.join('; '));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length) {
    for (const f of failures) console.error(`FAIL: ${f}`);
    process.exit(1);
  }
  console.log(okMessage);
}
