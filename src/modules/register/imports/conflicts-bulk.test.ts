import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, createSeededContext, dialects, importText, userScope, type TestContext } from '../../../testing/harness.js';
import { makeResidentId } from '../resident-id.js';
import { conflictSummary, resolveAll } from './conflicts-bulk.js';
import { nowIso } from '../../../platform/time.js';

/**
 * Four people registered by household registration, three in 城关街道 (town1's) and one in another
 * town; civil affairs spells three names differently and medical insurance one: four open
 * conflicts, three of them in town1's region.
 */
async function setup(dialect: (typeof dialects)[number]) {
  const ctx = await createSeededContext(dialect);
  const town1 = await userScope(ctx, 'town1');
  const villages = ctx.regions.all().filter((r) => r.level === 'village');
  const mine = villages.filter((v) => v.code.startsWith(town1.regionPrefix));
  const other = villages.find((v) => !v.code.startsWith(town1.regionPrefix))!;
  const id = (n: number) => makeResidentId('990101', `1940-01-0${n}`, n, 'M');
  const people = [
    { id: id(1), name: '张桂兰', region: mine[0]!.code },
    { id: id(2), name: '李秀英', region: mine[1]!.code },
    { id: id(3), name: '王淑珍', region: mine[0]!.code },
    { id: id(4), name: '赵玉兰', region: other.code },
  ];
  await importText(
    ctx,
    'public_security',
    `身份证号,姓名,性别,出生日期,村（社区）代码\n${people.map((p, i) => `${p.id},${p.name},男,1940-01-0${i + 1},${p.region}`).join('\n')}\n`,
    {
      asOf: '2026-01-01',
    },
  );
  const civil = await importText(ctx, 'civil_affairs', `身份证号,姓名\n${id(1)},张贵兰\n${id(2)},李秀瑛\n${id(4)},赵玉岚\n`, { asOf: '2026-02-01' });
  const medical = await importText(ctx, 'medical_insurance', `身份证号,姓名\n${id(3)},王淑贞\n`, { asOf: '2026-02-01' });
  expect([civil.conflicts, medical.conflicts]).toEqual([3, 1]);
  const persons = async () =>
    Object.fromEntries((await ctx.db.selectFrom('persons').select(['id', 'name']).orderBy('id').execute()).map((p) => [p.name, p.id]));
  const conflicts = async () =>
    ctx.db.selectFrom('attribute_conflicts').select(['id', 'person_id', 'field', 'incoming_source', 'status']).orderBy('id').execute();
  const audits = async () =>
    (
      await ctx.db
        .selectFrom('audit_log')
        .select(['action', 'entity_id', 'detail', 'actor', 'fields'])
        .where('action', '=', 'register.resolve_conflict')
        .orderBy('seq')
        .execute()
    ).map((a) => ({ ...a, detail: JSON.parse(a.detail ?? '{}') as Record<string, unknown> }));
  return { ctx, town1, id, persons, conflicts, audits };
}

describe.each(dialects)('conflicts in bulk on %s', (dialect) => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    await ctx?.cleanup();
    ctx = undefined;
  });

  it('accepts every open conflict from one department in the viewer’s region, each audited as the single action', async () => {
    const s = await setup(dialect);
    ctx = s.ctx;
    expect(await conflictSummary(ctx, s.town1)).toEqual({
      total: 3,
      sources: [
        { source: 'civil_affairs', label: '民政', labelEn: 'Civil affairs', open: 2 },
        { source: 'medical_insurance', label: '医保', labelEn: 'Medical insurance', open: 1 },
      ],
    });
    expect(await resolveAll(ctx, s.town1, { choice: 'accept', source: 'civil_affairs', expected: 2 })).toEqual({ resolved: 2 });
    const names = await s.persons();
    // the two of town1's region take civil affairs' spelling; the other town's and medical insurance's stay open
    expect(Object.keys(names).sort()).toEqual(['张贵兰', '李秀瑛', '王淑珍', '赵玉兰'].sort());
    const after = await s.conflicts();
    expect(after.map((c) => [c.incoming_source, c.status])).toEqual([
      ['civil_affairs', 'accepted'],
      ['civil_affairs', 'accepted'],
      ['civil_affairs', 'open'],
      ['medical_insurance', 'open'],
    ]);
    const history = await ctx.db
      .selectFrom('person_history')
      .select(['field', 'old_value', 'new_value', 'source'])
      .where('field', '=', 'name')
      .orderBy('id')
      .execute();
    expect(history.filter((h) => h.source === 'civil_affairs').map((h) => [h.old_value, h.new_value])).toEqual([
      ['张桂兰', '张贵兰'],
      ['李秀英', '李秀瑛'],
    ]);
    const audits = await s.audits();
    expect(audits.map((a) => [a.entity_id, a.actor, a.fields, a.detail])).toEqual(
      after
        .filter((c) => c.status === 'accepted')
        .map((c) => [String(c.person_id), 'town1', JSON.stringify(['name']), { conflictId: c.id, choice: 'accept', bulk: 'civil_affairs' }]),
    );
  });

  it('keeps every current value, of every department, in the viewer’s region', async () => {
    const s = await setup(dialect);
    ctx = s.ctx;
    const before = await s.persons();
    const admin = await userScope(ctx, 'admin');
    expect(await resolveAll(ctx, admin, { choice: 'keep', expected: 4 })).toEqual({ resolved: 4 });
    expect(await s.persons()).toEqual(before);
    expect((await s.conflicts()).every((c) => c.status === 'kept')).toBe(true);
    const audits = await s.audits();
    expect(audits).toHaveLength(4);
    expect(audits.every((a) => a.detail.choice === 'keep' && a.detail.bulk === 'all' && a.actor === 'admin')).toBe(true);
    expect((await conflictSummary(ctx, admin)).total).toBe(0);
  });

  it('refuses a role without register.resolve_conflict, a count that changed and an unknown department, changing nothing', async () => {
    const s = await setup(dialect);
    ctx = s.ctx;
    const grid = await userScope(ctx, 'grid1');
    expect(await codeOf(resolveAll(ctx, grid, { choice: 'keep', expected: 0 }))).toBe('FORBIDDEN');
    expect(await codeOf(resolveAll(ctx, await userScope(ctx, 'inspector1'), { choice: 'keep', expected: 4 }))).toBe('FORBIDDEN');
    // town1 confirmed 3 when 2 are open from civil affairs in their region
    expect(await codeOf(resolveAll(ctx, s.town1, { choice: 'accept', source: 'civil_affairs', expected: 3 }))).toBe('CONFLICTS_CHANGED');
    expect(await codeOf(resolveAll(ctx, s.town1, { choice: 'keep', source: 'nobody', expected: 0 }))).toBe('UNKNOWN_SOURCE');
    expect((await s.conflicts()).every((c) => c.status === 'open')).toBe(true);
    expect(await s.audits()).toEqual([]);
  });

  it('leaves every conflict open when one of them cannot be settled', async () => {
    const s = await setup(dialect);
    ctx = s.ctx;
    const names = await s.persons();
    // a birth date cannot be changed by resolving a conflict: the third in the batch fails
    await ctx.db
      .insertInto('attribute_conflicts')
      .values({
        person_id: names['李秀英']!,
        field: 'birthDate',
        current_value: '1940-01-02',
        current_source: 'public_security',
        current_as_of: '2026-01-01',
        incoming_value: '1940-02-02',
        incoming_source: 'civil_affairs',
        incoming_as_of: '2026-02-01',
        import_id: null,
        status: 'open',
        resolved_by: null,
        resolved_at: null,
        created_at: nowIso(),
      })
      .execute();
    expect(await codeOf(resolveAll(ctx, s.town1, { choice: 'accept', source: 'civil_affairs', expected: 3 }))).toBe('CONFLICT_FIELD_LOCKED');
    expect(await s.persons()).toEqual(names);
    expect((await s.conflicts()).every((c) => c.status === 'open')).toBe(true);
    expect(await s.audits()).toEqual([]);
    expect(await ctx.db.selectFrom('person_history').select('id').where('field', '=', 'name').execute()).toEqual([]);
  });
});
