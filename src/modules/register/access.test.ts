import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedScope, everywhere, organisationScope, registerPersonReach, type Scope } from '../../platform/scope.js';
import { codeOf, countyScope, createSeededContext, dialects, importText, userScope, type TestContext } from '../../testing/harness.js';
import { permittedPersons, personPermitted } from './people.js';
import { profile, reveal } from './register.service.js';
import { makeResidentId } from './resident-id.js';

const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';
const rid = (n: number) => makeResidentId('990101', '1940-05-06', n, 'F');

/** The batch access check on persons (register/people.ts permittedPersons), on both databases. */
describe.each(dialects)('person access on %s', (dialect) => {
  let ctx: TestContext;
  let town1: Scope;
  /** two persons in town1's villages, one in town2's */
  let inTown1: number[];
  let inTown2: number;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    town1 = await userScope(ctx, 'town1');
    const villages = ctx.regions.all().filter((r) => r.level === 'village');
    const mine = villages.filter((v) => v.code.startsWith(town1.regionPrefix));
    const other = villages.find((v) => !v.code.startsWith(town1.regionPrefix))!;
    const csv = [
      PS_HEADER,
      `${rid(1)},王一,女,1940-05-06,${mine[0]!.code},本地,,正常,`,
      `${rid(2)},王二,女,1940-05-06,${mine.at(-1)!.code},本地,,正常,`,
      `${rid(3)},王三,女,1940-05-06,${other.code},本地,,正常,`,
    ].join('\n');
    await importText(ctx, 'public_security', csv, { asOf: '2026-01-31' });
    const rows = await ctx.db.selectFrom('persons').select(['id', 'region_code']).orderBy('id').execute();
    inTown1 = rows.filter((r) => r.region_code.startsWith(town1.regionPrefix)).map((r) => r.id);
    inTown2 = rows.find((r) => !r.region_code.startsWith(town1.regionPrefix))!.id;
    expect(inTown1).toHaveLength(2);
  });
  afterAll(async () => ctx?.cleanup());

  const all = () => [...inTown1, inTown2];
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

  it("records the users' organisation column as the migration users/001-organisation", async () => {
    const rows = await sql<{ name: string }>`select name from kysely_migration where name = ${'users/001-organisation'}`.execute(ctx.db);
    expect(rows.rows.map((r) => r.name)).toEqual(['users/001-organisation']);
    const user = await ctx.db.selectFrom('users').select(['username', 'organisation_id']).where('username', '=', 'town1').executeTakeFirstOrThrow();
    expect(user.organisation_id).toBeNull();
    expect(town1).toMatchObject({ organisationId: null, assignedOnly: false });
  });

  it("permits the persons in the scope's region subtree, and no one outside it or not on the register", async () => {
    expect(sorted(await permittedPersons(ctx.db, countyScope(ctx), [...all(), 987654]))).toEqual(all());
    expect(sorted(await permittedPersons(ctx.db, town1, [...all(), inTown1[0]!]))).toEqual(inTown1);
    expect(await permittedPersons(ctx.db, town1, [])).toEqual(new Set());
    expect(await personPermitted(ctx.db, town1, inTown2)).toBe(false);
    // a row carrying its own region (a roll line): only organisation and assignments are checked
    expect(await personPermitted(ctx.db, town1, inTown2, { regionChecked: true })).toBe(true);
  });

  it('checks more ids than one IN list holds', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => 100000 + i).concat(all());
    expect(sorted(await permittedPersons(ctx.db, everywhere(), many))).toEqual(all());
  });

  it('denies an organisation scope and an assigned-only scope by default: no module reaches anyone yet', async () => {
    expect(await permittedPersons(ctx.db, organisationScope(countyScope(ctx), 7), all())).toEqual(new Set());
    expect(await permittedPersons(ctx.db, assignedScope(countyScope(ctx)), all())).toEqual(new Set());
    expect(await personPermitted(ctx.db, organisationScope(town1, 7), inTown2, { regionChecked: true })).toBe(false);
  });

  it('fills the organisation from the user row, and the register then answers "not found" for its persons', async () => {
    await ctx.db.updateTable('users').set({ organisation_id: 7 }).where('username', '=', 'town1').execute();
    try {
      const staff = await userScope(ctx, 'town1');
      expect(staff.organisationId).toBe(7);
      expect(await codeOf(profile(ctx, staff, inTown1[0]!, false))).toBe('NOT_FOUND');
      expect(await codeOf(reveal(ctx, staff, inTown1[0]!, 'idNumber'))).toBe('NOT_FOUND');
      expect(await codeOf(profile(ctx, town1, inTown1[0]!, false))).toBe('resolved');
    } finally {
      await ctx.db.updateTable('users').set({ organisation_id: null }).where('username', '=', 'town1').execute();
    }
  });

  it('widens an organisation scope to what a registered reach returns, within its region subtree', async () => {
    // organisation 7 serves the first town1 person and the town2 person
    const off = registerPersonReach(
      'test-clients',
      async (_db, scope, ids) => (scope.organisationId === 7 ? ids.filter((id) => id === inTown1[0] || id === inTown2) : []),
      'organisation',
    );
    try {
      expect(sorted(await permittedPersons(ctx.db, organisationScope(town1, 7), all()))).toEqual([inTown1[0]]);
      expect(sorted(await permittedPersons(ctx.db, organisationScope(countyScope(ctx), 7), all()))).toEqual([inTown1[0], inTown2].sort((a, b) => a! - b!));
      expect(await permittedPersons(ctx.db, organisationScope(town1, 8), all())).toEqual(new Set());
      // an organisation's reach does not answer for assignments
      expect(await permittedPersons(ctx.db, assignedScope(organisationScope(town1, 7)), all())).toEqual(new Set());
      const staff = organisationScope(town1, 7);
      expect(await codeOf(profile(ctx, staff, inTown1[0]!, false))).toBe('resolved');
      expect(await codeOf(profile(ctx, staff, inTown1[1]!, false))).toBe('NOT_FOUND');
    } finally {
      off();
    }
  });
});
