import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '../../platform/errors.js';
import { loadCatalogue, type Catalogue } from './catalogue.loader.js';
import { periodBounds } from '../../platform/time.js';

/**
 * Every catalogue version on disk, by jurisdiction: catalogues/<jurisdiction>/<effective>.yaml.
 * Loaded once at start; a file that does not load stops the start with its problems listed, as a
 * bad setting would, rather than running with part of a catalogue.
 */
export class CatalogueStore {
  private byJurisdiction = new Map<string, Catalogue[]>();

  constructor(catalogues: Catalogue[]) {
    for (const c of catalogues) this.byJurisdiction.set(c.jurisdiction, [...(this.byJurisdiction.get(c.jurisdiction) ?? []), c]);
    for (const list of this.byJurisdiction.values()) list.sort((a, b) => a.effective.localeCompare(b.effective));
  }

  static fromDirectory(dir: string): CatalogueStore {
    const out: Catalogue[] = [];
    if (existsSync(dir)) {
      for (const j of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
        for (const f of readdirSync(join(dir, j.name))
          .filter((n) => /^\d{4}-\d{2}-\d{2}\.ya?ml$/.test(n))
          .sort()) {
          const path = join(dir, j.name, f);
          const cat = loadCatalogue(relative(process.cwd(), path), readFileSync(path, 'utf8'));
          if (cat.jurisdiction !== j.name) {
            throw new AppError('CATALOGUE_INVALID', { file: path, count: 1, first: `jurisdiction “${cat.jurisdiction}” 与目录名“${j.name}”不一致` });
          }
          out.push(cat);
        }
      }
    }
    return new CatalogueStore(out);
  }

  jurisdictions(): string[] {
    return [...this.byJurisdiction.keys()].sort();
  }

  versions(jurisdiction: string): Catalogue[] {
    return this.byJurisdiction.get(jurisdiction) ?? [];
  }

  /** The version in force for a period: the latest effective on or before the period's last day. */
  forPeriod(jurisdiction: string, period: string): Catalogue {
    const end = periodBounds(period).end;
    const found = this.versions(jurisdiction)
      .filter((c) => c.effective <= end)
      .pop();
    if (!found) throw new AppError('CATALOGUE_NONE', { period, jurisdiction });
    return found;
  }

  latest(jurisdiction: string): Catalogue | undefined {
    return this.versions(jurisdiction).at(-1);
  }

  bySha(sha256: string): Catalogue | undefined {
    for (const list of this.byJurisdiction.values()) for (const c of list) if (c.sha256 === sha256) return c;
    return undefined;
  }
}
