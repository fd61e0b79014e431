import type { Db } from '../../db/database.js';
import type { RegionRow } from '../../db/tables.js';
import { regionInScope, type Scope } from '../../platform/scope.js';
import { listRegions } from './regions.repository.js';

/**
 * The GB/T 2260 tree, held in memory (a county has a few hundred regions). Codes nest by prefix:
 * every descendant's code starts with its ancestor's `prefix`, which is what Scope relies on.
 */
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
  }
  get(code: string): RegionRow | undefined {
    return this.byCode.get(code);
  }
  all(): RegionRow[] {
    return [...this.byCode.values()];
  }
  /** The top region (the jurisdiction): the one with the shortest prefix below province/city. */
  jurisdiction(): RegionRow | undefined {
    return this.all().find((r) => r.level === 'county') ?? this.all().sort((a, b) => a.prefix.length - b.prefix.length)[0];
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
