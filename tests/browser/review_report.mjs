// Loads `gatehouse review --format html` in Debian's headless chromium and checks
// what a reviewer sees: every grant with its last use, uses and recommendation,
// the user filter, the recommendation filter, "unused only", and no network request.
//
// usage: node review_report.mjs REPORT.html REVIEW.json USER
//   REVIEW.json is `gatehouse review --format json` of the same review (with a
//   source of events); USER is typed into the filter (must match some rows, not all).
// Exit 0 pass, 1 fail.
import fs from 'node:fs';
import { checkReport } from './report_page.mjs';

const [reportPath, jsonPath, filterUser] = process.argv.slice(2);
if (!reportPath || !jsonPath || !filterUser) {
  console.error('usage: node review_report.mjs REPORT.html REVIEW.json USER');
  process.exit(1);
}
const expected = JSON.parse(fs.readFileSync(jsonPath, 'utf8')).entries;
const accountLabel = (e) => (e.account_name ? `${e.account_name} (${e.account_id})` : e.account_id);
const visibleRows = (page) => page.$$eval('#review tbody tr', (trs) =>
  trs.filter((tr) => tr.offsetParent !== null).map((tr) => ({ user: tr.dataset.user, uses: tr.dataset.uses,
    rec: tr.dataset.recommendation })));

await checkReport(reportPath, async (page, check) => {
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

}, `ok: ${expected.length} grants, user filter, unused only, recommendation filter, no network requests`);
