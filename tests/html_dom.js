// Checks a DOM dumped by headless Chromium (--dump-dom) against the JSON
// report of the same run. Usage: node html_dom.js DOM JSON NAME
'use strict';
const fs = require('fs');
const [domFile, jsonFile, name] = process.argv.slice(2);
const dom = fs.readFileSync(domFile, 'utf8');
const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
let failures = 0;
function fail(msg) {
  if (failures++ < 20) console.error(`html-dom ${name}: ${msg}`);
}
function expectEqual(got, want, what) {
  if (got !== want) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
// Text of an element's content as the browser serialised it (tags dropped,
// entities decoded).
function text(html) {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&').trim();
}
function attr(v) {
  return v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
// The text report rounds minutes to 0.1 and drops ".0".
function minutes(v) {
  const r = Math.round(v * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

// Nothing loaded from elsewhere, no script.
if (/<script/i.test(dom)) fail('the page holds a <script> element');
if (/<(link|img|iframe|object|embed)\b/i.test(dom)) fail('the page loads an external resource');
if (/(src|href)\s*=\s*"(https?:)?\/\//i.test(dom)) fail('the page refers to the network');
if (/url\(\s*['"]?(https?:)?\/\//i.test(dom)) fail('the CSS refers to the network');

// Headline figures.
for (const [id, key] of [['n-classes', 'classes'], ['n-class-days', 'class_days'],
                         ['n-breaches', 'breaches'], ['n-errors', 'errors'],
                         ['n-warnings', 'warnings']]) {
  const m = dom.match(new RegExp(`id="${id}"[^>]*><div class="num">([0-9]+)`));
  if (!m) fail(`no headline figure #${id}`);
  else expectEqual(Number(m[1]), report.summary[key], `headline #${id}`);
}

// One chart per class in breach (the 100 with the most breaches, when there
// are more), each an inline <svg class="chart"> with a cap line.
const MAX_CHARTS = 100;
const MAX_FINDINGS_SHOWN = 1000;
const label = (f) => (f.school ? `${f.school} ` : '') + f.class;
const inBreach = [...new Set(report.findings.filter((f) => f.severity === 'error').map(label))];
const breachesOf = (cls) => report.findings.filter((f) => f.severity === 'error' && label(f) === cls).length;
const figures = [...dom.matchAll(/<figure class="chart" data-class="([^"]*)" data-breaches="(\d+)">([\s\S]*?)<\/figure>/g)];
const nCharts = Math.min(inBreach.length, MAX_CHARTS);
expectEqual(figures.length, nCharts, 'charts (one per class in breach)');
expectEqual((dom.match(/<svg class="chart"/g) || []).length, nCharts, '<svg class="chart"> elements');
const charted = figures.map((m) => attr(m[1])).sort();
if (inBreach.length <= MAX_CHARTS) {
  expectEqual(JSON.stringify(charted), JSON.stringify([...inBreach].sort()), 'classes charted');
} else {
  const fewest = Math.min(...charted.map(breachesOf));
  const left = inBreach.filter((c) => !charted.includes(c));
  expectEqual(left.length, inBreach.length - MAX_CHARTS, 'classes left out of the charts');
  if (left.some((c) => breachesOf(c) > fewest)) fail('a class left out has more breaches than one charted');
  if (!dom.includes(`${inBreach.length - MAX_CHARTS} more classes`) && !dom.includes(`另有 ${inBreach.length - MAX_CHARTS} 个`))
    fail('no note of the classes not charted');
}
for (const m of figures) {
  const cls = attr(m[1]);
  const want = breachesOf(cls);
  expectEqual(Number(m[2]), want, `breaches of ${cls}`);
  if ((m[3].match(/<svg/g) || []).length !== 1) fail(`${cls}: not exactly one svg`);
  if (!/<line class="cap"/.test(m[3])) fail(`${cls}: no cap line`);
  if (!/<rect /.test(m[3])) fail(`${cls}: no bars`);
}

// The findings table, row by row, against the JSON findings.
const rows = [...dom.matchAll(/<tr class="finding (error|warning)" data-rule="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)];
// (the first 1,000, when there are more, and a note of the others)
expectEqual(rows.length, Math.min(report.findings.length, MAX_FINDINGS_SHOWN), 'rows in the findings table');
if (report.findings.length > MAX_FINDINGS_SHOWN && !/<p class="note more">[^<]*\b\d+ more findings|另有 \d+ 条记录/.test(dom))
  fail('no note of the findings not shown');
rows.forEach((m, i) => {
  const f = report.findings[i];
  if (!f) return;
  const where = `finding ${i + 1}`;
  expectEqual(m[1], f.severity, `${where} severity`);
  expectEqual(m[2], f.rule, `${where} rule`);
  const cells = [...m[3].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]);
  expectEqual(text(cells[1]), (f.school || '') + f.class, `${where} class`);
  expectEqual(Number(text(cells[2])), f.grade, `${where} grade`);
  expectEqual(text(cells[3]), f.date || f.week, `${where} date`);
  expectEqual(text(cells[5]), minutes(f.minutes), `${where} minutes`);
  expectEqual(text(cells[6]), f.limit === null ? '–' : minutes(f.limit), `${where} cap`);
  const shown = [...cells[8].matchAll(/data-min="([^"]*)"/g)].map((r) => r[1]);
  expectEqual(shown.join(' '), f.rows.map((r) => minutes(r.minutes)).join(' '), `${where} rows' minutes`);
  const lines = [...cells[8].matchAll(/class="ln">:(\d+)</g)].map((r) => Number(r[1]));
  expectEqual(lines.join(' '), f.rows.map((r) => r.line).join(' '), `${where} rows' lines`);
});

if (failures) process.exit(1);
console.log(`html-dom ${name}: ${figures.length} chart(s), ${rows.length} finding(s) match`);
