import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { listFacilities } from '../facilities/directory.js';
import { providerSummaries } from '../services/providers.js';
import { activeAccounts, activeUsersOfRole, displayNames } from '../users/accounts.js';
import type { ConflictBody, InspectorLinkView, RELATIONS } from './supervision.schema.js';

/**
 * The pools of a round: targets (every active facility of facilities and every active home-service
 * provider of services, keyed 'facility:<id>' / 'provider:<id>', with the grade of their latest
 * rating as their stratum) and inspectors (active users of role 'inspector' in the jurisdiction),
 * and the links inspectors declared (the bureau keeps them; a linked inspector is never assigned).
 */
export interface PoolTarget {
  key: string;
  name: string;
  kind: string;
  regionCode: string;
  stratum: string;
}

/**
 * The jurisdiction whose pools a region works in: a county officer's county, a city officer's city
 * (its prefix covers every county of the city). Rounds, pools and ratings are per jurisdiction.
 */
export function jurisdictionPrefix(ctx: AppContext, regionCode: string): { code: string; prefix: string } {
  const j = ctx.regions.jurisdictionOf(regionCode);
  return { code: j?.code ?? '', prefix: j?.prefix ?? '' };
}

/** The latest grade of each target, by key. */
export async function latestGrades(db: Executor, keys?: readonly string[]): Promise<Map<string, { grade: string; score: number }>> {
  if (keys && !keys.length) return new Map();
  let q = db
    .selectFrom('supervision_ratings as r')
    .select(['r.target_key', 'r.grade', 'r.score'])
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom('supervision_ratings')
        .select(sql<number>`max(id)`.as('id'))
        .groupBy('target_key'),
    );
  if (keys) q = q.where('r.target_key', 'in', [...keys]);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.target_key, { grade: r.grade, score: r.score }]));
}

/** Every active target of the jurisdiction of `regionCode`, by key, with its stratum (latest grade or 'unrated'). */
export async function targetPool(ctx: AppContext, regionCode: string, db: Executor = ctx.db): Promise<PoolTarget[]> {
  const { prefix } = jurisdictionPrefix(ctx, regionCode);
  const [facilities, providers] = await Promise.all([
    listFacilities(db, { regionPrefix: prefix, activeOnly: true }),
    providerSummaries(db, { regionPrefix: prefix }),
  ]);
  const grades = await latestGrades(db);
  const out: PoolTarget[] = [
    ...facilities.map((f) => ({ key: `facility:${f.id}`, name: f.name, kind: f.kind, regionCode: f.regionCode, stratum: '' })),
    ...providers.map((p) => ({ key: `provider:${p.id}`, name: p.name, kind: `provider_${p.kind}`, regionCode: p.regionCode, stratum: '' })),
  ];
  for (const t of out) t.stratum = grades.get(t.key)?.grade ?? 'unrated';
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One target by key, active or not, if it is of the jurisdiction of `regionCode`. */
export async function targetByKey(ctx: AppContext, db: Executor, regionCode: string, key: string): Promise<PoolTarget | null> {
  const [kind, raw] = key.split(':');
  const id = Number(raw);
  const { prefix } = jurisdictionPrefix(ctx, regionCode);
  if (kind === 'facility') {
    const [f] = await listFacilities(db, { ids: [id] });
    return f && f.regionCode.startsWith(prefix) ? { key, name: f.name, kind: f.kind, regionCode: f.regionCode, stratum: '' } : null;
  }
  if (kind === 'provider') {
    const [p] = await providerSummaries(db, { ids: [id], activeOnly: false });
    return p && p.regionCode.startsWith(prefix) ? { key, name: p.name, kind: `provider_${p.kind}`, regionCode: p.regionCode, stratum: '' } : null;
  }
  return null;
}

/** Names of targets by key (for lists), whatever their state. */
export async function targetNames(db: Executor, keys: readonly string[]): Promise<Map<string, string>> {
  const fac = keys.filter((k) => k.startsWith('facility:')).map((k) => Number(k.slice(9)));
  const prov = keys.filter((k) => k.startsWith('provider:')).map((k) => Number(k.slice(9)));
  const [f, p] = await Promise.all([
    fac.length ? listFacilities(db, { ids: fac }) : [],
    prov.length ? providerSummaries(db, { ids: prov, activeOnly: false }) : [],
  ]);
  return new Map([...f.map((x) => [`facility:${x.id}`, x.name] as const), ...p.map((x) => [`provider:${x.id}`, x.name] as const)]);
}

/** The active inspectors of the jurisdiction of `regionCode`. */
export function inspectorPool(ctx: AppContext, regionCode: string, db: Executor = ctx.db) {
  return activeUsersOfRole(db, 'inspector', jurisdictionPrefix(ctx, regionCode).prefix);
}

/** The links in force, as [inspectorId, targetKey] pairs. */
export async function conflictPairs(db: Executor): Promise<[number, string][]> {
  const rows = await db.selectFrom('supervision_conflicts').select(['inspector_id', 'target_key']).where('ended_at', 'is', null).execute();
  return rows.map((r) => [r.inspector_id, r.target_key]);
}

export async function listConflicts(db: Executor): Promise<{ items: InspectorLinkView[] }> {
  const rows = await db.selectFrom('supervision_conflicts').selectAll().where('ended_at', 'is', null).orderBy('inspector_id').orderBy('target_key').execute();
  const [users, names] = await Promise.all([
    displayNames(
      db,
      rows.map((r) => r.inspector_id),
    ),
    targetNames(
      db,
      rows.map((r) => r.target_key),
    ),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      inspectorId: r.inspector_id,
      inspectorName: users.get(r.inspector_id) ?? `#${r.inspector_id}`,
      targetKey: r.target_key,
      targetName: names.get(r.target_key) ?? r.target_key,
      relation: r.relation as (typeof RELATIONS)[number],
      note: r.note,
      createdAt: r.created_at,
    })),
  };
}

/** POST /supervision/conflicts: the bureau records an inspector's declared link (audited). */
export async function addConflict(ctx: AppContext, scope: Scope, body: ConflictBody): Promise<InspectorLinkView> {
  return ctx.db.transaction().execute(async (trx) => {
    const inspector = (await activeAccounts(trx, [body.inspectorId])).get(body.inspectorId);
    if (!inspector || inspector.role !== 'inspector') throw new AppError('SUPERVISION_INSPECTOR_UNKNOWN', { id: body.inspectorId });
    const target = await targetByKey(ctx, trx, scope.regionCode, body.targetKey);
    if (!target) throw new AppError('SUPERVISION_TARGET_UNKNOWN', { target: body.targetKey });
    const existing = await trx
      .selectFrom('supervision_conflicts')
      .select('id')
      .where('inspector_id', '=', body.inspectorId)
      .where('target_key', '=', body.targetKey)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    const at = nowIso();
    const id =
      existing?.id ??
      (
        await trx
          .insertInto('supervision_conflicts')
          .values({
            inspector_id: body.inspectorId,
            target_key: body.targetKey,
            relation: body.relation,
            note: body.note ?? null,
            created_by: scope.userId ?? 0,
            created_at: at,
            ended_at: null,
            ended_by: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (existing)
      await trx
        .updateTable('supervision_conflicts')
        .set({ relation: body.relation, note: body.note ?? null })
        .where('id', '=', id)
        .execute();
    await recordAudit(trx, scope, {
      action: 'supervision.conflict_add',
      entityType: 'supervision_conflict',
      entityId: id,
      regionCode: target.regionCode,
      detail: { inspectorId: body.inspectorId, targetKey: body.targetKey, relation: body.relation },
    });
    return {
      id,
      inspectorId: inspector.id,
      inspectorName: inspector.name,
      targetKey: target.key,
      targetName: target.name,
      relation: body.relation,
      note: body.note ?? null,
      createdAt: at,
    };
  });
}

/** DELETE-like POST /supervision/conflicts/:id/end: the link is withdrawn (kept, audited). */
export async function endConflict(ctx: AppContext, scope: Scope, id: number): Promise<{ id: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('supervision_conflicts').selectAll().where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
    if (!row) throw new AppError('SUPERVISION_CONFLICT_NOT_FOUND', { id });
    await trx.updateTable('supervision_conflicts').set({ ended_at: nowIso(), ended_by: scope.userId }).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'supervision.conflict_end',
      entityType: 'supervision_conflict',
      entityId: id,
      detail: { inspectorId: row.inspector_id, targetKey: row.target_key },
    });
    return { id };
  });
}
