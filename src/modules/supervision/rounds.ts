import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import {
  commitmentOf,
  draw,
  DrawError,
  DRAW_VERSION,
  poolProblem,
  poolsDigest,
  canonicalJson,
  canonicalPools,
  seedOf,
  type DrawPools,
  type DrawProblem,
  type DrawResult,
} from '../../lib/draw.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { conflictPairs, inspectorPool, jurisdictionPrefix, targetPool } from './pools.js';
import { supervisionSettingsOf } from './supervision.settings.js';
import type { AnnounceBody, DrawBody, RoundView } from './supervision.schema.js';
import type { SupervisionRoundRow } from './supervision.tables.js';

/**
 * 双随机 rounds: announced (pools frozen, digest, commitment, a future drand round), then drawn
 * (secret revealed and checked, the drand value entered, seed, result, one inspection per drawn
 * target) — src/lib/draw.ts does the drawing, docs/supervision-draw.md says how.
 */

/** drand mainnet (the default chain): anyone reads round N's randomness at https://api.drand.sh/public/N */
export const DRAND = {
  chain: '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce',
  source: 'drand-mainnet',
  genesis: 1595431050,
  period: 30,
};
export const ALGORITHM = `yiyang-draw-v${DRAW_VERSION} (docs/supervision-draw.md)`;

export function drandRoundAt(round: number): string {
  return new Date((DRAND.genesis + (round - 1) * DRAND.period) * 1000).toISOString();
}
/** The first drand round published at or after `at`. */
export function drandRoundAfter(at: Date): number {
  return Math.max(1, Math.ceil((at.getTime() / 1000 - DRAND.genesis) / DRAND.period) + 1);
}

export function drawProblemError(p: DrawProblem): AppError {
  switch (p.kind) {
    case 'empty_targets':
      return new AppError('SUPERVISION_EMPTY_TARGETS');
    case 'empty_inspectors':
      return new AppError('SUPERVISION_EMPTY_INSPECTORS');
    case 'too_many':
      return new AppError('SUPERVISION_TOO_MANY', { stratum: p.stratum, wanted: p.wanted, available: p.available });
    case 'all_conflicted':
      return new AppError('SUPERVISION_ALL_CONFLICTED', { target: p.target, eligible: p.eligible, wanted: p.wanted });
    case 'bad_hex':
      return new AppError('SUPERVISION_BAD_HEX', { field: p.field });
  }
}

export function roundView(r: SupervisionRoundRow): RoundView {
  return {
    id: r.id,
    name: r.name,
    status: r.status as RoundView['status'],
    checklistKey: r.checklist_key,
    pools: JSON.parse(r.pools) as DrawPools,
    poolsDigest: r.pools_digest,
    commitment: r.commitment,
    externalSource: r.external_source,
    externalRound: r.external_round,
    externalAt: r.external_at,
    announcedAt: r.announced_at,
    secret: r.secret,
    externalValue: r.external_value,
    seed: r.seed,
    result: r.result ? (JSON.parse(r.result) as DrawResult) : null,
    drawnAt: r.drawn_at,
    algorithm: ALGORITHM,
  };
}

/**
 * The pools a round of the jurisdiction of `regionCode` announced now would freeze: counts per
 * stratum from the jurisdiction's shares, rounded up.
 */
export async function buildPools(ctx: AppContext, db: Executor, regionCode: string): Promise<DrawPools> {
  const s = supervisionSettingsOf(ctx, regionCode);
  const [targets, inspectors, conflicts] = await Promise.all([targetPool(ctx, regionCode, db), inspectorPool(ctx, regionCode, db), conflictPairs(db)]);
  const inPool = new Set(targets.map((t) => t.key));
  const ids = new Set(inspectors.map((i) => i.id));
  const sizes = new Map<string, number>();
  for (const t of targets) sizes.set(t.stratum, (sizes.get(t.stratum) ?? 0) + 1);
  const shares = s.drawShares as Record<string, number>;
  const counts: Record<string, number> = {};
  for (const [stratum, n] of sizes) counts[stratum] = Math.min(n, Math.ceil((n * (shares[stratum] ?? shares.unrated!)) / 100));
  return canonicalPools({
    version: DRAW_VERSION,
    targets: targets.map((t) => ({ key: t.key, name: t.name, stratum: t.stratum })),
    inspectors: inspectors.map((i) => ({ id: i.id, name: i.name })),
    conflicts: conflicts.filter(([i, k]) => ids.has(i) && inPool.has(k)),
    counts,
    inspectorsPerTarget: s.inspectorsPerTarget,
  });
}

/** POST /supervision/rounds: announce a round; the secret is answered this once and not kept. */
export async function announceRound(ctx: AppContext, scope: Scope, body: AnnounceBody, now: Date = new Date()): Promise<{ round: RoundView; secret: string }> {
  // a round of the viewer's jurisdiction, under its settings
  const s = supervisionSettingsOf(ctx, scope.regionCode);
  if (!s.checklists.some((c) => c.key === body.checklistKey)) throw new AppError('SUPERVISION_CHECKLIST_UNKNOWN', { key: body.checklistKey });
  const externalAt = drandRoundAt(body.drandRound);
  if (Date.parse(externalAt) <= now.getTime()) throw new AppError('SUPERVISION_DRAND_ROUND_PAST', { round: body.drandRound, at: externalAt });
  return ctx.db.transaction().execute(async (trx) => {
    const pools = await buildPools(ctx, trx, scope.regionCode);
    const problem = poolProblem(pools);
    if (problem) throw drawProblemError(problem);
    const secret = randomBytes(32).toString('hex');
    const row = await trx
      .insertInto('supervision_rounds')
      .values({
        name: body.name,
        region_code: jurisdictionPrefix(ctx, scope.regionCode).code,
        status: 'announced',
        checklist_key: body.checklistKey,
        pools: canonicalJson(pools),
        pools_digest: await poolsDigest(pools),
        commitment: await commitmentOf(secret),
        external_source: DRAND.source,
        external_round: body.drandRound,
        external_at: externalAt,
        announced_by: scope.userId ?? 0,
        announced_at: now.toISOString(),
        secret: null,
        external_value: null,
        seed: null,
        result: null,
        drawn_by: null,
        drawn_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'supervision.round_announce',
      entityType: 'supervision_round',
      entityId: row.id,
      regionCode: row.region_code,
      detail: {
        poolsDigest: row.pools_digest,
        commitment: row.commitment,
        drandRound: body.drandRound,
        targets: pools.targets.length,
        inspectors: pools.inspectors.length,
        counts: pools.counts,
      },
    });
    return { round: roundView(row), secret };
  });
}

/** POST /supervision/rounds/:id/draw: reveal, check, seed, draw, create the inspections; all or nothing (audited). */
export async function drawRound(ctx: AppContext, scope: Scope, id: number, body: DrawBody, now: Date = new Date()): Promise<RoundView> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('supervision_rounds').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new AppError('SUPERVISION_ROUND_NOT_FOUND', { id });
    if (r.status !== 'announced') throw new AppError('SUPERVISION_ALREADY_DRAWN', { id });
    if (now.getTime() < Date.parse(r.external_at)) throw new AppError('SUPERVISION_DRAW_TOO_EARLY', { round: r.external_round, at: r.external_at });
    if ((await commitmentOf(body.secret)) !== r.commitment) throw new AppError('SUPERVISION_SECRET_MISMATCH');
    const pools = JSON.parse(r.pools) as DrawPools;
    let result: DrawResult;
    let seed: string;
    try {
      seed = await seedOf(body.secret, body.externalValue, r.pools_digest);
      result = await draw(pools, seed);
    } catch (e) {
      if (e instanceof DrawError) throw drawProblemError(e.problem);
      throw e;
    }
    const drawnAt = now.toISOString();
    const updated = await trx
      .updateTable('supervision_rounds')
      .set({
        status: 'drawn',
        secret: body.secret,
        external_value: body.externalValue,
        seed,
        result: canonicalJson(result),
        drawn_by: scope.userId,
        drawn_at: drawnAt,
      })
      .where('id', '=', id)
      .where('status', '=', 'announced')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('SUPERVISION_ALREADY_DRAWN', { id });
    const names = new Map(pools.targets.map((t) => [t.key, t.name]));
    const regions = await targetRegions(
      ctx,
      trx,
      r.region_code,
      result.targets.map((t) => t.key),
    );
    for (const t of result.targets) {
      const ins = await trx
        .insertInto('supervision_inspections')
        .values({
          round_id: id,
          target_key: t.key,
          target_name: names.get(t.key) ?? t.key,
          region_code: regions.get(t.key) ?? r.region_code,
          checklist_key: r.checklist_key,
          inspectors: JSON.stringify(t.inspectors),
          status: 'assigned',
          findings: null,
          rectification_due: null,
          follow_up_note: null,
          followed_up_on: null,
          inspected_on: null,
          submitted_by: null,
          submitted_at: null,
          signed_off_by: null,
          signed_off_at: null,
          created_by: scope.userId ?? 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('supervision_inspectors')
        .values(t.inspectors.map((u) => ({ inspection_id: ins.id, user_id: u })))
        .execute();
    }
    await recordAudit(trx, scope, {
      action: 'supervision.round_draw',
      entityType: 'supervision_round',
      entityId: id,
      regionCode: r.region_code,
      detail: { seed, externalValue: body.externalValue, drandRound: r.external_round, drawn: result.targets.map((t) => t.key) },
    });
    return roundView(await trx.selectFrom('supervision_rounds').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}

/** The regions of the round's drawn targets (the pool of the round's jurisdiction). */
async function targetRegions(ctx: AppContext, db: Executor, roundRegion: string, keys: readonly string[]): Promise<Map<string, string>> {
  const pool = await targetPool(ctx, roundRegion, db);
  const wanted = new Set(keys);
  return new Map(pool.filter((t) => wanted.has(t.key)).map((t) => [t.key, t.regionCode]));
}

export async function getRound(ctx: AppContext, id: number): Promise<RoundView> {
  const r = await ctx.db.selectFrom('supervision_rounds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('SUPERVISION_ROUND_NOT_FOUND', { id });
  return roundView(r);
}

export async function listRounds(ctx: AppContext) {
  const rows = await ctx.db.selectFrom('supervision_rounds').selectAll().orderBy('id', 'desc').limit(200).execute();
  return {
    items: rows.map((r) => {
      const v = roundView(r);
      return {
        id: v.id,
        name: v.name,
        status: v.status,
        poolsDigest: v.poolsDigest,
        externalRound: v.externalRound,
        externalAt: v.externalAt,
        announcedAt: v.announcedAt,
        drawnAt: v.drawnAt,
        targets: v.pools.targets.length,
        drawn: v.result?.targets.length ?? Object.values(v.pools.counts).reduce((s, n) => s + n, 0),
      };
    }),
  };
}

/** What the announce form suggests: the drand round about a day from now. */
export function drandSuggestion(now: Date = new Date()) {
  const round = drandRoundAfter(new Date(now.getTime() + 24 * 3600_000));
  return { chain: DRAND.chain, genesis: DRAND.genesis, period: DRAND.period, suggestedRound: round, suggestedAt: drandRoundAt(round) };
}
