import type { Db } from '../../db/database.js';
import type { RegionRow } from '../../db/tables.js';
import { regionInScope, type Scope } from '../../platform/scope.js';
import { listRegions } from './regions.repository.js';

/**
 * The GB/T 2260 tree, held in memory (a county has a few hundred regions). Codes nest by prefix:
 * every descendant's code starts with its ancestor's `prefix`, which is what Scope relies on.
 */
const JURISDICTION_LEVELS = new Set(['county', 'city', 'province']);

export class RegionIndex {
  private byCode = new Map<string, RegionRow>();
  constructor(rows: RegionRow[] = []) {
    this.set(rows);
  }
  static async load(db: Db): Promise<RegionIndex> {
    return new RegionIndex(await listRegions(db));
  }
  async reload(db: Db): Promise<void> {
    this.set(await listRegions(db));
  }
  private set(rows: RegionRow[]) {
    this.byCode = new Map(rows.map((r) => [r.code, r]));
    this.chains.clear();
    this.urban.clear();
  }
  private readonly urban = new Map<string, boolean>();
  /** Whether a region is urban (a community, 居委会), as the person facts read it: once per region, not per person. */
  isUrban(code: string): boolean {
    let u = this.urban.get(code);
    if (u === undefined) {
      u = this.byCode.get(code)?.kind === 'community';
      this.urban.set(code, u);
    }
    return u;
  }
  /** jurisdictionChain by region code: settings resolve it on every read (a run's every person) */
  private readonly chains = new Map<string, RegionRow[]>();
  get(code: string): RegionRow | undefined {
    return this.byCode.get(code);
  }
  all(): RegionRow[] {
    return [...this.byCode.values()];
  }
  /**
   * The jurisdiction a region belongs to: the nearest county, city or province on its path (a
   * village's or town's county; a city itself). A jurisdiction has its own settings, catalogue,
   * runs and rolls; a city or province above several counties sees across them and may run a
   * catalogue of its own (the allowance the city pays on top of the county's).
   */
  jurisdictionOf(code: string): RegionRow | undefined {
    const path = this.path(code);
    for (let i = path.length - 1; i >= 0; i--) if (JURISDICTION_LEVELS.has(path[i]!.level)) return path[i];
    return path[0];
  }
  /** The jurisdiction a region belongs to and those above it, nearest first (county, city, province). */
  jurisdictionChain(code: string): RegionRow[] {
    let chain = this.chains.get(code);
    if (!chain) {
      chain = this.path(code)
        .filter((r) => JURISDICTION_LEVELS.has(r.level))
        .reverse();
      this.chains.set(code, chain);
    }
    return chain;
  }
  /** The jurisdictions within a region's subtree, the region's own first (a city and its counties). */
  jurisdictionsWithin(code: string): RegionRow[] {
    const top = this.get(code);
    if (!top) return [];
    const own = this.jurisdictionOf(code);
    const below = this.all()
      .filter((r) => r.code !== own?.code && JURISDICTION_LEVELS.has(r.level) && r.code.startsWith(top.prefix) && r.prefix.length > top.prefix.length)
      .sort((a, b) => a.prefix.length - b.prefix.length || a.code.localeCompare(b.code));
    return own ? [own, ...below] : below;
  }
  /**
   * The jurisdictions a viewer in a region works with: theirs and those above it (a county's
   * officer: the county and its city, whose items reach the county's people), then those within it
   * (a city's officer: every county of the city). Each once, nearest first.
   */
  worksWith(code: string): RegionRow[] {
    const seen = new Set<string>();
    return [...this.jurisdictionChain(code), ...this.jurisdictionsWithin(code)].filter((r) => !seen.has(r.code) && seen.add(r.code));
  }
  /** The counties: the jurisdictions that hold a register, rolls and towns. */
  counties(): RegionRow[] {
    return this.all()
      .filter((r) => r.level === 'county')
      .sort((a, b) => a.code.localeCompare(b.code));
  }
  /**
   * The platform's top: the region every other descends from that still has more than one child
   * or is a county (a province holding one city is skipped down to the city), which is what the
   * command line and the start-up jobs act over.
   */
  top(): RegionRow | undefined {
    let r = this.all().find((x) => !x.parent_code || !this.byCode.has(x.parent_code));
    for (;;) {
      if (!r || r.level === 'county') return r;
      const kids = this.children(r.code);
      if (kids.length !== 1) return r;
      r = kids[0];
    }
  }
  children(code: string): RegionRow[] {
    return this.all()
      .filter((r) => r.parent_code === code)
      .sort((a, b) => a.code.localeCompare(b.code));
  }
  path(code: string): RegionRow[] {
    const out: RegionRow[] = [];
    for (let r = this.byCode.get(code); r; r = r.parent_code ? this.byCode.get(r.parent_code) : undefined) out.unshift(r);
    return out;
  }
  /** The town or street a village code belongs to. */
  town(code: string): RegionRow | undefined {
    return this.path(code).find((r) => r.level === 'town');
  }
  inScope(scope: Scope): RegionRow[] {
    return this.all().filter((r) => regionInScope(scope, r.code));
  }
}
