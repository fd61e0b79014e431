import { describe, expect, it } from 'vitest';
import { DEMO_COUNTY, DEMO_COUNTY2, demoRegions } from './regions.js';
import { demoShapes } from './shapes.js';

const area = (ring: number[][]) => Math.abs(ring.slice(1).reduce((a, p, i) => a + ring[i]![0]! * p[1]! - p[0]! * ring[i]![1]!, 0)) / 2;
const box = (ring: number[][]) => ({
  west: Math.min(...ring.map((p) => p[0]!)),
  east: Math.max(...ring.map((p) => p[0]!)),
  south: Math.min(...ring.map((p) => p[1]!)),
  north: Math.max(...ring.map((p) => p[1]!)),
});

/**
 * Issue 21's demo city: the indicator map of the city drew 青溪县 alone and said "1 sub-regions
 * have no outline: 石湖县" — the demo's outlines were the first county's only.
 */
describe('the demo city’s outlines', () => {
  const regions = demoRegions({ second: true });
  const shapes = demoShapes(regions);
  const byCode = new Map(shapes.map((s) => [s.regionCode, s]));
  const ring = (code: string) => byCode.get(code)!.geometry.coordinates[0] as number[][];

  it('outlines every region of both counties, and each parent’s children tile it', () => {
    for (const county of [DEMO_COUNTY, DEMO_COUNTY2]) {
      const inCounty = regions.filter((r) => r.code.startsWith(county));
      expect(inCounty.filter((r) => !byCode.has(r.code)).map((r) => r.name)).toEqual([]);
      for (const parent of inCounty.filter((r) => regions.some((c) => c.parent_code === r.code))) {
        const kids = shapes.filter((s) => s.parentCode === parent.code);
        expect(
          kids.reduce((a, s) => a + area(s.geometry.coordinates[0] as number[][]), 0),
          parent.name,
        ).toBeCloseTo(area(ring(parent.code)), 6);
      }
    }
  });

  it('puts the two counties side by side, not on top of each other', () => {
    const [a, b] = [box(ring(DEMO_COUNTY)), box(ring(DEMO_COUNTY2))];
    const overlap = Math.max(0, Math.min(a.east, b.east) - Math.max(a.west, b.west)) * Math.max(0, Math.min(a.north, b.north) - Math.max(a.south, b.south));
    expect(overlap).toBe(0);
  });

  it('is the first county’s alone where the demo has one county (the tests’ default)', () => {
    expect(demoShapes().some((s) => s.regionCode.startsWith(DEMO_COUNTY2))).toBe(false);
  });
});
