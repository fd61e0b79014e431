import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { complaintCountsByTarget, satisfactionByTarget } from '../complaints/signals.js';
import { upheldAnomalyCountsByProvider } from '../services/anomalies.js';
import { targetPool } from './pools.js';
import { rate, type RatingExplanation, type RatingInputs, type SeriousFinding } from './rating.js';
import { supervisionSettingsOf, TERM_KEYS, type RatingFormula } from './supervision.settings.js';
import type { RatingView } from './supervision.schema.js';

/**
 * Credit ratings (信用评价, 000 §17, 001 §37): each target's score over the formula's look-back
 * window from four signals — this module's signed-off inspection findings, complaints'
 * complaintCountsByTarget and satisfactionByTarget, services' upheld anomalies — rated by rating.ts.
 * A computation stores one row per target (the history stays); the latest is the target's grade and
 * the next round's stratum.
 */
export function windowOf(on: string, days: number): { from: string; to: string } {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (days - 1));
  return { from: d.toISOString().slice(0, 10), to: on };
}

/** Failed items of signed-off inspections in the window, per target and severity. */
export async function findingCountsByTarget(db: Executor, range: { from: string; to: string }): Promise<Map<string, RatingInputs['findings']>> {
  const rows = await db
    .selectFrom('supervision_items as i')
    .innerJoin('supervision_inspections as s', 's.id', 'i.inspection_id')
    .select(['i.target_key', 'i.severity', sql<number>`count(*)`.as('n')])
    .where('i.on_date', '>=', range.from)
    .where('i.on_date', '<=', range.to)
    .where('i.result', '=', 'fail')
    .where('s.status', '=', 'signed_off')
    .groupBy(['i.target_key', 'i.severity'])
    .execute();
  const out = new Map<string, RatingInputs['findings']>();
  for (const r of rows) {
    const f = out.get(r.target_key) ?? { minor: 0, major: 0, serious: 0 };
    if (r.severity === 'minor' || r.severity === 'major' || r.severity === 'serious') f[r.severity] += Number(r.n);
    out.set(r.target_key, f);
  }
  return out;
}

/** Failed serious items of signed-off inspections in the window, per target: the cap's explanation names them. */
export async function seriousFindingsByTarget(db: Executor, range: { from: string; to: string }): Promise<Map<string, SeriousFinding[]>> {
  const rows = await db
    .selectFrom('supervision_items as i')
    .innerJoin('supervision_inspections as s', 's.id', 'i.inspection_id')
    .select(['i.target_key', 'i.inspection_id', 'i.item_key'])
    .where('i.on_date', '>=', range.from)
    .where('i.on_date', '<=', range.to)
    .where('i.result', '=', 'fail')
    .where('i.severity', '=', 'serious')
    .where('s.status', '=', 'signed_off')
    .orderBy('i.inspection_id')
    .orderBy('i.id')
    .execute();
  const out = new Map<string, SeriousFinding[]>();
  for (const r of rows) {
    const l = out.get(r.target_key) ?? [];
    l.push({ inspectionId: r.inspection_id, itemKey: r.item_key });
    out.set(r.target_key, l);
  }
  return out;
}

/** Scores the given targets over the window: the four signals read once each, then rate() per target. */
export async function scoreTargets(
  db: Executor,
  formula: RatingFormula,
  keys: readonly string[],
  range: { from: string; to: string },
): Promise<Map<string, RatingExplanation>> {
  const [findings, complaints, anomalies, satisfaction, serious] = await Promise.all([
    findingCountsByTarget(db, range),
    complaintCountsByTarget(db, range),
    upheldAnomalyCountsByProvider(db, range),
    satisfactionByTarget(db, range),
    seriousFindingsByTarget(db, range),
  ]);
  const out = new Map<string, RatingExplanation>();
  for (const key of keys) {
    const provider = key.startsWith('provider:') ? Number(key.slice(9)) : null;
    out.set(
      key,
      rate(
        {
          findings: findings.get(key) ?? { minor: 0, major: 0, serious: 0 },
          complaints: complaints.get(key) ?? { received: 0, substantiated: 0, overdue: 0 },
          anomalies: provider === null ? null : (anomalies.get(provider) ?? 0),
          satisfaction: satisfaction.get(key) ?? null,
          seriousFindings: serious.get(key) ?? [],
        },
        formula,
      ),
    );
  }
  return out;
}

/**
 * POST /supervision/ratings/compute: rates every active target of the viewer's jurisdiction as of
 * `on` (audited, one entry), each under the formula of its own county (a city officer's targets
 * are in several).
 */
export async function computeRatings(ctx: AppContext, scope: Scope, on: string = today()): Promise<{ computed: number; on: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const targets = await targetPool(ctx, scope.regionCode, trx);
    // the targets by the jurisdiction their region is in, each with its formula and window
    const groups = new Map<string, { formula: RatingFormula; range: { from: string; to: string }; keys: string[] }>();
    const groupOf = new Map<string, string>();
    for (const t of targets) {
      const j = ctx.regions.jurisdictionOf(t.regionCode)?.code ?? '';
      let g = groups.get(j);
      if (!g) {
        const formula = supervisionSettingsOf(ctx, j).formula;
        g = { formula, range: windowOf(on, formula.windowDays), keys: [] };
        groups.set(j, g);
      }
      g.keys.push(t.key);
      groupOf.set(t.key, j);
    }
    const scores = new Map<string, RatingExplanation>();
    for (const g of groups.values()) for (const [k, x] of await scoreTargets(trx, g.formula, g.keys, g.range)) scores.set(k, x);
    // no targets: the window of the viewer's jurisdiction (what the audit entry names)
    const own = windowOf(on, supervisionSettingsOf(ctx, scope.regionCode).formula.windowDays);
    const at = nowIso();
    const rows = targets.map((t) => {
      const x = scores.get(t.key)!;
      const range = groups.get(groupOf.get(t.key)!)!.range;
      return {
        target_key: t.key,
        target_name: t.name,
        region_code: t.regionCode,
        computed_on: on,
        window_from: range.from,
        window_to: range.to,
        score: x.score,
        grade: x.grade,
        capped: x.cap?.applied ? 1 : 0,
        explanation: JSON.stringify(x),
        computed_at: at,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('supervision_ratings')
        .values(rows.slice(i, i + 500))
        .execute();
    const grades: Record<string, number> = {};
    for (const r of rows) grades[r.grade] = (grades[r.grade] ?? 0) + 1;
    await recordAudit(trx, scope, {
      action: 'supervision.ratings_compute',
      entityType: 'supervision_rating',
      // one jurisdiction's targets (a county's): its window; several: each jurisdiction's
      detail: {
        on,
        window: groups.size <= 1 ? (groups.values().next().value?.range ?? own) : Object.fromEntries([...groups].map(([j, g]) => [j, g.range])),
        targets: rows.length,
        grades,
      },
    });
    return { computed: rows.length, on };
  });
}

/** A rating stored before the cap carried its figures: they follow from its raw and final scores. */
function withCapFigures(x: RatingExplanation): RatingExplanation {
  if (!x.cap) return x;
  return {
    ...x,
    cap: { ...x.cap, scoreBefore: x.cap.scoreBefore ?? x.rawScore, scoreAfter: x.cap.scoreAfter ?? x.score, seriousFindings: x.cap.seriousFindings ?? [] },
  };
}

/** GET /supervision/ratings: the latest rating of each target in the viewer's region, worst first. */
export async function listRatings(ctx: AppContext, scope: Scope): Promise<{ items: RatingView[] }> {
  const rows = await ctx.db
    .selectFrom('supervision_ratings')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('supervision_ratings')
        .select(sql<number>`max(id)`.as('id'))
        .groupBy('target_key'),
    )
    .where(inRegion(scope, 'supervision_ratings.region_code'))
    .orderBy('score')
    .orderBy('target_key')
    .limit(2000)
    .execute();
  return {
    items: rows.map((r) => ({
      targetKey: r.target_key,
      targetName: r.target_name,
      regionCode: r.region_code,
      computedOn: r.computed_on,
      windowFrom: r.window_from,
      windowTo: r.window_to,
      score: r.score,
      grade: r.grade as RatingView['grade'],
      capped: r.capped === 1,
      explanation: withCapFigures(JSON.parse(r.explanation) as RatingExplanation),
    })),
  };
}

export const TERM_LABELS: Record<(typeof TERM_KEYS)[number], { zh: string; en: string }> = {
  finding_minor: { zh: '检查一般问题（项）', en: 'Minor inspection findings' },
  finding_major: { zh: '检查较重问题（项）', en: 'Major inspection findings' },
  finding_serious: { zh: '检查严重问题（项）', en: 'Serious inspection findings' },
  complaint_substantiated: { zh: '查实的投诉举报（件）', en: 'Substantiated complaints' },
  complaint_overdue: { zh: '超期办理的投诉（件）', en: 'Complaints past their deadline' },
  service_anomaly: { zh: '经核实的服务异常（件）', en: 'Upheld service anomalies' },
  satisfaction_shortfall: { zh: '满意度低于目标（百分点）', en: 'Satisfaction below target (points)' },
};

/** The rating formula, draw shares and checklists in force where `regionCode` is. */
export function publicFormula(ctx: AppContext, regionCode: string) {
  const s = supervisionSettingsOf(ctx, regionCode);
  return { formula: s.formula, drawShares: s.drawShares as Record<string, number>, termLabels: TERM_LABELS, checklists: s.checklists };
}

/** A target's latest credit rating (the public facility page: grade and the day computed), or null if never rated. */
export async function latestRating(db: Executor, targetKey: string): Promise<{ grade: RatingView['grade']; score: number; computedOn: string } | null> {
  const r = await db
    .selectFrom('supervision_ratings')
    .select(['grade', 'score', 'computed_on'])
    .where('target_key', '=', targetKey)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? { grade: r.grade as RatingView['grade'], score: r.score, computedOn: r.computed_on } : null;
}
