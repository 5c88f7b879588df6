// Loads `gatehouse access --format html` in Debian's headless chromium and checks
// what a reviewer sees: every row of the matrix, the user filter hiding other
// users' rows, privileged rows marked, and no network request at all.
//
// usage: node access_report.mjs REPORT.html ACCESS.json USER
//   ACCESS.json is `gatehouse access --format json` of the same state;
//   USER is the user to type into the filter (must have fewer rows than all).
// Exit 0 pass, 1 fail.
import fs from 'node:fs';
import { checkReport } from './report_page.mjs';

const [reportPath, jsonPath, filterUser] = process.argv.slice(2);
if (!reportPath || !jsonPath || !filterUser) {
  console.error('usage: node access_report.mjs REPORT.html ACCESS.json USER');
  process.exit(1);
}
const expected = JSON.parse(fs.readFileSync(jsonPath, 'utf8')).access;
const privileged = (p) => p === 'admin' || p === 'permissions-management';
const accountLabel = (e) => (e.account_name ? `${e.account_name} (${e.account_id})` : e.account_id);

await checkReport(reportPath, async (page, check) => {
  // Every row, in order, with the values of the JSON matrix.
  const rows = await page.$$eval('#access tbody tr', (trs) =>
    trs.map((tr) => ({
      cells: [...tr.cells].map((td) => td.textContent),
      privileged: tr.classList.contains('privileged'),
      badge: tr.querySelector('.badge') !== null,
      visible: tr.offsetParent !== null,
    })),
  );
  check(rows.length === expected.length, `expected ${expected.length} rows, saw ${rows.length}`);
  expected.forEach((e, i) => {
    const r = rows[i];
    if (!r) return;
    check(r.cells[0] === e.user, `row ${i}: user ${r.cells[0]} != ${e.user}`);
    check(r.cells[1] === accountLabel(e), `row ${i}: account ${r.cells[1]} != ${accountLabel(e)}`);
    check(r.cells[2] === e.permission_set, `row ${i}: permission set ${r.cells[2]} != ${e.permission_set}`);
    check(r.cells[3] === e.via.join(', '), `row ${i}: via ${r.cells[3]} != ${e.via.join(', ')}`);
    check(r.visible, `row ${i} is hidden before any filter`);
    const want = privileged(e.privilege);
    check(r.privileged === want && r.badge === want,
          `row ${i} (${e.user} ${e.permission_set}): privileged marking ${r.privileged}/${r.badge}, expected ${want}`);
  });
  const total = expected.length;
  check((await page.textContent('#count')) === `${total} of ${total} rows shown`, 'row count line before filtering');

  // Typing a user hides every other user's rows.
  await page.click('#f-user');
  await page.keyboard.type(filterUser);
  const shown = await page.$$eval('#access tbody tr', (trs) =>
    trs.filter((tr) => tr.offsetParent !== null).map((tr) => tr.dataset.user));
  const wanted = expected.filter((e) => e.user.toLowerCase().includes(filterUser.toLowerCase()));
  check(wanted.length > 0 && wanted.length < total, `filter user ${filterUser} must match some rows, not all`);
  check(shown.length === wanted.length, `after typing ${filterUser}: ${shown.length} rows visible, expected ${wanted.length}`);
  check(shown.every((u) => u.toLowerCase().includes(filterUser.toLowerCase())),
        `after typing ${filterUser}: other users visible: ${shown.join(', ')}`);
  check((await page.textContent('#count')) === `${wanted.length} of ${total} rows shown`, 'row count line after filtering');

  // Clearing the filter and ticking "privileged only" leaves the privileged rows.
  await page.fill('#f-user', '');
  await page.check('#f-privileged');
  const privRows = await page.$$eval('#access tbody tr', (trs) =>
    trs.filter((tr) => tr.offsetParent !== null).map((tr) => tr.classList.contains('privileged')));
  check(privRows.length === expected.filter((e) => privileged(e.privilege)).length,
        `privileged only: ${privRows.length} rows visible`);
  check(privRows.every(Boolean), 'privileged only: an unprivileged row is visible');

}, `ok: ${expected.length} rows, user filter, privileged marking, no network requests`);
