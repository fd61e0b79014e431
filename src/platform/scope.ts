import { sql, type RawBuilder } from 'kysely';
import { AppError } from './errors.js';
import { can, type Action, type Role } from './policy.js';
import type { Executor } from '../db/database.js';
import { prefixUpperBound } from '../db/dialect.js';

/**
 * The viewer: who, in which role, over which region subtree, for which organisation, and whether
 * only the persons assigned to them. Every repository function that touches people takes a Scope
 * and applies its region with `inRegion`; a check on given persons (register/people.ts,
 * permittedPersons) applies the organisation and the assignments too. Built by the named
 * constructors below (and auth.ts scopeOf for a signed-in user), never as a literal.
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
  /**
   * The viewer's organisation (a home-service provider, an institution): its staff see only the
   * persons their organisation reaches, as the modules that own those relations say
   * (registerPersonReach). Null: no organisation, the region subtree alone.
   */
  organisationId: number | null;
  /** Only the persons assigned to the viewer (an assessor, a grid worker), as the owning modules say. */
  assignedOnly: boolean;
  ip: string | null;
}

/** The scope of the command line and of start-up jobs: the whole jurisdiction. */
export function systemScope(regionCode: string, regionPrefix: string, who = 'system'): Scope {
  return { userId: null, username: who, role: 'system', regionCode, regionPrefix, organisationId: null, assignedOnly: false, ip: null };
}

/** A signed-in user's scope over a region subtree (auth.ts scopeOf builds it from the user row). */
export function userScope(
  user: { id: number; username: string; role: Role },
  region: { code: string; prefix: string },
  ip: string | null,
  reach: { organisationId?: number | null; assignedOnly?: boolean } = {},
): Scope {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    regionCode: region.code,
    regionPrefix: region.prefix,
    organisationId: reach.organisationId ?? null,
    assignedOnly: reach.assignedOnly ?? false,
    ip,
  };
}

/**
 * What a role sees over a region, nobody in particular: the events bus renders each event once
 * for every role and region and hands each connection the rendering for its own.
 */
export function roleScope(role: Role, regionCode: string, regionPrefix: string): Scope {
  return { userId: null, username: '', role, regionCode, regionPrefix, organisationId: null, assignedOnly: false, ip: null };
}

/** The scope narrowed to one organisation's reach (a provider's or an institution's staff). */
export function organisationScope(scope: Scope, organisationId: number): Scope {
  return { ...scope, organisationId };
}

/** The scope narrowed to the persons assigned to the viewer (an assessor, a grid worker). */
export function assignedScope(scope: Scope): Scope {
  return { ...scope, assignedOnly: true };
}

/** Whether the scope sees less than its region subtree: an organisation's or assigned persons only. */
export function reachLimited(scope: Scope): boolean {
  return scope.organisationId !== null || scope.assignedOnly;
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
  return {
    userId: null,
    username: `anonymous:${username.slice(0, 40)}`,
    role: 'anonymous',
    regionCode: '',
    regionPrefix: NO_REGION,
    organisationId: null,
    assignedOnly: false,
    ip,
  };
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

// ---- the reach of organisations and assignments ----

/**
 * Of the given person ids, those an organisation or the viewer's assignments reach, as one module
 * that owns such a relation sees it (a provider's clients, an assessor's assignments). It reads its
 * own tables only, from `scope.organisationId` or `scope.userId`.
 */
export type PersonReach = (db: Executor, scope: Scope, ids: readonly number[]) => Promise<Iterable<number>>;

/** Which limit of a scope a reach answers for. */
export type ReachKind = 'organisation' | 'assignments';

/**
 * The same reach as a list (the register's list and its export, where no ids are given): a
 * subquery selecting the person ids the scope reaches (`select person_id from … where …`), written
 * by the owning module over its own tables.
 */
export type PersonReachList = (scope: Scope) => RawBuilder<unknown>;

const reaches = new Map<string, { fn: PersonReach; by: ReachKind; list?: PersonReachList }>();

/**
 * A module declares how organisations or assignments reach persons. The platform may not import
 * modules, so they register here and the register's permittedPersons asks them (and its list,
 * through `inReach`, the `list` form). Returns a function that removes the registration (tests).
 * A name given twice is refused.
 */
export function registerPersonReach(name: string, fn: PersonReach, by: ReachKind, list?: PersonReachList): () => void {
  if (reaches.has(name)) throw new Error(`person reach ${name} is registered twice`);
  const entry = { fn, by, list };
  reaches.set(name, entry);
  return () => {
    if (reaches.get(name) === entry) reaches.delete(name);
  };
}

/** The ids among `wanted` that some registered reach of this kind returns; none if there is none. */
async function reachedBy(db: Executor, scope: Scope, by: ReachKind, wanted: Set<number>): Promise<Set<number>> {
  const out = new Set<number>();
  for (const r of reaches.values()) {
    if (r.by !== by || out.size === wanted.size) continue;
    for (const id of await r.fn(db, scope, [...wanted])) if (wanted.has(id)) out.add(id);
  }
  return out;
}

/**
 * Of the given ids (already in the scope's region subtree), those the scope's organisation and
 * assignments reach: all of them for a scope limited by neither. A limit is met when some reach
 * registered for it returns the id (several modules may each relate organisations to persons), and
 * both limits must be met when a scope has both. A limit no module answers for reaches nobody:
 * deny by default.
 */
export async function reachedPersons(db: Executor, scope: Scope, ids: readonly number[]): Promise<Set<number>> {
  let wanted = new Set(ids);
  if (scope.organisationId !== null && wanted.size) wanted = await reachedBy(db, scope, 'organisation', wanted);
  if (scope.assignedOnly && wanted.size) wanted = await reachedBy(db, scope, 'assignments', wanted);
  return wanted;
}

/**
 * The reach as a condition on a person-id column, for a list: true for a scope limited by neither
 * an organisation nor assignments; else, per limit, the id is in some registered reach's list of
 * that kind (a limit no registered list answers for matches nobody: deny by default).
 * Usage: `.where(inReach(scope, 'persons.id'))`.
 */
export function inReach(scope: Scope, column: string) {
  if (!reachLimited(scope)) return sql<boolean>`1 = 1`;
  const limit = (by: ReachKind) => {
    const lists = [...reaches.values()].filter((r) => r.by === by && r.list).map((r) => sql`${sql.ref(column)} in (${r.list!(scope)})`);
    return lists.length ? sql`(${sql.join(lists, sql` or `)})` : sql`1 = 0`;
  };
  const parts = [];
  if (scope.organisationId !== null) parts.push(limit('organisation'));
  if (scope.assignedOnly) parts.push(limit('assignments'));
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}
