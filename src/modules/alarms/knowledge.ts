import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { viewCatalogue } from '../catalogue/catalogue.service.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import type { HotlineArticleRow } from './alarms.tables.js';
import type { ArticleView, CreateArticleBody, KnowledgeItem, KnowledgeQuery, KnowledgeReply, PatchArticleBody } from './hotline.schema.js';

/**
 * The hotline's knowledge base: the answers operators give, per jurisdiction, with keywords and
 * optionally the catalogue item an answer is about. A search reads the catalogue's items through
 * the catalogue's own view (names, who, what, the conditions and amount in words, the department
 * to apply at), never a copy, so "what can my mother get and how do I apply" is answered from the
 * catalogue in force.
 */

/**
 * The jurisdictions whose answers a viewer works with: their own and those above it (a city's
 * answers reach its counties' callers too), then those within their region (a city's hotline
 * answers for every county). A county officer of a single-county platform: the county.
 */
export function hotlineJurisdictions(ctx: AppContext, scope: Scope): string[] {
  return ctx.regions.worksWith(scope.regionCode).map((r) => r.code);
}

/** The jurisdictions whose answers a viewer may change: their own and those within their region, never those above. */
function editableJurisdictions(ctx: AppContext, scope: Scope): string[] {
  return ctx.regions.jurisdictionsWithin(scope.regionCode).map((r) => r.code);
}

/** The jurisdiction a viewer's new answer belongs to: their own. */
const ownJurisdiction = (ctx: AppContext, scope: Scope) => ctx.regions.jurisdictionOf(scope.regionCode)?.code ?? '';

/** `jurisdiction in (codes)`, never an empty list. */
const oneOf = (codes: readonly string[]) => (codes.length ? codes : ['']);

/** Search terms: the query split on spaces and punctuation, lower-cased, at most eight. */
export function termsOf(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/[\s,，;；、。.?？!！]+/)
    .filter((t) => t.length > 0)
    .slice(0, 8);
}

/** A LIKE pattern matching the term anywhere, with the pattern's own characters escaped. */
const contains = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function articleView(r: HotlineArticleRow, itemNames: Map<string, string>): ArticleView {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    keywords: r.keywords ? r.keywords.split(',').filter(Boolean) : [],
    itemId: r.item_id,
    itemName: r.item_id !== null ? (itemNames.get(r.item_id) ?? null) : null,
    active: r.active === 1,
    updatedAt: r.updated_at,
  };
}

/**
 * The catalogues in force in the viewer's jurisdictions (their county's, the city's items of its own,
 * a city officer's counties') as the catalogue shows them (its public view: rules in words with
 * today's parameters), each catalogue once.
 */
async function catalogueItems(ctx: AppContext, scope: Scope) {
  const catalogues = [...new Set(hotlineJurisdictions(ctx, scope).map((code) => catalogueOf(ctx, code)))].filter(Boolean);
  const items: Awaited<ReturnType<typeof viewCatalogue>>['items'] = [];
  for (const c of catalogues) items.push(...(await viewCatalogue(ctx, scope, c)).items);
  return items;
}

/** Keywords as stored: trimmed, lower-cased, no commas inside, unique. */
function keywordsText(keywords: readonly string[]): string {
  return [...new Set(keywords.map((k) => k.trim().toLowerCase().replace(/,/g, ' ')).filter(Boolean))].join(',');
}

/** GET /api/alarms/hotline/knowledge?q: answers whose title, keywords or text hold every term, and the catalogue items likewise. */
export async function searchKnowledge(ctx: AppContext, scope: Scope, query: KnowledgeQuery): Promise<KnowledgeReply> {
  requireAction(scope, 'hotline.read');
  const terms = termsOf(query.q);
  const withInactive = query.inactive === 'true' && scope.role !== 'anonymous' && (scope.role === 'system' || can(scope.role, 'hotline.knowledge'));
  let q = ctx.db
    .selectFrom('hotline_articles')
    .selectAll()
    .where('jurisdiction', 'in', oneOf(hotlineJurisdictions(ctx, scope)));
  if (!withInactive) q = q.where('active', '=', 1);
  for (const t of terms) {
    const p = contains(t);
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(title)`, 'like', sql`${p} escape '\\'`),
        eb(sql`lower(keywords)`, 'like', sql`${p} escape '\\'`),
        eb(sql`lower(body)`, 'like', sql`${p} escape '\\'`),
      ]),
    );
  }
  const rows = await q.orderBy('title').orderBy('id').limit(50).execute();
  const items = await catalogueItems(ctx, scope);
  const names = new Map(items.map((i) => [i.id, i.name]));
  const linked = new Map<string, number[]>();
  for (const a of await ctx.db
    .selectFrom('hotline_articles')
    .select(['id', 'item_id'])
    .where('jurisdiction', 'in', oneOf(hotlineJurisdictions(ctx, scope)))
    .where('active', '=', 1)
    .where('item_id', 'is not', null)
    .execute())
    linked.set(a.item_id!, [...(linked.get(a.item_id!) ?? []), a.id]);
  const hits: KnowledgeItem[] = items
    .filter((i) => {
      const text = [i.id, i.no, i.name, i.target, i.content, i.department ?? '', i.sentence.zh, i.sentence.en].join('\n').toLowerCase();
      return terms.every((t) => text.includes(t));
    })
    .map((i) => ({
      id: i.id,
      no: i.no,
      name: i.name,
      target: i.target,
      content: i.content,
      department: i.department,
      conditions: i.sentence,
      amount: i.amountSentence,
      articleIds: linked.get(i.id) ?? [],
    }));
  return { articles: rows.map((r) => articleView(r, names)), items: hits };
}

/** The item's id if it is in the catalogue in force; HOTLINE_ARTICLE_ITEM_UNKNOWN otherwise. */
async function checkItem(ctx: AppContext, scope: Scope, itemId: string | null | undefined): Promise<Map<string, string>> {
  const items = await catalogueItems(ctx, scope);
  const names = new Map(items.map((i) => [i.id, i.name]));
  if (itemId && !names.has(itemId)) throw new AppError('HOTLINE_ARTICLE_ITEM_UNKNOWN', { item: itemId });
  return names;
}

/** POST /api/alarms/hotline/knowledge: an answer of the jurisdiction (also the demo's seeding entry point). */
export async function createArticle(ctx: AppContext, scope: Scope, body: CreateArticleBody): Promise<ArticleView> {
  requireAction(scope, 'hotline.knowledge');
  const names = await checkItem(ctx, scope, body.itemId);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('hotline_articles')
      .values({
        jurisdiction: ownJurisdiction(ctx, scope),
        title: body.title,
        body: body.body,
        keywords: keywordsText(body.keywords),
        item_id: body.itemId ?? null,
        active: 1,
        updated_by: scope.userId ?? 0,
        updated_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'hotline.article_create',
      entityType: 'hotline_article',
      entityId: row.id,
      detail: { title: body.title, item: body.itemId ?? null },
    });
    return articleView(row, names);
  });
}

/** An answer the viewer may change (of their jurisdiction or one within it), or HOTLINE_ARTICLE_NOT_FOUND. */
async function articleOfJurisdiction(ctx: AppContext, db: Executor, scope: Scope, id: number): Promise<HotlineArticleRow> {
  const row = await db
    .selectFrom('hotline_articles')
    .selectAll()
    .where('id', '=', id)
    .where('jurisdiction', 'in', oneOf(editableJurisdictions(ctx, scope)))
    .executeTakeFirst();
  if (!row) throw new AppError('HOTLINE_ARTICLE_NOT_FOUND', { id });
  return row;
}

/** PATCH /api/alarms/hotline/knowledge/:id: edit, or withdraw (active: false) — an answer given on a ticket stays named there. */
export async function patchArticle(ctx: AppContext, scope: Scope, id: number, body: PatchArticleBody): Promise<ArticleView> {
  requireAction(scope, 'hotline.knowledge');
  const names = await checkItem(ctx, scope, body.itemId);
  return ctx.db.transaction().execute(async (trx) => {
    await articleOfJurisdiction(ctx, trx, scope, id);
    const row = await trx
      .updateTable('hotline_articles')
      .set({
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.keywords !== undefined ? { keywords: keywordsText(body.keywords) } : {}),
        ...(body.itemId !== undefined ? { item_id: body.itemId } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
        updated_by: scope.userId ?? 0,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'hotline.article_update',
      entityType: 'hotline_article',
      entityId: id,
      fields: Object.keys(body).filter((k) => body[k as keyof PatchArticleBody] !== undefined),
    });
    return articleView(row, names);
  });
}
