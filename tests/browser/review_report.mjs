// Loads `gatehouse review --format html` in Debian's headless chromium and checks
// what a reviewer sees: every grant with its last use, uses and recommendation,
// the user filter, the recommendation filter, "unused only", and no network request.
//
// usage: node review_report.mjs REPORT.html REVIEW.json USER
//   REVIEW.json is `gatehouse review --format json` of the same review (with a
//   source of events); USER is typed into the filter (must match some rows, not all).
// Exit 0 pass, 1 fail.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [reportPath, jsonPath, filterUser] = process.argv.slice(2);
if (!reportPath || !jsonPath || !filterUser) {
  console.error('usage: node review_report.mjs REPORT.html REVIEW.json USER');
  process.exit(1);
}
const expected = JSON.parse(fs.readFileSync(jsonPath, 'utf8')).entries;
const accountLabel = (e) => (e.account_name ? `${e.account_name} (${e.account_id})` : e.account_id);
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };
const visibleRows = (page) => page.$$eval('#review tbody tr', (trs) =>
  trs.filter((tr) => tr.offsetParent !== null).map((tr) => ({ user: tr.dataset.user, uses: tr.dataset.uses,
    rec: tr.dataset.recommendation })));

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

  const rows = await page.$$eval('#review tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  check(rows.length === expected.length, `expected ${expected.length} rows, saw ${rows.length}`);
  expected.forEach((e, i) => {
    const c = rows[i];
    if (!c) return;
    const want = [e.user, accountLabel(e), e.permission_set, e.via.join(', '), e.last_used ?? 'never', String(e.uses)];
    want.forEach((w, j) => check(c[j] === w, `row ${i} cell ${j}: '${c[j]}' != '${w}'`));
    check(c[7] === (e.recommendation ?? '-'), `row ${i}: recommendation '${c[7]}' != '${e.recommendation}'`);
    if (e.granted) check(c[6].includes(e.granted.commit.slice(0, 7)), `row ${i}: granted '${c[6]}' lacks the commit`);
  });
  const total = expected.length;
  check((await page.textContent('#count')) === `${total} of ${total} grants shown`, 'count line before filtering');

  await page.click('#f-user');
  await page.keyboard.type(filterUser);
  const wanted = expected.filter((e) => e.user.toLowerCase().includes(filterUser.toLowerCase()));
  let shown = await visibleRows(page);
  check(wanted.length > 0 && wanted.length < total, `filter ${filterUser} must match some rows, not all`);
  check(shown.length === wanted.length && shown.every((r) => r.user.includes(filterUser)),
        `user filter: ${shown.length} rows visible, expected ${wanted.length}`);

  await page.fill('#f-user', '');
  await page.check('#f-unused');
  shown = await visibleRows(page);
  const unused = expected.filter((e) => e.uses === 0);
  check(unused.length > 0 && shown.length === unused.length && shown.every((r) => r.uses === '0'),
        `unused only: ${shown.length} rows visible, expected ${unused.length}`);

  await page.uncheck('#f-unused');
  await page.selectOption('#f-recommendation', 'too-new');
  shown = await visibleRows(page);
  const tooNew = expected.filter((e) => e.recommendation === 'too-new');
  check(shown.length === tooNew.length && shown.every((r) => r.rec === 'too-new'),
        `recommendation too-new: ${shown.length} rows visible, expected ${tooNew.length}`);

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
console.log(`ok: ${expected.length} grants, user filter, unused only, recommendation filter, no network requests`);
