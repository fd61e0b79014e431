import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, regionInScope, type Scope } from '../../platform/scope.js';
import { ageOn, isCivilDate, nowIso, today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import type { RegionRow } from '../../db/tables.js';
import { ownProvider, scopedRows } from './access.js';
import { providerForUse } from './beds.js';
import { providerNames } from './providers.js';
import { serviceSettingsOf, type ServiceSettings } from './services.settings.js';
import type { MealPointRow } from './services.tables.js';
import type {
  CoveragePart,
  DailyQuery,
  DailyReply,
  MealBody,
  MealCoverageReply,
  MealMode,
  MealPointBody,
  MealPointView,
  MealPrice,
  MealsQuery,
  MealsReply,
  MealView,
  PatchMealPointBody,
  QuoteBody,
  QuoteReply,
} from './beds-meals.schema.js';
import { mealPointBody } from './beds-meals.schema.js';

/**
 * Meal aid (助餐; 002 §6 and §13, 003 item 27, 000 §15): canteens and delivery points, the meals
 * they serve priced by the jurisdiction's rules, daily counts and the coverage of communities.
 *
 * Decided here:
 * - meal aid is for persons of 60 and over on the day served (MEAL_MIN_AGE); younger → MEAL_NOT_ELIGIBLE;
 * - price: the settings' meal price, less the discount of the largest age step met (60, 80 …),
 *   less the hardship discount when the person's entitlement for the month holds one of the
 *   free-delivery items (nx-27), whose delivery is then free; never below zero, plus delivery;
 * - a delivery goes only to a community or village the point serves (MEAL_OUTSIDE_AREA); dine-in
 *   is open to anyone eligible who comes;
 * - one record per person, day and meal (the unique index also guards a race); a resend with the
 *   same clientId answers the meal already recorded;
 * - coverage: a community (region kind 'community', 居委会/社区, urban) or village ('village', 村,
 *   rural) is covered when an active meal point serves it — whoever's region the point sits in, a
 *   point serving places of its own jurisdiction only — measured against the settings' 80 % urban
 *   and 50 % rural targets (000 §15);
 * - a provider's staff see and use their own provider's points only; officers those in their region.
 */

export const MEAL_MIN_AGE = 60;
/** The longest period the daily counts cover in one answer. */
const MAX_DAILY_DAYS = 366;

/** The price of one meal by the rules (pure). */
export function priceMeal(rules: ServiceSettings['meals'], age: number, mode: MealMode, hardship: boolean): MealPrice {
  const applied: string[] = [];
  let discount = 0;
  const step = [...rules.ageDiscounts].filter((d) => age >= d.fromAge).sort((a, b) => b.fromAge - a.fromAge)[0];
  if (step) {
    discount += step.fen;
    applied.push(`age_${step.fromAge}`);
  }
  let delivery = mode === 'delivery' ? rules.deliveryFen : 0;
  if (hardship) {
    if (mode === 'delivery') {
      delivery = 0;
      applied.push('free_delivery');
    }
    discount += rules.hardshipDiscountFen;
    applied.push('hardship');
  }
  discount = Math.min(discount, rules.priceFen);
  return { priceFen: rules.priceFen, discountFen: discount, deliveryFen: delivery, paidFen: rules.priceFen - discount + delivery, rules: applied };
}

const parseCodes = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** A community or village (the places meal points sit in and serve), of the jurisdiction `within` when given. */
function placeOf(ctx: AppContext, code: string, within?: string): RegionRow | undefined {
  const r = ctx.regions.get(code);
  if (!r || r.level !== 'village' || (r.kind !== 'community' && r.kind !== 'village')) return undefined;
  return within === undefined || ctx.regions.jurisdictionOf(r.code)?.code === within ? r : undefined;
}

/* ---- meal points ---- */

async function pointViews(ctx: AppContext, db: Executor, rows: readonly MealPointRow[]): Promise<MealPointView[]> {
  const names = await providerNames(
    db,
    rows.map((r) => r.provider_id),
  );
  return rows.map((r) => ({
    id: r.id,
    providerId: r.provider_id,
    providerName: names.get(r.provider_id) ?? '',
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    name: r.name,
    kind: r.kind as MealPointView['kind'],
    serves: parseCodes(r.serves).map((code) => ({ code, name: ctx.regions.get(code)?.name ?? code })),
    active: r.active === 1,
  }));
}

/** GET /services/meal-points: the points of the viewer's region (a provider's staff: their own). */
export async function listPoints(ctx: AppContext, scope: Scope): Promise<{ items: MealPointView[] }> {
  const rows = await scopedRows(ctx.db.selectFrom('meal_points'), scope, 'meal_points').selectAll().orderBy('region_code').orderBy('id').execute();
  return { items: await pointViews(ctx, ctx.db, rows) };
}

/** A point the viewer may see and use, or MEAL_POINT_NOT_FOUND. */
async function pointInScope(db: Executor, scope: Scope, id: number): Promise<MealPointRow> {
  const row = await scopedRows(db.selectFrom('meal_points'), scope, 'meal_points').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('MEAL_POINT_NOT_FOUND', { id });
  return row;
}

/** The communities and villages a point serves: each one of the jurisdiction the point sits in, its own first. */
function servedPlaces(ctx: AppContext, own: string, serves: readonly string[]): string[] {
  const out = [own, ...serves.filter((c) => c !== own)];
  const j = ctx.regions.jurisdictionOf(own)?.code ?? '';
  for (const c of out) if (!placeOf(ctx, c, j)) throw new AppError('MEAL_POINT_REGION', { code: c });
  return [...new Set(out)];
}

/** POST /services/meal-points (manage): a canteen or delivery point in a community or village of the viewer's region. */
export async function createPoint(ctx: AppContext, scope: Scope, input: MealPointBody): Promise<MealPointView> {
  const body = mealPointBody.parse(input);
  const place = placeOf(ctx, body.regionCode);
  if (!place || !regionInScope(scope, place.code)) throw new AppError('MEAL_POINT_REGION', { code: body.regionCode });
  const serves = servedPlaces(ctx, place.code, body.serves);
  const row = await ctx.db.transaction().execute(async (trx) => {
    await providerForUse(ctx, trx, scope, body.providerId);
    const r = await trx
      .insertInto('meal_points')
      .values({
        provider_id: body.providerId,
        region_code: place.code,
        name: body.name,
        kind: body.kind,
        serves: JSON.stringify(serves),
        active: 1,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.meal_point_create',
      entityType: 'meal_point',
      entityId: r.id,
      regionCode: r.region_code,
      detail: { providerId: r.provider_id, name: r.name, kind: r.kind, serves },
    });
    return r;
  });
  return (await pointViews(ctx, ctx.db, [row]))[0]!;
}

/** PATCH /services/meal-points/:id (manage): renames, changes what it serves, stops or restarts it (audited, before and after). */
export async function patchPoint(ctx: AppContext, scope: Scope, id: number, body: PatchMealPointBody): Promise<MealPointView> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = await pointInScope(trx, scope, id);
    const patch: { name?: string; serves?: string; active?: number } = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.serves !== undefined) patch.serves = JSON.stringify(servedPlaces(ctx, before.region_code, body.serves));
    if (body.active !== undefined) patch.active = body.active ? 1 : 0;
    if (!Object.keys(patch).length) return before;
    await trx.updateTable('meal_points').set(patch).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'services.meal_point_update',
      entityType: 'meal_point',
      entityId: id,
      regionCode: before.region_code,
      fields: Object.keys(patch),
      detail: {
        before: Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof typeof patch]])),
        after: patch,
      },
    });
    return { ...before, ...patch };
  });
  return (await pointViews(ctx, ctx.db, [row]))[0]!;
}

/* ---- meals ---- */

interface Priced {
  point: MealPointRow;
  regionCode: string;
  price: QuoteReply;
}

/** Every check of a meal and its price, before anything is written. */
async function priceFor(ctx: AppContext, db: Executor, scope: Scope, body: QuoteBody): Promise<Priced> {
  const now = today();
  if (!isCivilDate(body.servedOn) || body.servedOn > now) throw new AppError('MEAL_DATE_FUTURE', { servedOn: body.servedOn, today: now });
  const point = await pointInScope(db, scope, body.pointId);
  if (!point.active) throw new AppError('MEAL_POINT_INACTIVE', { id: point.id });
  if (!(await personPermitted(db, scope, body.personId))) throw notFound('person');
  const [person] = await personColumns(db, ['id', 'region_code', 'status', 'birth_date'], [body.personId]);
  if (!person) throw notFound('person');
  if (person.status !== 'active') throw new AppError('SERVICE_BED_PERSON_INACTIVE', { personId: body.personId, status: String(person.status) });
  const age = ageOn(String(person.birth_date), body.servedOn);
  if (age < MEAL_MIN_AGE) throw new AppError('MEAL_NOT_ELIGIBLE', { personId: body.personId, servedOn: body.servedOn, age, minAge: MEAL_MIN_AGE });
  const regionCode = String(person.region_code);
  if (body.mode === 'delivery' && !parseCodes(point.serves).includes(regionCode))
    throw new AppError('MEAL_OUTSIDE_AREA', { pointId: point.id, region: ctx.regions.get(regionCode)?.name ?? regionCode });
  const served = await db
    .selectFrom('meal_servings')
    .select('id')
    .where('person_id', '=', body.personId)
    .where('served_on', '=', body.servedOn)
    .where('meal', '=', body.meal)
    .executeTakeFirst();
  if (served) throw new AppError('MEAL_ALREADY_SERVED', { personId: body.personId, servedOn: body.servedOn, id: served.id });
  // priced by the rules of the person's jurisdiction
  const rules = serviceSettingsOf(ctx, regionCode).meals;
  // the rows of every jurisdiction that entitles the person this month (the county's, the city's: issue 21)
  const ents = await db
    .selectFrom('service_entitlements')
    .select('items')
    .where('person_id', '=', body.personId)
    .where('period', '=', body.servedOn.slice(0, 7))
    .execute();
  const hardship = ents.some((ent) => parseCodes(ent.items).some((i) => rules.freeDeliveryItems.includes(i)));
  return { point, regionCode, price: { ...priceMeal(rules, age, body.mode, hardship), age } };
}

/** POST /services/meals/quote: what the meal would cost, with every check of recording it (nothing written). */
export async function quoteMeal(ctx: AppContext, scope: Scope, body: QuoteBody): Promise<QuoteReply> {
  return (await priceFor(ctx, ctx.db, scope, body)).price;
}

type ServingRow = {
  id: number;
  point_id: number;
  person_id: number;
  served_on: string;
  meal: string;
  mode: string;
  price_fen: number;
  discount_fen: number;
  delivery_fen: number;
  paid_fen: number;
  rules: string;
};

async function mealViews(db: Executor, rows: readonly ServingRow[]): Promise<MealView[]> {
  if (!rows.length) return [];
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const points = new Map(
    (
      await db
        .selectFrom('meal_points')
        .select(['id', 'name'])
        .where('id', 'in', [...new Set(rows.map((r) => r.point_id))])
        .execute()
    ).map((p) => [p.id, p.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    personName: labels.get(r.person_id)?.name ?? '',
    pointId: r.point_id,
    pointName: points.get(r.point_id) ?? '',
    servedOn: r.served_on,
    meal: r.meal as MealView['meal'],
    mode: r.mode as MealView['mode'],
    priceFen: r.price_fen,
    discountFen: r.discount_fen,
    deliveryFen: r.delivery_fen,
    paidFen: r.paid_fen,
    rules: parseCodes(r.rules),
  }));
}

const isUniqueViolation = (e: unknown) => /unique|23505/i.test(`${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`);

/** POST /services/meals: records a meal served, priced by the rules; a resend with the same clientId answers the same record. */
export async function recordMeal(ctx: AppContext, scope: Scope, body: MealBody): Promise<MealView> {
  const again = await ctx.db.selectFrom('meal_servings').selectAll().where('client_id', '=', body.clientId).executeTakeFirst();
  if (again) {
    if (again.person_id !== body.personId || again.served_on !== body.servedOn || again.meal !== body.meal)
      throw new AppError('MEAL_ALREADY_SERVED', { personId: again.person_id, servedOn: again.served_on, id: again.id });
    await pointInScope(ctx.db, scope, again.point_id);
    return (await mealViews(ctx.db, [again]))[0]!;
  }
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const { point, regionCode, price } = await priceFor(ctx, trx, scope, body);
      const r = await trx
        .insertInto('meal_servings')
        .values({
          client_id: body.clientId,
          point_id: point.id,
          person_id: body.personId,
          region_code: regionCode,
          served_on: body.servedOn,
          meal: body.meal,
          mode: body.mode,
          price_fen: price.priceFen,
          discount_fen: price.discountFen,
          delivery_fen: price.deliveryFen,
          paid_fen: price.paidFen,
          rules: JSON.stringify(price.rules),
          recorded_by: scope.userId ?? 0,
          recorded_at: nowIso(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, scope, {
        action: 'services.meal_record',
        entityType: 'meal_serving',
        entityId: r.id,
        regionCode,
        detail: { persons: [body.personId], pointId: point.id, servedOn: body.servedOn, meal: body.meal, mode: body.mode, paidFen: price.paidFen },
      });
      return r;
    });
    return (await mealViews(ctx.db, [row]))[0]!;
  } catch (e) {
    // a race: the same request twice (merged: the one stored answers both), or the same meal from two devices
    const duplicate = isUniqueViolation(e) || (e instanceof AppError && e.code === 'MEAL_ALREADY_SERVED');
    if (!duplicate) throw e;
    const same = await ctx.db.selectFrom('meal_servings').selectAll().where('client_id', '=', body.clientId).executeTakeFirst();
    if (same && same.person_id === body.personId) return (await mealViews(ctx.db, [same]))[0]!;
    if (!isUniqueViolation(e)) throw e;
    const other = await ctx.db
      .selectFrom('meal_servings')
      .select('id')
      .where('person_id', '=', body.personId)
      .where('served_on', '=', body.servedOn)
      .where('meal', '=', body.meal)
      .executeTakeFirst();
    throw new AppError('MEAL_ALREADY_SERVED', { personId: body.personId, servedOn: body.servedOn, id: other?.id ?? 0 });
  }
}

/** Meals the viewer may see: at their provider's points (a provider's staff), or of persons of their region (officers). */
function servingsInScope(db: Executor, scope: Scope) {
  const own = ownProvider(scope);
  let q = db.selectFrom('meal_servings');
  if (own !== null) q = q.where('point_id', 'in', db.selectFrom('meal_points').select('id').where('provider_id', '=', own));
  else q = q.where(inRegion(scope, 'meal_servings.region_code'));
  return q;
}

/** GET /services/meals: the meals recorded (a day, a point), newest first (audited: names shown). */
export function listMeals(ctx: AppContext, scope: Scope, f: MealsQuery): Promise<MealsReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = servingsInScope(trx, scope);
      if (f.servedOn) q = q.where('served_on', '=', f.servedOn);
      if (f.pointId) q = q.where('point_id', '=', f.pointId);
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('served_on', 'desc')
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute();
      return { items: await mealViews(trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'services.meals_read', entityType: 'meal_serving', persons: r.items.map((m) => m.personId) }),
  );
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** GET /services/meals/daily: meals per day and point of the viewer's points (counts only, no one named). */
export async function mealsDaily(ctx: AppContext, scope: Scope, f: DailyQuery): Promise<DailyReply> {
  const to = f.to ?? today();
  const from = f.from ?? addDays(to, -29);
  if (!isCivilDate(from) || !isCivilDate(to) || from > to || daysBetween(from, to) >= MAX_DAILY_DAYS)
    throw new AppError('MEAL_DAILY_RANGE', { from, to, days: MAX_DAILY_DAYS });
  let points = scopedRows(ctx.db.selectFrom('meal_points'), scope, 'meal_points').select(['id', 'name']);
  if (f.pointId) points = points.where('id', '=', f.pointId);
  const pts = await points.execute();
  if (!pts.length) return { from, to, items: [] };
  const names = new Map(pts.map((p) => [p.id, p.name]));
  const rows = await ctx.db
    .selectFrom('meal_servings')
    .select([
      'served_on',
      'point_id',
      sql<number>`sum(case when mode = 'dine_in' then 1 else 0 end)`.as('dine_in'),
      sql<number>`sum(case when mode = 'delivery' then 1 else 0 end)`.as('delivery'),
      sql<number>`count(distinct person_id)`.as('persons'),
      sql<number>`sum(price_fen)`.as('price'),
      sql<number>`sum(discount_fen)`.as('discount'),
      sql<number>`sum(paid_fen)`.as('paid'),
    ])
    .where('point_id', 'in', [...names.keys()])
    .where('served_on', '>=', from)
    .where('served_on', '<=', to)
    .groupBy(['served_on', 'point_id'])
    .orderBy('served_on')
    .orderBy('point_id')
    .execute();
  return {
    from,
    to,
    items: rows.map((r) => ({
      date: r.served_on,
      pointId: r.point_id,
      pointName: names.get(r.point_id) ?? '',
      dineIn: Number(r.dine_in),
      delivery: Number(r.delivery),
      persons: Number(r.persons),
      priceFen: Number(r.price),
      discountFen: Number(r.discount),
      paidFen: Number(r.paid),
    })),
  };
}

const part = (communities: number, covered: number, targetPercent: number): CoveragePart => ({
  communities,
  covered,
  percent: communities ? Math.round((covered / communities) * 1000) / 10 : 0,
  targetPercent,
});

/** GET /services/meals/coverage: the share of the viewer's communities (urban) and villages (rural) an active point serves. */
export async function mealCoverage(ctx: AppContext, scope: Scope): Promise<MealCoverageReply> {
  const settings = serviceSettingsOf(ctx, scope.regionCode);
  // the points of the viewer's jurisdiction (a city's officer: every county's), wherever in it they sit
  const j = ctx.regions.jurisdictionOf(scope.regionCode);
  const active = await ctx.db
    .selectFrom('meal_points')
    .select('serves')
    .where('active', '=', 1)
    .where(inRegion({ ...scope, regionPrefix: j?.prefix ?? '' }, 'meal_points.region_code'))
    .execute();
  const covered = new Set(active.flatMap((p) => parseCodes(p.serves)));
  const places = ctx.regions.inScope(scope).filter((r) => placeOf(ctx, r.code));
  const count = (rows: RegionRow[], kind: string) => {
    const of = rows.filter((r) => r.kind === kind);
    return [of.length, of.filter((r) => covered.has(r.code)).length] as const;
  };
  const urbanTarget = settings.mealCoverageUrbanPercent;
  const ruralTarget = settings.mealCoverageRuralPercent;
  const towns = new Map<string, RegionRow[]>();
  for (const p of places) {
    const t = ctx.regions.town(p.code)?.code ?? p.parent_code ?? p.code;
    towns.set(t, [...(towns.get(t) ?? []), p]);
  }
  return {
    urban: part(...count(places, 'community'), urbanTarget),
    rural: part(...count(places, 'village'), ruralTarget),
    byTown: [...towns.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, rows]) => ({
        regionCode: code,
        regionName: ctx.regions.get(code)?.name ?? code,
        urban: part(...count(rows, 'community'), urbanTarget),
        rural: part(...count(rows, 'village'), ruralTarget),
      })),
  };
}
