import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededContext, dialects, importText, type TestContext } from '../../../testing/harness.js';
import { factBuilder } from '../../catalogue/facts.js';
import { FACT_COLUMNS } from '../../catalogue/facts.js';
import { makeResidentId } from '../resident-id.js';
import { findDepartment } from './departments.js';
import { ownedColumns } from './facts.js';

// A person fact read from a department file is one declaration (register/sources/facts.ts, `owns`):
// its column exists after start-up, its department's file carries it, the run reads it.
describe.each(dialects)('facts that own a register column (%s)', (dialect) => {
  let ctx: TestContext;
  const owned = ownedColumns();
  const ids = { a: makeResidentId('990101', '1941-03-04', 1, 'F'), b: makeResidentId('990101', '1941-03-04', 2, 'M') };

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const village = ctx.regions.all().find((r) => r.level === 'village')!.code;
    const ps = await importText(
      ctx,
      'public_security',
      ['身份证号,姓名,村（社区）代码', `${ids.a},赵秀兰,${village}`, `${ids.b},钱国强,${village}`].join('\n'),
    );
    expect(ps).toMatchObject({ status: 'applied', created: 2 });
  }, 60_000);
  afterAll(async () => ctx?.cleanup());

  it.each(owned.map((o) => [o.fact.name, o] as const))('%s: column, department file, import and fact', async (_name, { column, fact }) => {
    expect(FACT_COLUMNS).toContain(column.name);
    const dept = findDepartment(column.department)!;
    expect(dept.columns.find((c) => c.field === fact.name)?.headers).toEqual(column.headers);
    // person a: the department says 是 (and 无 in the file's other required columns); person b: it says nothing
    const required = dept.columns.filter((c) => c.required && !['idNumber', 'name'].includes(c.field)).map((c) => c.headers[0]!);
    const res = await importText(
      ctx,
      column.department,
      [['身份证号', '姓名', ...required, column.headers[0]].join(','), [ids.a, '赵秀兰', ...required.map(() => '无'), '是'].join(',')].join('\n'),
    );
    expect(res.status).toBe('applied');
    const rows = await sql<Record<string, unknown>>`select * from persons order by id`.execute(ctx.db);
    const [a, b] = rows.rows;
    expect(a![column.name]).toBe(1);
    expect(b![column.name]).toBeNull();
    const build = factBuilder('2026-01', () => false);
    expect(build(a!)[fact.name]).toBe(true);
    // NULL: unknown for a fact declared so, otherwise "not known to be" (false)
    expect(build(b!)[fact.name]).toBe(fact.unknown ? null : false);
  });
});
