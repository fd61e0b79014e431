import type { Executor } from '../../db/database.js';
import type { ShapeGeometry } from './shapes.schema.js';
import './shapes.tables.js';

export interface ShapeInput {
  regionCode: string;
  parentCode: string | null;
  geometry: ShapeGeometry;
  source: 'upload' | 'demo';
  updatedBy: number | null;
}

/** The outlines of the regions whose parent is `parentCode`, by code. */
export async function shapesOfChildren(db: Executor, parentCode: string): Promise<Map<string, ShapeGeometry>> {
  const rows = await db.selectFrom('region_shapes').select(['region_code', 'geometry']).where('parent_code', '=', parentCode).execute();
  return new Map(rows.map((r) => [r.region_code, JSON.parse(r.geometry) as ShapeGeometry]));
}

/** Stores each outline, replacing the region's earlier one. */
export async function putShapes(db: Executor, shapes: readonly ShapeInput[], at: string): Promise<void> {
  for (const s of shapes) {
    const row = {
      region_code: s.regionCode,
      parent_code: s.parentCode,
      geometry: JSON.stringify({ type: s.geometry.type, coordinates: s.geometry.coordinates }),
      source: s.source,
      updated_by: s.updatedBy,
      updated_at: at,
    };
    await db
      .insertInto('region_shapes')
      .values(row)
      .onConflict((oc) => oc.column('region_code').doUpdateSet({ ...row }))
      .execute();
  }
}
