import type { RegionIndex } from '../regions/regions.service.js';

/**
 * The platform's region tree as the roll-up walks it (from its top: a county, or a city above
 * several): a code's chain is the code and its ancestors within the tree. A code the tree does not know (a person filed under a region
 * since removed) counts in its nearest known ancestor and up, where it shows as unallocated.
 */
export class RegionTree {
  /** every region code of the jurisdiction, the jurisdiction first */
  readonly codes: string[];
  private readonly inside: Set<string>;
  private readonly memo = new Map<string, string[]>();
  constructor(private readonly regions: RegionIndex) {
    // the platform's whole tree: a city's counties side by side, the city (or province) above them
    const top = regions.top();
    const all = top ? regions.all().filter((r) => r.code.startsWith(top.prefix)) : [];
    all.sort((a, b) => a.prefix.length - b.prefix.length || a.code.localeCompare(b.code));
    this.codes = all.map((r) => r.code);
    this.inside = new Set(this.codes);
  }
  chain(code: string): string[] {
    let c = this.memo.get(code);
    if (c) return c;
    let known = this.regions.get(code) ? code : undefined;
    if (!known) {
      // the deepest region whose prefix the code starts with
      let best: { code: string; len: number } | undefined;
      for (const r of this.codes) {
        const p = this.regions.get(r)!.prefix;
        if (code.startsWith(p) && (!best || p.length > best.len)) best = { code: r, len: p.length };
      }
      known = best?.code;
    }
    c = known
      ? this.regions
          .path(known)
          .map((r) => r.code)
          .filter((x) => this.inside.has(x))
      : [];
    this.memo.set(code, c);
    return c;
  }
}
