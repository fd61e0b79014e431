import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { AggregateSource, Member, Span } from '../indicators/contract.js';
import { targetPool } from './pools.js';
import { windowOf } from './ratings.js';
import { supervisionSettingsOf } from './supervision.settings.js';

/**
 * Supervision's aggregate source for the indicators (issue 20, R11).
 *
 * supervision.creditRated — credit-rating coverage (信用评价, 000 §17 "建立养老服务机构信用评价体系"):
 * targets of the pools (every active facility and active home-service provider, pools.ts
 * targetPool) with a CURRENT credit rating at asOf ÷ all targets. Current: its latest rating
 * computed on or before asOf was computed within the formula's look-back window (windowDays,
 * default 365) before asOf — an older one rates nothing the target did lately.
 * 004 §15's "养老机构等级评定覆盖率达到80%以上" is the GRADE (等级评定, 一级–五级) of institutions, not
 * this credit rating: that figure is facilities.ratedInstitutions. The seeds set no target for
 * credit-rating coverage. Cells at the target's region; members are the targets with their grade.
 */

interface Rated {
  key: string;
  name: string;
  kind: string;
  regionCode: string;
  rating: { grade: string; score: number; on: string } | null;
}

async function ratedTargets(ctx: AppContext, db: Executor, span: Span): Promise<Rated[]> {
  // every target of the platform, each current by the window of its own county's formula
  const targets = await targetPool(ctx, ctx.regions.top()?.code ?? '', db);
  const fromByRegion = new Map<string, string>();
  const fromOf = (regionCode: string) => {
    let from = fromByRegion.get(regionCode);
    if (from === undefined) {
      from = windowOf(span.asOf, supervisionSettingsOf(ctx, regionCode).formula.windowDays).from;
      fromByRegion.set(regionCode, from);
    }
    return from;
  };
  const latest = await db
    .selectFrom('supervision_ratings as r')
    .select(['r.target_key', 'r.grade', 'r.score', 'r.computed_on'])
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom('supervision_ratings')
        .select(sql<number>`max(id)`.as('id'))
        .where('computed_on', '<=', span.asOf)
        .groupBy('target_key'),
    )
    .execute();
  const latestOf = new Map(latest.map((r) => [r.target_key, { grade: r.grade, score: r.score, on: r.computed_on }]));
  return targets.map((t) => {
    const r = latestOf.get(t.key);
    return { key: t.key, name: t.name, kind: t.kind, regionCode: t.regionCode, rating: r && r.on >= fromOf(t.regionCode) ? r : null };
  });
}

const creditRated: AggregateSource = {
  key: 'supervision.creditRated',
  label: { zh: '养老服务机构信用评价覆盖率', en: 'Credit-rating coverage of care organisations' },
  async cells(ctx, db, span) {
    const cells = new Map<string, { region: string; num: number; den: number }>();
    for (const t of await ratedTargets(ctx, db, span)) {
      const c = cells.get(t.regionCode) ?? { region: t.regionCode, num: 0, den: 0 };
      c.num += t.rating ? 1 : 0;
      c.den += 1;
      cells.set(t.regionCode, c);
    }
    return [...cells.values()];
  },
  async members(ctx, db, span, prefixes) {
    return (await ratedTargets(ctx, db, span))
      .filter((t) => prefixes.some((p) => t.regionCode.startsWith(p)))
      .map((t): Member => ({
        kind: t.key.startsWith('provider:') ? 'provider' : 'facility',
        id: Number(t.key.slice(t.key.indexOf(':') + 1)),
        name: t.name,
        region: t.regionCode,
        detail: t.rating
          ? {
              zh: `信用等级 ${t.rating.grade}（${t.rating.score} 分，${t.rating.on} 评定）`,
              en: `Credit grade ${t.rating.grade} (${t.rating.score}, rated ${t.rating.on})`,
            }
          : { zh: '无有效信用评价', en: 'No current credit rating' },
        inNumerator: t.rating !== null,
      }));
  },
};

export const supervisionAggregates: AggregateSource[] = [creditRated];
