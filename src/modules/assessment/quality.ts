import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { scheduleOf } from './assessment.settings.js';
import { assessorFor } from './assignments.js';
import { inChunks, regionScope } from './due.js';
import type { AssignSampleBody, DrawBody, DrawsReply, DrawSummary, DrawView, SampleView } from './schedule.schema.js';

/**
 * Quality re-assessments (issue 15): a share of the reviewed assessments (default 5 %, the
 * setting's qualityPermille) drawn at random, reproducibly, for a second assessor's re-assessment,
 * with the agreement rate reported.
 *
 * Reproducible: the draw stores a seed made at random when it is drawn; the candidates (reviewed
 * assessments, reason not 'quality', reference date in [from, to], in the region, reviewed before
 * the draw) are ordered by sha256(seed + ':' + assessment id) in hex (then by id) and the first
 * ceil(n × permille / 1000) taken (`drawSample`). Anyone holding the seed and the candidate list
 * gets the same sample.
 *
 * A sample's re-assessment is the person's first reviewed assessment with reason 'quality' reviewed
 * after the draw; agreed = the same final level. Both are found on read and stored on the sample
 * (`settle`), so the figures need no join at read time after that.
 */

/** How many of `n` candidates a draw of `permille` takes: ceil(n × permille / 1000). */
export function sampleSize(n: number, permille: number): number {
  return Math.ceil((n * permille) / 1000);
}

/** The draw: the candidates ordered by sha256(seed:id) (hex, then id), the first sampleSize taken. Pure. */
export function drawSample(seed: string, candidateIds: readonly number[], permille: number): number[] {
  const keyed = [...new Set(candidateIds)].map((id) => ({ id, key: createHash('sha256').update(`${seed}:${id}`).digest('hex') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
  return keyed.slice(0, sampleSize(keyed.length, permille)).map((k) => k.id);
}

/** The candidates of a draw as they stand for `drawnAt` (the same list a re-run reads). */
export async function drawCandidates(db: Executor, scope: Scope, from: string, to: string, drawnAt: string) {
  return db
    .selectFrom('assessments')
    .select(['id', 'person_id', 'region_code'])
    .where('status', '=', 'reviewed')
    .where('reason', '!=', 'quality')
    .where('reference_date', '>=', from)
    .where('reference_date', '<=', to)
    .where('reviewed_at', '<=', drawnAt)
    .where(inRegion(scope, 'region_code'))
    .orderBy('id')
    .execute();
}

/** POST /api/assessments/quality-draws. */
export async function createDraw(ctx: AppContext, scope: Scope, body: DrawBody): Promise<DrawView> {
  requireAction(scope, 'assessments.schedule');
  if (body.from > body.to) throw new AppError('ASSESSMENT_DRAW_DATES', { from: body.from, to: body.to });
  const within = regionScope(ctx, scope, body.regionCode);
  const region = ctx.regions.get(within.regionCode) ?? ctx.regions.top();
  // the share the schedule of the region drawn sets (its county's, or its city's)
  const permille = body.permille ?? scheduleOf(ctx, region?.code ?? within.regionCode).qualityPermille;
  const id = await ctx.db.transaction().execute(async (trx) => {
    const drawnAt = nowIso();
    const candidates = await drawCandidates(trx, within, body.from, body.to, drawnAt);
    if (!candidates.length) throw new AppError('ASSESSMENT_DRAW_EMPTY', { region: region?.name ?? within.regionCode, from: body.from, to: body.to });
    const seed = randomBytes(16).toString('hex');
    const chosen = drawSample(
      seed,
      candidates.map((c) => c.id),
      permille,
    );
    const { id } = await trx
      .insertInto('assessment_quality_draws')
      .values({
        region_code: region?.code ?? within.regionCode,
        from_date: body.from,
        to_date: body.to,
        share_permille: permille,
        seed,
        population: candidates.length,
        drawn_by: scope.userId ?? 0,
        drawn_at: drawnAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const byId = new Map(candidates.map((c) => [c.id, c]));
    for (let i = 0; i < chosen.length; i += 200)
      await trx
        .insertInto('assessment_quality_samples')
        .values(
          chosen.slice(i, i + 200).map((a) => ({
            draw_id: id,
            assessment_id: a,
            person_id: byId.get(a)!.person_id,
            region_code: byId.get(a)!.region_code,
            reassessor_id: null,
            reassessment_id: null,
            agreed: null,
          })),
        )
        .execute();
    await recordAudit(trx, scope, {
      action: 'assessment.quality_draw',
      entityType: 'assessment_quality_draw',
      entityId: id,
      regionCode: region?.code ?? null,
      detail: { from: body.from, to: body.to, permille, population: candidates.length, sample: chosen.length, seed },
    });
    return id;
  });
  return getDraw(ctx, scope, id);
}

/**
 * Finds the re-assessments of the unsettled samples of these draws and stores them with whether
 * they agree (in the caller's transaction).
 */
async function settle(db: Executor, drawIds: readonly number[]): Promise<void> {
  if (!drawIds.length) return;
  const open = await db
    .selectFrom('assessment_quality_samples as s')
    .innerJoin('assessment_quality_draws as d', 'd.id', 's.draw_id')
    .innerJoin('assessments as o', 'o.id', 's.assessment_id')
    .select(['s.id', 's.person_id', 'd.drawn_at', 'o.final_level'])
    .where('s.draw_id', 'in', [...drawIds])
    .where('s.reassessment_id', 'is', null)
    .execute();
  if (!open.length) return;
  const found = await inChunks(
    open.map((o) => o.person_id),
    (chunk) =>
      db
        .selectFrom('assessments')
        .select(['id', 'person_id', 'reviewed_at', 'final_level'])
        .where('person_id', 'in', chunk)
        .where('reason', '=', 'quality')
        .where('status', '=', 'reviewed')
        .orderBy('reviewed_at')
        .orderBy('id')
        .execute(),
  );
  for (const s of open) {
    const r = found.find((a) => a.person_id === s.person_id && a.reviewed_at !== null && a.reviewed_at > s.drawn_at);
    if (!r) continue;
    await db
      .updateTable('assessment_quality_samples')
      .set({ reassessment_id: r.id, agreed: r.final_level !== null && r.final_level === s.final_level ? 1 : 0 })
      .where('id', '=', s.id)
      .execute();
  }
}

type DrawRow = {
  id: number;
  region_code: string;
  from_date: string;
  to_date: string;
  share_permille: number;
  seed: string;
  population: number;
  drawn_by: number;
  drawn_at: string;
};

async function summaries(ctx: AppContext, db: Executor, draws: DrawRow[]): Promise<DrawSummary[]> {
  const ids = draws.map((d) => d.id);
  const counts = ids.length
    ? await db
        .selectFrom('assessment_quality_samples')
        .select([
          'draw_id',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.count<number>('reassessment_id').as('reassessed'),
          (eb) => eb.fn.sum<number>('agreed').as('agreed'),
        ])
        .where('draw_id', 'in', ids)
        .groupBy('draw_id')
        .execute()
    : [];
  const byDraw = new Map(counts.map((c) => [c.draw_id, c]));
  const names = await displayNames(
    db,
    draws.map((d) => d.drawn_by),
  );
  return draws.map((d) => {
    const c = byDraw.get(d.id);
    const reassessed = Number(c?.reassessed ?? 0);
    const agreed = Number(c?.agreed ?? 0);
    return {
      id: d.id,
      regionCode: d.region_code,
      regionName: ctx.regions.get(d.region_code)?.name ?? d.region_code,
      from: d.from_date,
      to: d.to_date,
      permille: d.share_permille,
      seed: d.seed,
      population: d.population,
      sampleSize: Number(c?.n ?? 0),
      reassessed,
      agreed,
      agreementRate: reassessed ? Math.round((agreed / reassessed) * 10_000) / 10_000 : null,
      drawnBy: { id: d.drawn_by, name: names.get(d.drawn_by) ?? String(d.drawn_by) },
      drawnAt: d.drawn_at,
    };
  });
}

/** GET /api/assessments/quality-draws: the draws in the viewer's region, newest first. */
export async function listDraws(ctx: AppContext, scope: Scope, q: { page: number; pageSize: number }): Promise<DrawsReply> {
  requireAction(scope, 'assessments.read');
  return ctx.db.transaction().execute(async (trx) => {
    const base = trx.selectFrom('assessment_quality_draws').where(inRegion(scope, 'region_code'));
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await base
      .selectAll()
      .orderBy('id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    await settle(
      trx,
      rows.map((r) => r.id),
    );
    return { items: await summaries(ctx, trx, rows), total, page: q.page, pageSize: q.pageSize };
  });
}

/** GET /api/assessments/quality-draws/:id: the draw and its samples (names and masked IDs: an audited read). */
export async function getDraw(ctx: AppContext, scope: Scope, id: number): Promise<DrawView> {
  requireAction(scope, 'assessments.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const d = await trx.selectFrom('assessment_quality_draws').selectAll().where('id', '=', id).where(inRegion(scope, 'region_code')).executeTakeFirst();
      if (!d) throw new AppError('ASSESSMENT_DRAW_NOT_FOUND', { id });
      await settle(trx, [id]);
      const [summary] = await summaries(ctx, trx, [d]);
      const samples = await trx.selectFrom('assessment_quality_samples').selectAll().where('draw_id', '=', id).orderBy('id').execute();
      return { ...summary!, samples: await sampleViews(trx, samples) };
    },
    (r) => ({
      action: 'assessment.quality_read',
      entityType: 'assessment_quality_draw',
      entityId: id,
      fields: ['name', 'idNumber', 'capabilityLevel'],
      persons: r.samples.map((s) => s.personId),
    }),
  );
}

type SampleRow = {
  id: number;
  draw_id: number;
  assessment_id: number;
  person_id: number;
  region_code: string;
  reassessor_id: number | null;
  reassessment_id: number | null;
  agreed: number | null;
};

async function sampleViews(db: Executor, samples: SampleRow[]): Promise<SampleView[]> {
  const assessmentIds = samples.flatMap((s) => [s.assessment_id, ...(s.reassessment_id === null ? [] : [s.reassessment_id])]);
  const records = new Map(
    (
      await inChunks(assessmentIds, (chunk) =>
        db.selectFrom('assessments').select(['id', 'reference_date', 'final_level', 'assessor1_id', 'assessor2_id']).where('id', 'in', chunk).execute(),
      )
    ).map((a) => [a.id, a]),
  );
  const labels = await personLabels(
    db,
    samples.map((s) => s.person_id),
  );
  const names = await displayNames(db, [...[...records.values()].flatMap((a) => [a.assessor1_id, a.assessor2_id]), ...samples.map((s) => s.reassessor_id)]);
  const ref = (id: number) => ({ id, name: names.get(id) ?? String(id) });
  type Level = NonNullable<SampleView['original']['level']>;
  return samples.map((s) => {
    const o = records.get(s.assessment_id)!;
    const r = s.reassessment_id === null ? undefined : records.get(s.reassessment_id);
    return {
      id: s.id,
      drawId: s.draw_id,
      assessmentId: s.assessment_id,
      personId: s.person_id,
      name: labels.get(s.person_id)?.name ?? '',
      idMasked: labels.get(s.person_id)?.idMasked ?? '',
      regionCode: s.region_code,
      original: {
        referenceDate: o.reference_date,
        level: o.final_level as Level | null,
        assessor1: ref(o.assessor1_id),
        assessor2: o.assessor2_id === null ? null : ref(o.assessor2_id),
      },
      reassessor: s.reassessor_id === null ? null : ref(s.reassessor_id),
      reassessment: r ? { id: r.id, referenceDate: r.reference_date, level: r.final_level as Level | null } : null,
      agreed: s.agreed === null ? null : s.agreed === 1,
    };
  });
}

/** POST /api/assessments/quality-samples/:id/assign: names the re-assessor (not one of the original two). */
export async function assignSample(ctx: AppContext, scope: Scope, id: number, body: AssignSampleBody): Promise<SampleView> {
  requireAction(scope, 'assessments.schedule');
  return ctx.db.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('assessment_quality_samples').selectAll().where('id', '=', id).where(inRegion(scope, 'region_code')).executeTakeFirst();
    if (!s) throw new AppError('ASSESSMENT_SAMPLE_NOT_FOUND', { id });
    const o = await trx.selectFrom('assessments').select(['assessor1_id', 'assessor2_id']).where('id', '=', s.assessment_id).executeTakeFirstOrThrow();
    if (body.assessorId === o.assessor1_id || body.assessorId === o.assessor2_id) throw new AppError('ASSESSMENT_SAMPLE_SAME_ASSESSOR');
    await assessorFor(ctx, trx, body.assessorId, [{ personId: s.person_id, regionCode: s.region_code }]);
    await trx.updateTable('assessment_quality_samples').set({ reassessor_id: body.assessorId }).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'assessment.quality_assign',
      entityType: 'assessment_quality_draw',
      entityId: s.draw_id,
      regionCode: s.region_code,
      detail: { sample: id, person: s.person_id, assessorId: body.assessorId, previous: s.reassessor_id },
    });
    return (await sampleViews(trx, [{ ...s, reassessor_id: body.assessorId }]))[0]!;
  });
}
