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

// One chart per class in breach, each an inline <svg class="chart"> with a cap line.
const label = (f) => (f.school ? `${f.school} ` : '') + f.class;
const inBreach = [...new Set(report.findings.filter((f) => f.severity === 'error').map(label))];
const figures = [...dom.matchAll(/<figure class="chart" data-class="([^"]*)" data-breaches="(\d+)">([\s\S]*?)<\/figure>/g)];
expectEqual(figures.length, inBreach.length, 'charts (one per class in breach)');
expectEqual((dom.match(/<svg class="chart"/g) || []).length, inBreach.length, '<svg class="chart"> elements');
const charted = figures.map((m) => attr(m[1])).sort();
expectEqual(JSON.stringify(charted), JSON.stringify([...inBreach].sort()), 'classes charted');
for (const m of figures) {
  const cls = attr(m[1]);
  const want = report.findings.filter((f) => f.severity === 'error' && label(f) === cls).length;
  expectEqual(Number(m[2]), want, `breaches of ${cls}`);
  if ((m[3].match(/<svg/g) || []).length !== 1) fail(`${cls}: not exactly one svg`);
  if (!/<line class="cap"/.test(m[3])) fail(`${cls}: no cap line`);
  if (!/<rect /.test(m[3])) fail(`${cls}: no bars`);
}

// The findings table, row by row, against the JSON findings.
const rows = [...dom.matchAll(/<tr class="finding (error|warning)" data-rule="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)];
expectEqual(rows.length, report.findings.length, 'rows in the findings table');
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
