// Checks that hwcheck (its JSON report) and DuckDB (duck.mjs's CSV) found the
// same breaches. Usage: node compare.mjs HWCHECK.json DUCK.csv
import { readFileSync } from 'node:fs';

const [hwPath, duckPath] = process.argv.slice(2);
const hw = JSON.parse(readFileSync(hwPath, 'utf8'));
const a = hw.findings
  .filter((f) => f.severity === 'error')
  .map((f) => [f.rule, f.school ?? '', f.class, f.date ?? f.week].join('\t'));
const b = readFileSync(duckPath, 'utf8')
  .split('\n')
  .filter((l) => l.length)
  .map((l) => l.split(',').join('\t'));
a.sort();
b.sort();
const same = a.length === b.length && a.every((x, i) => x === b[i]);
if (!same) {
  const sb = new Set(b);
  const sa = new Set(a);
  console.error(`breaches differ: hwcheck ${a.length}, DuckDB ${b.length}`);
  console.error('only hwcheck:', a.filter((x) => !sb.has(x)).slice(0, 5));
  console.error('only DuckDB:', b.filter((x) => !sa.has(x)).slice(0, 5));
  process.exit(1);
}
console.log(`same breaches: ${a.length} (hwcheck ${hw.summary.rows} rows, ${hw.summary.class_days} class-days)`);
