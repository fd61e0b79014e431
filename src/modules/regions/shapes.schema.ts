import { z } from 'zod';

/**
 * Region outlines as GeoJSON (RFC 7946), for the indicator map: GET /api/regions/shapes?parent=CODE
 * answers a FeatureCollection of the parent's children; PUT /api/regions/shapes takes a bureau's own.
 */

const regionCode = z.string().regex(/^\d{2,12}$/, '地区代码应为 2-12 位数字');

/** [longitude, latitude] (an altitude after them is allowed and ignored). */
const position = z
  .array(z.number())
  .min(2)
  .max(3)
  .refine((p) => Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90, '坐标应为 WGS-84 经度、纬度');
/** A closed ring: at least four positions, the last the same as the first. */
const ring = z
  .array(position)
  .min(4)
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], '多边形的环应首尾相同');
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
const multiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) });
export const shapeGeometry = z.discriminatedUnion('type', [polygon, multiPolygon]);
export type ShapeGeometry = z.infer<typeof shapeGeometry>;

export const shapesQuery = z.object({ parent: regionCode.optional() }).strict();
export type ShapesQuery = z.infer<typeof shapesQuery>;

export const shapeFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({ code: z.string(), name: z.string(), level: z.string(), kind: z.string() }),
  geometry: shapeGeometry,
});
export type ShapeFeature = z.infer<typeof shapeFeature>;

/** The parent's children that have an outline; `missing`: the children that have none yet. */
export const shapesReply = z.object({
  type: z.literal('FeatureCollection'),
  parent: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  features: z.array(shapeFeature),
  missing: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type ShapesReply = z.infer<typeof shapesReply>;

/** A bureau's own outlines: each feature names its region by properties.code (other properties are kept out). */
export const shapesBody = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ code: regionCode }).passthrough(),
        geometry: shapeGeometry,
      }),
    )
    .min(1)
    .max(5000),
});
export type ShapesBody = z.infer<typeof shapesBody>;

export const shapesUploadReply = z.object({ stored: z.number().int(), codes: z.array(z.string()) });
export type ShapesUploadReply = z.infer<typeof shapesUploadReply>;
