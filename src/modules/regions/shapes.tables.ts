import type { Generated, Selectable } from 'kysely';

/**
 * Region outlines for the indicator map (issue 20): one GeoJSON geometry (Polygon or MultiPolygon,
 * WGS-84 longitude/latitude) per region, the bureau's own upload or the demo's synthetic shapes.
 * Not personal data.
 */
export interface RegionShapeTable {
  id: Generated<number>;
  region_code: string;
  /** the region's parent, so a map of a parent's children is one indexed read */
  parent_code: string | null;
  /** JSON of the GeoJSON geometry */
  geometry: string;
  /** upload | demo */
  source: string;
  updated_by: number | null;
  updated_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    region_shapes: RegionShapeTable;
  }
}

export type RegionShapeRow = Selectable<RegionShapeTable>;
