import type { AppContext } from '../../platform/context.js';
import { nowIso } from '../../platform/time.js';
import { putShapes, type ShapeInput } from '../regions/shapes.repository.js';
import { DEMO_COUNTY, DEMO_COUNTY2, demoRegions, type DemoRegion } from './regions.js';

/**
 * Synthetic outlines for the demo county (issue 20's region map): the county a rectangle near the
 * demo facilities' points, its towns a 3 × 3 grid of it, each town's villages a grid of the town
 * (the last row's cells widened to fill it). Made up, as the county is: a bureau uploads its own
 * (PUT /api/regions/shapes). The demo city's second county (issue 21) lies east of the first, so the
 * city's map shows both.
 */
const COUNTY_BOX = { west: 120.3, east: 121.02, south: 30.78, north: 31.32 };
const COUNTY2_BOX = { west: 121.02, east: 121.5, south: 30.9, north: 31.26 };
const BOXES: Record<string, Box> = { [DEMO_COUNTY]: COUNTY_BOX, [DEMO_COUNTY2]: COUNTY2_BOX };

interface Box {
  west: number;
  east: number;
  south: number;
  north: number;
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;

function rectangle(b: Box): ShapeInput['geometry'] {
  const [w, e, s, n] = [round(b.west), round(b.east), round(b.south), round(b.north)];
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

/** `count` boxes tiling `box`, row by row from the north-west; the last row's cells share its width. */
function grid(box: Box, count: number): Box[] {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const height = (box.north - box.south) / rows;
  const out: Box[] = [];
  for (let row = 0; row < rows; row++) {
    const inRow = Math.min(cols, count - row * cols);
    const width = (box.east - box.west) / inRow;
    const north = box.north - row * height;
    for (let col = 0; col < inRow; col++) out.push({ west: box.west + col * width, east: box.west + (col + 1) * width, south: north - height, north });
  }
  return out;
}

/** Each demo county's, its towns' and its villages' outlines. */
export function demoShapes(regions: readonly DemoRegion[] = demoRegions()): ShapeInput[] {
  const childrenOf = (code: string) => regions.filter((r) => r.parent_code === code).sort((a, b) => a.code.localeCompare(b.code));
  const out: ShapeInput[] = [];
  for (const county of regions.filter((r) => r.level === 'county' && BOXES[r.code])) {
    const countyBox = BOXES[county.code]!;
    out.push({ regionCode: county.code, parentCode: county.parent_code, geometry: rectangle(countyBox), source: 'demo', updatedBy: null });
    const towns = childrenOf(county.code);
    grid(countyBox, towns.length).forEach((townBox, i) => {
      const town = towns[i]!;
      out.push({ regionCode: town.code, parentCode: town.parent_code, geometry: rectangle(townBox), source: 'demo', updatedBy: null });
      const villages = childrenOf(town.code);
      grid(townBox, villages.length).forEach((box, j) =>
        out.push({ regionCode: villages[j]!.code, parentCode: town.code, geometry: rectangle(box), source: 'demo', updatedBy: null }),
      );
    });
  }
  return out;
}

/** Stores the demo's outlines (after the regions; `second`: the city's second county's too). */
export async function seedDemoShapes(ctx: AppContext, opts: { second?: boolean } = {}): Promise<void> {
  await putShapes(ctx.db, demoShapes(demoRegions(opts)), nowIso());
}
