// The check a data-minded user would write in DuckDB: group by class and
// date, then the three rules of the default policy. Writes the breaches as
// CSV (rule,school,class,key) to OUT. Usage: node duck.mjs FILE OUT THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [file, out, threads] = process.argv.slice(2);
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const sql = `
COPY (
  WITH r AS (
    SELECT "学校" AS school, "班级" AS cls, CAST("年级" AS INTEGER) AS grade,
           CAST("日期" AS DATE) AS d, CAST("预计时长" AS DOUBLE) AS m,
           coalesce(trim("作业类型"), '') NOT IN ('口头', '口头作业', '实践', '实践作业', '阅读',
             '阅读作业', '体育', '体育作业', '劳动', '劳动作业', '其他', '其它', '非书面', '非书面作业')
             AS written
    FROM read_csv(${q(file)}, header = true, all_varchar = true, delim = ',', quote = '"',
                  escape = '"')
  ),
  day AS (
    SELECT school, cls, first(grade) AS grade, d,
           sum(CASE WHEN written THEN m ELSE 0 END) AS w
    FROM r GROUP BY school, cls, d
  )
  SELECT 'no-written' AS rule, school, cls, strftime(d, '%Y-%m-%d') AS k
    FROM day WHERE grade BETWEEN 1 AND 2 AND w > 0
  UNION ALL
  SELECT 'daily-cap', school, cls, strftime(d, '%Y-%m-%d')
    FROM day WHERE (grade BETWEEN 3 AND 4 AND w > 30) OR (grade BETWEEN 5 AND 6 AND w > 60)
  UNION ALL
  SELECT 'weekly-average', school, cls,
         CAST(isoyear(d) AS VARCHAR) || '-W' || lpad(CAST(week(d) AS VARCHAR), 2, '0')
    FROM day WHERE grade BETWEEN 7 AND 9
    GROUP BY school, cls, isoyear(d), week(d) HAVING avg(w) > 90
) TO ${q(out)} (HEADER false);
`;
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const con = await instance.connect();
await con.run(sql);
