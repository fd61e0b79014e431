import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { today } from '../../platform/time.js';
import { overridesFor } from '../catalogue/catalogue.repository.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { publicCatalogue } from '../entitlements/entitlements.service.js';
import { valueOn } from '../catalogue/engine.js';
import { amountWords, ruleWords } from '../catalogue/rule-words.js';
import { publicFacility } from '../facilities/public.js';
import { publicResults } from '../supervision/inspections.js';
import { latestRating } from '../supervision/ratings.js';
import type { FacilityPageReply, PortalReply, RectificationState, ServicesReply } from './public.schema.js';
import { publicSettingsOf } from './public.settings.js';

/** The console's public pages, by key (web/src/modules/public and the modules' own public pages). */
const LINKS: PortalReply['links'] = [
  { key: 'services', path: '/public/catalogue' },
  { key: 'facilities', path: '/facility-map' },
  { key: 'selfCheck', path: '/self-check' },
  { key: 'complaint', path: '/complaint' },
  { key: 'track', path: '/complaint/track' },
  { key: 'admissionTrack', path: '/admission/track' },
  { key: 'apply', path: '/public/apply' },
  { key: 'supervision', path: '/public/supervision' },
];

/**
 * The portal's home: the jurisdiction, whom to call and when, how to apply, where to go, the
 * consent text; of a place when one is chosen (a county's own hotline), else of the platform's top;
 * and the places to choose from (the counties, each under its city).
 */
export function portal(ctx: AppContext, place?: string): PortalReply {
  const top = ctx.regions.top();
  const at = (place && ctx.regions.get(place)) || top;
  const j = at ? ctx.regions.jurisdictionOf(at.code) : undefined;
  const s = publicSettingsOf(ctx, j?.code ?? '');
  const counties = ctx.regions.counties();
  return {
    jurisdiction: { code: j?.code ?? '', name: j?.name ?? '' },
    places:
      counties.length > 1
        ? counties.map((c) => ({ code: c.code, name: c.name, parent: c.parent_code ? (ctx.regions.get(c.parent_code)?.name ?? null) : null }))
        : [],
    hotline: s.hotline,
    hotlineLabel: s.hotlineLabel,
    hours: s.hours,
    apply: s.apply,
    window: s.window,
    consent: s.consent,
    links: LINKS,
  };
}

/**
 * The catalogue in force this month in plain words (R12): for each item who can get it (its rule
 * in words, as the self-check and the catalogue page say it: catalogue/rule-words.ts), what it is,
 * how much (the amounts in force, in yuan), whether the monthly run grants it without an
 * application (免申即享, the setting's kinds) and whom to ask.
 */
export async function services(ctx: AppContext, place?: string): Promise<ServicesReply> {
  const period = today().slice(0, 7);
  const jurisdiction = publicCatalogue(ctx, place);
  const owner = (place ? ctx.regions.jurisdictionChain(place) : ctx.regions.counties()).find((j) => catalogueOf(ctx, j.code) === jurisdiction);
  const cat = ctx.catalogues.forPeriod(jurisdiction, period);
  const overrides = await overridesFor(ctx.db, jurisdiction);
  const on = today();
  // the amounts in force today, as the catalogue page prints them
  const current = Object.fromEntries([...cat.parameters.values()].map((p) => [p.name, valueOn(p, overrides, on)?.value ?? null]));
  const s = publicSettingsOf(ctx, owner?.code ?? ctx.regions.top()?.code ?? '');
  const automatic = new Set<string>(s.automaticKinds);
  return {
    title: cat.title,
    effective: cat.effective,
    period,
    county: owner?.name ?? '',
    partial: cat.partial,
    items: cat.items.map((i) => ({
      id: i.id,
      no: i.no,
      name: i.name,
      what: i.content,
      group: i.target,
      who: ruleWords(cat, i, current),
      amount: amountWords(cat, i, current),
      kind: i.benefit.kind,
      types: i.types,
      automatic: automatic.has(i.benefit.kind),
      ask: i.department ? { zh: `${i.department}；或${s.window.zh}`, en: `${i.department}; or ${s.window.en}` } : s.window,
    })),
  };
}

/**
 * A facility's public page: the place (kind, grade, ownership, address, beds and free beds by
 * type), its published inspection results and its current credit grade with the day it was
 * computed. Nothing about its residents. Unknown, closed or outside the jurisdiction: not found.
 */
export async function facilityPage(ctx: AppContext, id: number): Promise<FacilityPageReply> {
  const facility = await publicFacility(ctx, id);
  if (!facility) throw new AppError('NOT_FOUND', { what: { zh: `养老服务设施（编号 ${id}）`, en: `Facility ${id}` } });
  const key = `facility:${id}`;
  const [results, rating] = await Promise.all([publicResults(ctx, { targetKey: key }), latestRating(ctx.db, key)]);
  const on = today();
  const inspections = results.items.map((r) => ({ ...r, rectification: rectificationState(r, on) }));
  return { facility, inspections, rating: rating ? { grade: rating.grade, computedOn: rating.computedOn } : null };
}

/**
 * Where an inspection's rectification stands on a day: a follow-up recorded (supervision's
 * follow-up, the rectification checked) is 已整改; otherwise within the deadline 整改中, past it
 * 逾期未整改; no deadline (nothing failed): null.
 */
export function rectificationState(r: { rectificationDue: string | null; followedUpOn: string | null }, on: string): RectificationState | null {
  if (r.rectificationDue === null) return null;
  if (r.followedUpOn !== null) return 'rectified';
  return on > r.rectificationDue ? 'overdue' : 'rectifying';
}
