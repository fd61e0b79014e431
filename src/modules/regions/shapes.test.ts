import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { demoShapes } from '../demo/shapes.js';
import { DEMO_COUNTY, demoRegions } from '../demo/regions.js';
import type { ShapesReply } from './shapes.schema.js';

/** Issue 20's region map: the outlines of a region's children as GeoJSON, the bureau's own uploaded. */
describe.each(dialects)('region shapes (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let town1: Session;
  const regions = demoRegions();
  const towns = regions.filter((r) => r.parent_code === DEMO_COUNTY);
  const town1Code = '990101001';
  const town2Code = '990101002';

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    town1 = await loginAs(app, 'town1');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const shapes = async (s: Session, parent?: string) => call(app, s, { method: 'GET', url: `/api/regions/shapes${parent ? `?parent=${parent}` : ''}` });
  /** Shoelace area of a polygon's outer ring (degrees²). */
  const area = (ring: number[][]) => Math.abs(ring.slice(1).reduce((a, p, i) => a + ring[i]![0]! * p[1]! - p[0]! * ring[i]![1]!, 0)) / 2;

  it('the demo gives every region of the county an outline, and the children tile their parent', () => {
    const all = demoShapes();
    const byCode = new Map(all.map((s) => [s.regionCode, s]));
    const county = regions.filter((r) => r.code.startsWith(DEMO_COUNTY));
    expect(county.every((r) => byCode.has(r.code))).toBe(true);
    for (const parent of [DEMO_COUNTY, ...towns.map((t) => t.code)]) {
      const kids = all.filter((s) => s.parentCode === parent);
      const sum = kids.reduce((a, s) => a + area(s.geometry.coordinates[0] as number[][]), 0);
      expect(sum, parent).toBeCloseTo(area(byCode.get(parent)!.geometry.coordinates[0] as number[][]), 6);
    }
  });

  it("answers the county's towns for the bureau (default: the viewer's own region) as a FeatureCollection", async () => {
    const res = await shapes(admin);
    expect(res.statusCode).toBe(200);
    const body = res.json<ShapesReply>();
    expect(body.type).toBe('FeatureCollection');
    expect(body.parent.code).toBe(DEMO_COUNTY);
    expect(body.features.map((f) => f.properties.code)).toEqual(towns.map((t) => t.code).sort());
    expect(body.features[0]!.geometry.type).toBe('Polygon');
    expect(body.features[0]!.properties.name).toBe(towns.find((t) => t.code === body.features[0]!.properties.code)!.name);
    expect(body.missing).toEqual([]);
  });

  it("answers a town officer their town's villages, and refuses the county and another town", async () => {
    const res = await shapes(town1);
    expect(res.statusCode).toBe(200);
    const villages = regions.filter((r) => r.parent_code === town1Code).map((r) => r.code);
    expect(res.json<ShapesReply>().features.map((f) => f.properties.code)).toEqual(villages);
    expect(errorCode(await shapes(town1, DEMO_COUNTY))).toBe('REGION_OUT_OF_SCOPE');
    expect(errorCode(await shapes(town1, town2Code))).toBe('REGION_OUT_OF_SCOPE');
    expect(errorCode(await shapes(admin, '990101888'))).toBe('REGION_UNKNOWN');
  });

  const square = (lng: number, lat: number) => ({
    type: 'Polygon' as const,
    coordinates: [
      [
        [lng, lat],
        [lng + 0.1, lat],
        [lng + 0.1, lat + 0.1],
        [lng, lat + 0.1],
        [lng, lat],
      ],
    ],
  });

  it("stores a bureau's own outline in place of the demo's, audited, and lists a child with none as missing", async () => {
    const village = regions.find((r) => r.parent_code === town2Code)!;
    const res = await call(app, admin, {
      method: 'PUT',
      url: '/api/regions/shapes',
      payload: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: village.code, 名称: village.name }, geometry: square(120.5, 31) }],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ stored: 1, codes: [village.code] });
    const after = (await shapes(admin, town2Code)).json<ShapesReply>();
    expect(after.features.find((f) => f.properties.code === village.code)!.geometry).toEqual(square(120.5, 31));
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'regions.shapes_upload').execute();
    expect(audit).toEqual([{ action: 'regions.shapes_upload', actor: 'admin' }]);
    // a region with no outline yet is named, not silently left off the map
    await ctx.db.deleteFrom('region_shapes').where('region_code', '=', village.code).execute();
    const without = (await shapes(admin, town2Code)).json<ShapesReply>();
    expect(without.missing).toEqual([{ code: village.code, name: village.name }]);
    expect(without.features.some((f) => f.properties.code === village.code)).toBe(false);
  });

  it('refuses an unknown region, an open ring, a coordinate off the globe, a region twice, and a town officer', async () => {
    const put = (s: Session, features: unknown[]) =>
      call(app, s, { method: 'PUT', url: '/api/regions/shapes', payload: { type: 'FeatureCollection', features } });
    const feature = (code: string, geometry: unknown = square(120.5, 31)) => ({ type: 'Feature', properties: { code }, geometry });
    expect(errorCode(await put(admin, [feature('990101888')]))).toBe('REGION_UNKNOWN');
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [120, 31],
          [120.1, 31],
          [120.1, 31.1],
          [120, 31.1],
        ],
      ],
    };
    expect(errorCode(await put(admin, [feature(town1Code, open)]))).toBe('VALIDATION');
    const off = {
      type: 'Polygon',
      coordinates: [
        [
          [200, 31],
          [200.1, 31],
          [200.1, 31.1],
          [200, 31],
        ],
      ],
    };
    expect(errorCode(await put(admin, [feature(town1Code, off)]))).toBe('VALIDATION');
    expect(errorCode(await put(admin, [feature(town1Code, { type: 'Point', coordinates: [120, 31] })]))).toBe('VALIDATION');
    expect(errorCode(await put(admin, [feature(town1Code), feature(town1Code)]))).toBe('VALIDATION');
    expect((await put(town1, [feature(regions.find((r) => r.parent_code === town1Code)!.code)])).statusCode).toBe(403);
    // nothing of a refused upload was stored
    const town = (await shapes(admin)).json<ShapesReply>().features.find((f) => f.properties.code === town1Code)!;
    expect(town.geometry).toEqual(demoShapes().find((s) => s.regionCode === town1Code)!.geometry);
  });
});
