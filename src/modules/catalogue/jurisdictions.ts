import type { RegionRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { catalogueOf } from './catalogue.settings.js';

/** A jurisdiction as pickers show it: its region and the catalogue it runs. */
export interface JurisdictionChoice {
  code: string;
  name: string;
  level: string;
  catalogue: string;
  title: string | null;
  partial: boolean;
}

/**
 * The jurisdictions a viewer works with, that run a catalogue: their own and those above it (the
 * city's items reach their people too), then those within their region (a city officer's
 * counties). A county officer of a single-county platform sees just the county.
 */
export function jurisdictionsFor(ctx: AppContext, scope: Scope): JurisdictionChoice[] {
  return ctx.regions.worksWith(scope.regionCode).flatMap((r) => {
    const catalogue = catalogueOf(ctx, r.code);
    if (!catalogue) return [];
    const latest = ctx.catalogues.latest(catalogue);
    return [{ code: r.code, name: r.name, level: r.level, catalogue, title: latest?.title ?? null, partial: latest?.partial ?? false }];
  });
}

/**
 * The jurisdiction a request is about: `code` when given (one of the viewer's, else not found, as
 * a region outside their scope is), else the viewer's own when it runs a catalogue, else the first
 * they work with (a city officer of a city with no items of its own: its first county).
 */
export function jurisdictionFor(ctx: AppContext, scope: Scope, code?: string | null): RegionRow {
  const mine = jurisdictionsFor(ctx, scope);
  const pick = code ? mine.find((j) => j.code === code) : mine[0];
  const row = pick && ctx.regions.get(pick.code);
  if (!row) throw notFound('jurisdiction');
  return row;
}

/**
 * Whether the viewer is the jurisdiction's own bureau: their region is the jurisdiction itself (a
 * county's officers start its runs; the city above watches them, a town below sees its part).
 */
export function isOwnBureau(scope: Scope, jurisdiction: RegionRow): boolean {
  return scope.role === 'system' || (scope.regionCode === jurisdiction.code && scope.regionPrefix === jurisdiction.prefix);
}

/**
 * Whether the viewer works inside the jurisdiction (its bureau, its towns and villages): who follows
 * up its change lists. The city above reads a county's lists; it follows up its own runs'.
 */
export function worksInside(scope: Scope, jurisdiction: RegionRow): boolean {
  return scope.role === 'system' || scope.regionCode.startsWith(jurisdiction.prefix);
}

/** Whether the viewer's region covers the whole jurisdiction (its totals are theirs to see). */
export function seesWhole(scope: Scope, jurisdiction: RegionRow): boolean {
  return scope.role === 'system' || jurisdiction.prefix.startsWith(scope.regionPrefix);
}

/** The jurisdictions that run a catalogue now (usually one: a catalogue is a county's or a city's own). */
export function catalogueOwners(ctx: AppContext, catalogue: string): RegionRow[] {
  return ctx.regions
    .all()
    .filter((r) => ['county', 'city', 'province'].includes(r.level) && catalogueOf(ctx, r.code) === catalogue)
    .sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Whether the viewer may change a catalogue's parameters: its bureau's, a viewer whose region covers
 * a jurisdiction running it; a catalogue no jurisdiction runs yet, only from the platform's top.
 */
export function mayChangeCatalogue(ctx: AppContext, scope: Scope, catalogue: string): boolean {
  if (scope.role === 'system') return true;
  const owners = catalogueOwners(ctx, catalogue);
  if (!owners.length) return scope.regionCode === ctx.regions.top()?.code;
  return owners.some((j) => seesWhole(scope, j));
}

/** Whether a jurisdiction is one the viewer works with: theirs or above it (its items reach their people), or within their region. */
export function worksIn(ctx: AppContext, scope: Scope, jurisdictionCode: string): boolean {
  if (scope.role === 'system') return true;
  const j = ctx.regions.get(jurisdictionCode);
  if (!j) return false;
  return j.code.startsWith(scope.regionPrefix) || ctx.regions.jurisdictionChain(scope.regionCode).some((r) => r.code === j.code);
}
