import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverModules } from './index.js';

/**
 * A module owns its storage: only its own code queries its tables, and nobody's code queries
 * another module's (they call its public functions). The platform's tables (audit log, jobs,
 * settings) are read through platform functions. Migrations written before modules owned their
 * storage are history and are not read here.
 */
const ROOT = 'src/modules';
/** Not a capability: the demo county generator, which writes through the modules' public functions. */
const TOOLS = ['demo'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Tables a source queries: the query builder's table arguments, and tables named in raw SQL. */
function tablesQueried(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(
    /\.(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto|replaceInto)\(\s*['"]([a-z_]+)/g,
  ))
    found.add(m[1]!);
  for (const m of text.matchAll(/sql(?:<[^>]*>)?`([^`]*)`/g)) {
    for (const t of m[1]!.matchAll(/\b(?:from|join|into|update)\s+([a-z_]+)/gi)) found.add(t[1]!);
  }
  return [...found];
}

describe('module storage', () => {
  const owner = new Map<string, string>();
  for (const m of serverModules) for (const t of m.tables ?? []) owner.set(t, m.id);
  const platformTables = ['audit_log', 'audit_head', 'settings', 'jobs', 'jurisdiction_settings'];

  it('gives every table one owner, a module or the platform', () => {
    const declared = serverModules.flatMap((m) => m.tables ?? []);
    expect(new Set(declared).size, 'a table two modules both declare').toBe(declared.length);
    for (const t of platformTables) expect(owner.has(t), t).toBe(false);
  });

  it('lets a module query only its own tables', () => {
    const modules = readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory());
    const reaches: string[] = [];
    for (const dir of modules) {
      const id = TOOLS.includes(dir) ? null : dir;
      for (const file of sources(join(ROOT, dir))) {
        for (const table of tablesQueried(readFileSync(file, 'utf8'))) {
          const by = owner.get(table) ?? (platformTables.includes(table) ? 'platform' : null);
          if (by === null) continue; // an alias or a word in a comment's SQL, not a table
          if (by !== id) reaches.push(`${relative('.', file)} queries ${table} (owned by ${by})`);
        }
      }
    }
    expect(reaches).toEqual([]);
  });

  it("finds a reach into another module's table (the check itself works)", () => {
    expect(tablesQueried("db.selectFrom('persons').innerJoin(\n  'roll_lines', 'a', 'b')")).toEqual(['persons', 'roll_lines']);
    expect(tablesQueried('sql`select x from persons where 1 = 0`')).toEqual(['persons']);
  });
});
