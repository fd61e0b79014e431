import { sql } from 'kysely';
import { AppError } from './errors.js';
import { can, type Action, type Role } from './policy.js';
import { prefixUpperBound } from '../db/dialect.js';

/**
 * The viewer: who, in which role, over which region subtree. Every repository function that
 * touches people takes a Scope and applies it with `inRegion`; there is no other way in.
 */
export interface Scope {
  userId: number | null;
  username: string;
  /** 'system' is the command line and start-up jobs; 'anonymous' only ever signs audit entries */
  role: Role | 'system' | 'anonymous';
  /** region code of the viewer's region */
  regionCode: string;
  /** significant prefix of that region's code: all codes in the subtree start with it */
  regionPrefix: string;
  ip: string | null;
}

/** The scope of the command line and of start-up jobs: the whole jurisdiction. */
export function systemScope(regionCode: string, regionPrefix: string, who = 'system'): Scope {
  return { userId: null, username: who, role: 'system', regionCode, regionPrefix, ip: null };
}

/** A prefix no region code starts with: the subtree of nothing. */
const NO_REGION = '\uffff';

/**
 * Every region there is, for platform work that is not anybody's view (an import checking that
 * a person exists anywhere before creating them, a job signing its audit entry).
 */
export function everywhere(who = 'system'): Scope {
  return systemScope('', '', who);
}

/** Someone not logged in: signs audit entries (a failed login) and sees no region at all. */
export function anonymousScope(username: string, ip: string | null): Scope {
  return { userId: null, username: `anonymous:${username.slice(0, 40)}`, role: 'anonymous', regionCode: '', regionPrefix: NO_REGION, ip };
}

/** The viewer's scope narrowed to no region: a filter on a region outside it matches nobody. */
export function nowhere(scope: Scope): Scope {
  return { ...scope, regionCode: '', regionPrefix: NO_REGION };
}

export function requireAction(scope: Scope, action: Action): void {
  if (scope.role === 'system') return;
  if (scope.role === 'anonymous' || !can(scope.role, action)) throw new AppError('FORBIDDEN');
}

export function regionInScope(scope: Scope, regionCode: string): boolean {
  return regionCode.startsWith(scope.regionPrefix);
}

/**
 * The one helper that restricts a query to the viewer's region subtree, as an index-friendly
 * range on a region-code column: `col >= prefix AND col < prefix || U+FFFF`.
 * Usage: `.where(inRegion(scope, 'persons.region_code'))`.
 */
export function inRegion(scope: Scope, column: string) {
  return sql<boolean>`(${sql.ref(column)} >= ${scope.regionPrefix} and ${sql.ref(column)} < ${prefixUpperBound(scope.regionPrefix)})`;
}

/**
 * The viewer's scope narrowed to one of its regions (a filter on a list). A region outside the
 * scope narrows it to nothing. Queries then carry a single range on the region column, which the
 * database can drive its index with.
 */
export function narrowScope(scope: Scope, regionCode: string, regionPrefix: string): Scope {
  if (regionPrefix.startsWith(scope.regionPrefix)) return { ...scope, regionCode, regionPrefix };
  if (scope.regionPrefix.startsWith(regionPrefix)) return scope;
  return nowhere(scope);
}
