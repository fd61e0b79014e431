import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { viewerJurisdictions } from './access.js';
import type { ServiceItemRow } from './services.tables.js';
import {
  ITEM_MINUTES_MAX,
  ITEM_MINUTES_MIN,
  ITEM_PRICE_MAX_FEN,
  ITEM_PRICE_MIN_FEN,
  type CreateItemBody,
  type ItemCategory,
  type ServiceItemView,
  type UpdateItemBody,
} from './providers.schema.js';

/**
 * Service items (助餐 助洁 助浴 助行 助医 助急 其他): what an order buys, with its price and
 * standard duration, per jurisdiction. The first read of a jurisdiction's items seeds its defaults.
 */

/**
 * The defaults a jurisdiction starts with. The prices are EXAMPLES (no seed names them; 001 专栏1
 * gives only the monthly amounts of 50 and 120 yuan): an officer edits them on the items page.
 */
export const DEFAULT_ITEMS: readonly {
  code: string;
  category: ItemCategory;
  nameZh: string;
  nameEn: string;
  priceFen: number;
  standardMinutes: number;
}[] = [
  { code: 'meal', category: 'meal', nameZh: '助餐', nameEn: 'Meal help', priceFen: 1_500, standardMinutes: 30 },
  { code: 'clean', category: 'clean', nameZh: '助洁', nameEn: 'Cleaning', priceFen: 5_000, standardMinutes: 60 },
  { code: 'bath', category: 'bath', nameZh: '助浴', nameEn: 'Bathing', priceFen: 8_000, standardMinutes: 60 },
  { code: 'walk', category: 'walk', nameZh: '助行', nameEn: 'Walking help', priceFen: 3_000, standardMinutes: 60 },
  { code: 'medical', category: 'medical', nameZh: '助医', nameEn: 'Medical help', priceFen: 4_000, standardMinutes: 60 },
  { code: 'emergency', category: 'emergency', nameZh: '助急', nameEn: 'Emergency help', priceFen: 5_000, standardMinutes: 30 },
  { code: 'chat', category: 'other', nameZh: '精神慰藉（陪伴聊天）', nameEn: 'Company and conversation', priceFen: 3_000, standardMinutes: 60 },
];

/** The item with this id, whatever its jurisdiction or state; null if none. */
export async function itemById(db: Executor, id: number): Promise<ServiceItemRow | null> {
  return (await db.selectFrom('service_items').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/**
 * Seeds the jurisdiction's default items on first use (when it has none at all): safe to call on
 * every read and by two requests at once (a code already there is left as it is).
 */
export async function ensureDefaultItems(ctx: AppContext, jurisdiction: string, by: number): Promise<void> {
  const any = await ctx.db.selectFrom('service_items').select('id').where('jurisdiction', '=', jurisdiction).limit(1).executeTakeFirst();
  if (any) return;
  const at = nowIso();
  await ctx.db
    .insertInto('service_items')
    .values(
      DEFAULT_ITEMS.map((d) => ({
        jurisdiction,
        code: d.code,
        category: d.category,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        price_fen: d.priceFen,
        standard_minutes: d.standardMinutes,
        active: 1,
        updated_by: by,
        updated_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['jurisdiction', 'code']).doNothing())
    .execute();
}

export function itemView(r: ServiceItemRow): ServiceItemView {
  return {
    id: r.id,
    code: r.code,
    category: r.category as ItemCategory,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    priceFen: r.price_fen,
    standardMinutes: r.standard_minutes,
    active: r.active === 1,
  };
}

/** Refuses a price or a standard duration out of range (providers.schema.ts bounds), naming the field and the range. */
function checkRanges(body: { priceFen?: number; standardMinutes?: number }): void {
  const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.?0+$/, '');
  if (body.priceFen !== undefined && (body.priceFen < ITEM_PRICE_MIN_FEN || body.priceFen > ITEM_PRICE_MAX_FEN))
    throw new AppError('SERVICE_ITEM_PRICE_RANGE', { min: '0.01', max: yuan(ITEM_PRICE_MAX_FEN), value: yuan(body.priceFen) });
  if (body.standardMinutes !== undefined && (body.standardMinutes < ITEM_MINUTES_MIN || body.standardMinutes > ITEM_MINUTES_MAX))
    throw new AppError('SERVICE_ITEM_MINUTES_RANGE', { min: ITEM_MINUTES_MIN, max: ITEM_MINUTES_MAX, value: body.standardMinutes });
}

/** The jurisdiction a viewer's new items belong to: their own (a town's officer: the county's). */
const ownJurisdiction = (ctx: AppContext, scope: Scope) => ctx.regions.jurisdictionOf(scope.regionCode)?.code ?? '';

/**
 * Seeds the defaults of the jurisdictions the viewer works in that keep a register of their own:
 * the counties among them (a city's or province's items are only those it adds itself, so an
 * order of a county's person is not offered two of each); the viewer's own where none is a county.
 */
async function ensureViewerDefaults(ctx: AppContext, scope: Scope): Promise<void> {
  const within = ctx.regions.jurisdictionsWithin(scope.regionCode);
  const counties = within.filter((j) => j.level === 'county').map((j) => j.code);
  for (const j of counties.length ? counties : [ownJurisdiction(ctx, scope)]) await ensureDefaultItems(ctx, j, scope.userId ?? 0);
}

/** GET /services/items: the items of the jurisdictions the viewer works in (seeded on first use), by category and code. */
export async function listItems(ctx: AppContext, scope: Scope): Promise<{ items: ServiceItemView[] }> {
  await ensureViewerDefaults(ctx, scope);
  const js = viewerJurisdictions(ctx, scope);
  if (!js.length) return { items: [] };
  const rows = await ctx.db.selectFrom('service_items').selectAll().where('jurisdiction', 'in', js).orderBy('category').orderBy('code').orderBy('id').execute();
  return { items: rows.map(itemView) };
}

/** POST /services/items: a new item of the viewer's jurisdiction; its code must be new there (audited). */
export async function createItem(ctx: AppContext, scope: Scope, body: CreateItemBody): Promise<ServiceItemView> {
  checkRanges(body);
  const j = ownJurisdiction(ctx, scope);
  await ensureViewerDefaults(ctx, scope);
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('service_items').select('id').where('jurisdiction', '=', j).where('code', '=', body.code).executeTakeFirst();
    if (taken) throw new AppError('SERVICE_ITEM_CODE_TAKEN', { code: body.code });
    const row = await trx
      .insertInto('service_items')
      .values({
        jurisdiction: j,
        code: body.code,
        category: body.category,
        name_zh: body.nameZh,
        name_en: body.nameEn,
        price_fen: body.priceFen,
        standard_minutes: body.standardMinutes,
        active: 1,
        updated_by: scope.userId ?? 0,
        updated_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, { action: 'services.item_create', entityType: 'service_item', entityId: row.id, detail: { after: itemView(row) } });
    return itemView(row);
  });
}

/** PATCH /services/items/:id: names, price, standard minutes or active; audited with before and after. */
export async function updateItem(ctx: AppContext, scope: Scope, id: number, body: UpdateItemBody): Promise<ServiceItemView> {
  checkRanges(body);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await itemById(trx, id);
    // changed only by the item's own jurisdiction or one above it (a county's officer reads the city's items, never edits them)
    if (!before || !ctx.regions.jurisdictionsWithin(scope.regionCode).some((j) => j.code === before.jurisdiction))
      throw new AppError('SERVICE_ITEM_NOT_FOUND', { id });
    const patch = {
      ...(body.nameZh !== undefined && { name_zh: body.nameZh }),
      ...(body.nameEn !== undefined && { name_en: body.nameEn }),
      ...(body.priceFen !== undefined && { price_fen: body.priceFen }),
      ...(body.standardMinutes !== undefined && { standard_minutes: body.standardMinutes }),
      ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
    };
    if (!Object.keys(patch).length) return itemView(before);
    const after = await trx
      .updateTable('service_items')
      .set({ ...patch, updated_by: scope.userId ?? 0, updated_at: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.item_update',
      entityType: 'service_item',
      entityId: id,
      fields: Object.keys(body),
      detail: { before: itemView(before), after: itemView(after) },
    });
    return itemView(after);
  });
}
