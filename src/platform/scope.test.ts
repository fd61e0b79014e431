import { describe, expect, it } from 'vitest';
import type { Executor } from '../db/database.js';
import {
  anonymousScope,
  assignedScope,
  everywhere,
  narrowScope,
  nowhere,
  organisationScope,
  reachedPersons,
  reachLimited,
  registerPersonReach,
  regionInScope,
  roleScope,
  systemScope,
  userScope,
} from './scope.js';

/** The database is never asked when no reach is registered or the scope is not limited. */
const noDb = {} as Executor;

describe('scope constructors', () => {
  const town = userScope({ id: 3, username: 'town1', role: 'town_officer' }, { code: '990101001', prefix: '990101001' }, '10.0.0.1');

  it('build every plain scope with no organisation and no assignments', () => {
    for (const s of [
      systemScope('990101', '990101'),
      everywhere(),
      anonymousScope('x', null),
      nowhere(town),
      roleScope('grid_worker', '990101', '990101'),
      town,
    ]) {
      expect(s.organisationId).toBeNull();
      expect(s.assignedOnly).toBe(false);
      expect(reachLimited(s)).toBe(false);
    }
    expect(town).toMatchObject({ userId: 3, username: 'town1', role: 'town_officer', regionCode: '990101001', regionPrefix: '990101001', ip: '10.0.0.1' });
    expect(roleScope('grid_worker', '990101', '990101')).toMatchObject({ userId: null, role: 'grid_worker', regionPrefix: '990101' });
  });

  it('limit a scope to an organisation or to assignments, keeping its region subtree', () => {
    const org = organisationScope(town, 7);
    expect(org).toMatchObject({ organisationId: 7, assignedOnly: false, regionPrefix: '990101001', userId: 3 });
    const assigned = assignedScope(town);
    expect(assigned).toMatchObject({ organisationId: null, assignedOnly: true, regionPrefix: '990101001' });
    expect(reachLimited(org) && reachLimited(assigned)).toBe(true);
    expect(userScope({ id: 4, username: 'p', role: 'provider' }, { code: '990101', prefix: '990101' }, null, { organisationId: 9 }).organisationId).toBe(9);
    // narrowing the region keeps the organisation; narrowing outside empties the region only
    expect(narrowScope(org, '990101001002', '990101001002')).toMatchObject({ organisationId: 7, regionPrefix: '990101001002' });
    const outside = narrowScope(org, '990101002', '990101002');
    expect(outside.organisationId).toBe(7);
    expect(regionInScope(outside, '990101001002')).toBe(false);
  });
});

describe('person reach registry', () => {
  it('gives an unlimited scope every id it is asked about, without asking any reach', async () => {
    const off = registerPersonReach(
      'test-never',
      () => {
        throw new Error('asked');
      },
      'organisation',
    );
    try {
      expect([...(await reachedPersons(noDb, everywhere(), [3, 1, 3]))].sort()).toEqual([1, 3]);
    } finally {
      off();
    }
  });

  it('denies an organisation or assigned-only scope by default: no reach registered, nobody', async () => {
    expect(await reachedPersons(noDb, organisationScope(everywhere(), 7), [1, 2])).toEqual(new Set());
    expect(await reachedPersons(noDb, assignedScope(everywhere()), [1, 2])).toEqual(new Set());
  });

  it("asks only the reaches of the scope's limits, keeps only asked ids, and needs both limits met", async () => {
    const offOrg = registerPersonReach('test-clients', async (_db, s) => (s.organisationId === 7 ? [1, 2, 99] : []), 'organisation');
    const offMine = registerPersonReach('test-assigned', async (_db, s) => (s.userId === 3 ? [2, 3] : []), 'assignments');
    try {
      const me = { ...everywhere(), userId: 3 };
      expect([...(await reachedPersons(noDb, organisationScope(me, 7), [1, 2, 3]))].sort()).toEqual([1, 2]);
      expect([...(await reachedPersons(noDb, organisationScope(me, 8), [1, 2, 3]))]).toEqual([]);
      expect([...(await reachedPersons(noDb, assignedScope(me), [1, 2, 3]))].sort()).toEqual([2, 3]);
      expect([...(await reachedPersons(noDb, assignedScope(organisationScope(me, 7)), [1, 2, 3]))]).toEqual([2]);
    } finally {
      offOrg();
      offMine();
    }
  });

  it('refuses a reach name registered twice, and forgets a removed one', () => {
    const off = registerPersonReach('test-twice', async () => [], 'assignments');
    expect(() => registerPersonReach('test-twice', async () => [], 'assignments')).toThrow(/registered twice/);
    off();
    registerPersonReach('test-twice', async () => [], 'assignments')();
  });
});
