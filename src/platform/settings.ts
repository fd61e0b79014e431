import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/database.js';
import { recordAudit } from './audit.js';
import { AppError, zodIssue } from './errors.js';
import type { AppContext } from './context.js';
import type { Scope } from './scope.js';
import type { RegionRow } from '../db/tables.js';

/** How the store finds a region's jurisdiction and those above it, nearest first (RegionIndex.jurisdictionChain). */
export interface JurisdictionChain {
  jurisdictionChain(code: string): RegionRow[];
}
import { nowIso } from './time.js';

/**
 * Jurisdiction settings: figures that differ between jurisdictions (which catalogue a county
 * runs; visit frequencies, response targets, ratios as the capabilities arrive), declared by the
 * module that uses them, keyed by the jurisdiction's region code, typed by a zod schema, changed
 * by an administrator with a reason and audited. Every change is kept (jurisdiction_settings is
 * append-only); the latest is in force. One platform can so host several jurisdictions side by
 * side, each with its own values.
 *
 * Values are held in memory (read at start, updated by this process's changes, re-read every
 * REFRESH_MS so that a change made through another server sharing the database is seen).
 */
export interface SettingDef<T> {
  name: string;
  label: { zh: string; en: string };
  description: { zh: string; en: string };
  schema: z.ZodType<T>;
  /**
   * The value before anyone sets one: from the deployment's configuration or a national default.
   * Given the jurisdiction's level (county, city, province) where the value differs by it.
   */
  initial(config: Config, level?: string): T;
  /**
   * Whether a county with no value of its own takes its city's (and the city its province's)
   * before the initial one. True unless said otherwise: a province sets a default and the counties
   * under it change what differs. The catalogue in force is a county's own (false).
   */
  inherit?: boolean;
  /**
   * A check beyond the schema that needs the running platform; a message when refused. It may be
   * asynchronous (a module reading its own tables: what its other records hold that the value must
   * keep), and is given the jurisdiction whose value is being set.
   */
  check?(value: T, ctx: AppContext, jurisdictionCode: string): SettingRefusal | null | Promise<SettingRefusal | null>;
  /**
   * The values allowed, where the setting is one of a list the platform knows (the catalogues on
   * disk), each with a label to show; resolved at every request, so the list follows the platform.
   * Any other value is refused (SETTING_NOT_A_CHOICE).
   */
  choices?(ctx: AppContext): SettingChoice<T>[];
}

/** Why a value is refused, in both languages. */
export interface SettingRefusal {
  zh: string;
  en: string;
}

export interface SettingChoice<T> {
  value: T;
  label: { zh: string; en: string };
}

const defs = new Map<string, SettingDef<unknown>>();

/** Declares a setting (once per name, at module load). */
export function defineSetting<T>(def: SettingDef<T>): SettingDef<T> {
  const known = defs.get(def.name);
  if (known && known !== def) throw new Error(`Setting "${def.name}" is declared twice`);
  defs.set(def.name, def as SettingDef<unknown>);
  return def;
}

export function settingDefs(): SettingDef<unknown>[] {
  return [...defs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

interface Held {
  value: unknown;
  setBy: string;
  setAt: string;
  note: string;
}

const REFRESH_MS = 30_000;

export class SettingsStore {
  private held = new Map<string, Held>();
  private loadedAt = 0;
  private refreshing: Promise<void> | null = null;

  private constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly regions: JurisdictionChain,
  ) {}

  static async load(db: Db, config: Config, regions: JurisdictionChain): Promise<SettingsStore> {
    const s = new SettingsStore(db, config, regions);
    await s.reload();
    return s;
  }

  /** Reads the latest value of every setting of every jurisdiction. */
  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('jurisdiction_settings').selectAll().orderBy('id').execute();
    const held = new Map<string, Held>();
    for (const r of rows)
      held.set(`${r.jurisdiction_code}|${r.name}`, { value: JSON.parse(r.value) as unknown, setBy: r.set_by_name, setAt: r.set_at, note: r.note });
    this.held = held;
    this.loadedAt = Date.now();
  }

  private maybeRefresh(): void {
    if (Date.now() - this.loadedAt < REFRESH_MS || this.refreshing) return;
    this.refreshing = this.reload()
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = null;
      });
  }

  /**
   * The value in force for the jurisdiction a region belongs to (any region code: a village's is
   * its county's): the latest one set there, else, for a setting that inherits, the nearest one
   * set above it (the city's, the province's), else the initial one.
   */
  get<T>(def: SettingDef<T>, regionCode: string): T {
    this.maybeRefresh();
    return this.resolve(def, regionCode).value as T;
  }

  private resolve(def: SettingDef<unknown>, regionCode: string): { held: Held | undefined; from: RegionRow | undefined; value: unknown } {
    const chain = this.regions.jurisdictionChain(regionCode);
    const own = chain[0];
    for (const j of def.inherit === false ? chain.slice(0, 1) : chain) {
      const h = this.held.get(`${j.code}|${def.name}`);
      if (h) return { held: h, from: j, value: h.value };
    }
    return { held: undefined, from: undefined, value: def.initial(this.config, own?.level) };
  }

  /**
   * Every declared setting of a jurisdiction, with its value, who set it (and where, when it is
   * the city's or province's value taken over), and the values it may take if it is one of a list.
   */
  list(ctx: AppContext, jurisdictionCode: string) {
    return settingDefs().map((d) => {
      const { held: h, from } = this.resolve(d, jurisdictionCode);
      const inherited = h && from && from.code !== jurisdictionCode ? { code: from.code, name: from.name } : null;
      return {
        name: d.name,
        label: d.label,
        description: d.description,
        value: this.resolve(d, jurisdictionCode).value,
        isInitial: !h,
        inheritedFrom: inherited,
        setBy: h?.setBy ?? null,
        setAt: h?.setAt ?? null,
        note: h?.note ?? null,
        choices: d.choices?.(ctx) ?? null,
      };
    });
  }

  /** Sets a value for a jurisdiction, with the reason; refused with the failed rule named. */
  async set(ctx: AppContext, scope: Scope, jurisdictionCode: string, name: string, raw: unknown, note: string): Promise<{ name: string; value: unknown }> {
    const def = defs.get(name);
    if (!def) throw new AppError('SETTING_UNKNOWN', { name });
    if (!note.trim()) throw new AppError('SETTING_NOTE_REQUIRED');
    const parsed = def.schema.safeParse(raw);
    if (!parsed.success)
      throw new AppError('SETTING_INVALID', { name, issues: parsed.error.issues.map((i) => zodIssue(['value', ...i.path.map(String)].join('.'), i)) });
    const choices = def.choices?.(ctx);
    if (choices && !choices.some((c) => JSON.stringify(c.value) === JSON.stringify(parsed.data))) {
      const list = (en: boolean) => choices.map((c) => `${JSON.stringify(c.value)}${en ? ': ' : '：'}${en ? c.label.en : c.label.zh}`).join(en ? '; ' : '；');
      throw new AppError('SETTING_NOT_A_CHOICE', { name, value: JSON.stringify(parsed.data), choices: { zh: list(false), en: list(true) } });
    }
    const refused = await def.check?.(parsed.data, ctx, jurisdictionCode);
    if (refused) throw new AppError('SETTING_REFUSED', { name, reason: refused });
    const before = this.get(def, jurisdictionCode);
    const at = nowIso();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('jurisdiction_settings')
        .values({
          jurisdiction_code: jurisdictionCode,
          name,
          value: JSON.stringify(parsed.data),
          note: note.trim(),
          set_by: scope.userId,
          set_by_name: scope.username,
          set_at: at,
        })
        .execute();
      await recordAudit(trx, scope, {
        action: 'settings.set',
        entityType: 'setting',
        entityId: `${jurisdictionCode}/${name}`,
        regionCode: jurisdictionCode,
        fields: [name],
        detail: { value: parsed.data, before, note: note.trim() },
      });
    });
    this.held.set(`${jurisdictionCode}|${name}`, { value: parsed.data, setBy: scope.username, setAt: at, note: note.trim() });
    return { name, value: parsed.data };
  }
}

/**
 * The value in force for the jurisdiction a region belongs to, read from the database: for a
 * public function another module calls with a transaction and no context (facilities'
 * admitResident). As the store resolves it: the value set by the nearest jurisdiction whose
 * subtree holds the region (its county, else its city, else its province; only its own for a
 * setting that does not inherit); with none set, `otherwise` (the setting's initial value).
 */
export async function settingForRegion<T>(db: Executor, def: SettingDef<T>, regionCode: string, otherwise: T): Promise<T> {
  const rows = await db
    .selectFrom('jurisdiction_settings')
    .innerJoin('regions', 'regions.code', 'jurisdiction_settings.jurisdiction_code')
    .select(['jurisdiction_settings.value', 'regions.prefix'])
    .where('jurisdiction_settings.name', '=', def.name)
    .orderBy('jurisdiction_settings.id')
    .execute();
  let best: { len: number; value: string } | null = null;
  for (const r of rows) {
    if (!regionCode.startsWith(r.prefix)) continue;
    // the latest row of the deepest jurisdiction wins (rows come in the order they were set)
    if (!best || r.prefix.length >= best.len) best = { len: r.prefix.length, value: r.value };
  }
  if (!best) return otherwise;
  if (def.inherit === false) {
    // only the region's own jurisdiction's value: the deepest county, city or province above it
    const own = await db.selectFrom('regions').select('prefix').where('level', 'in', ['county', 'city', 'province']).execute();
    const ownLen = Math.max(0, ...own.filter((r) => regionCode.startsWith(r.prefix)).map((r) => r.prefix.length));
    if (best.len !== ownLen) return otherwise;
  }
  return JSON.parse(best.value) as T;
}

/**
 * Markers of the platform's own state (the audit chain is keyed, the database holds the demo
 * county): the settings table, read and written here only.
 */
export async function readMarker(db: Executor, key: string): Promise<string | null> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function writeMarker(db: Executor, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value, updated_at: nowIso(), updated_by: null }).execute();
}
