import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { viewer } from '../../platform/http.js';
import { recordAudit } from '../../platform/audit.js';
import { regionInScope, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { putShapes, shapesOfChildren, type ShapeInput } from './shapes.repository.js';
import { shapesBody, shapesQuery, shapesReply, shapesUploadReply, type ShapesBody, type ShapesReply } from './shapes.schema.js';

/** A real county's villages in GeoJSON run to megabytes. */
const SHAPES_BODY_LIMIT = 20 * 1024 * 1024;

/** A region the viewer may see, by code: unknown and outside the viewer's area are refused. */
function regionFor(ctx: AppContext, scope: Scope, code: string) {
  const region = ctx.regions.get(code);
  if (!region) throw new AppError('REGION_UNKNOWN', { region: code });
  if (!regionInScope(scope, code)) throw new AppError('REGION_OUT_OF_SCOPE', { region: code });
  return region;
}

/** The outlines of `parent`'s children (default: the viewer's own region's children). */
export async function childShapes(ctx: AppContext, scope: Scope, parentCode?: string): Promise<ShapesReply> {
  const parent = regionFor(ctx, scope, parentCode ?? scope.regionCode);
  const children = ctx.regions
    .all()
    .filter((r) => r.parent_code === parent.code)
    .sort((a, b) => a.code.localeCompare(b.code));
  const shapes = await shapesOfChildren(ctx.db, parent.code);
  return {
    type: 'FeatureCollection',
    parent: { code: parent.code, name: parent.name, level: parent.level },
    features: children.flatMap((r) => {
      const geometry = shapes.get(r.code);
      return geometry ? [{ type: 'Feature' as const, properties: { code: r.code, name: r.name, level: r.level, kind: r.kind }, geometry }] : [];
    }),
    missing: children.filter((r) => !shapes.has(r.code)).map((r) => ({ code: r.code, name: r.name })),
  };
}

/** Stores a bureau's outlines: every feature's properties.code a region in the uploader's area, each once. */
export async function uploadShapes(ctx: AppContext, scope: Scope, body: ShapesBody): Promise<{ stored: number; codes: string[] }> {
  const seen = new Set<string>();
  const inputs: ShapeInput[] = body.features.map((f, i) => {
    const code = f.properties.code;
    if (seen.has(code)) throw new AppError('VALIDATION', { issues: [{ field: `body.features.${i}.properties.code`, issue: 'duplicate' }] });
    seen.add(code);
    const region = regionFor(ctx, scope, code);
    return { regionCode: region.code, parentCode: region.parent_code, geometry: f.geometry, source: 'upload', updatedBy: scope.userId };
  });
  const codes = inputs.map((s) => s.regionCode).sort();
  await ctx.db.transaction().execute(async (trx) => {
    await putShapes(trx, inputs, nowIso());
    await recordAudit(trx, scope, {
      action: 'regions.shapes_upload',
      entityType: 'region_shapes',
      regionCode: scope.regionCode,
      detail: { count: codes.length, codes: codes.slice(0, 50) },
    });
  });
  return { stored: codes.length, codes };
}

/** GET and PUT /api/regions/shapes: region outlines for the indicator map (issue 20). */
export async function shapesRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/regions/shapes', { config: { access: 'regions.read' }, schema: { querystring: shapesQuery, response: { 200: shapesReply } } }, async (req) =>
    childShapes(ctx, viewer(req), req.query.parent),
  );
  r.put(
    '/regions/shapes',
    { bodyLimit: SHAPES_BODY_LIMIT, config: { access: 'regions.shapes' }, schema: { body: shapesBody, response: { 200: shapesUploadReply } } },
    async (req) => uploadShapes(ctx, viewer(req), req.body),
  );
}
