import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { AppError, formatMessage } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import {
  attachPhoto,
  checkTimes,
  confirmEvent,
  eventsOf,
  eventSummaries,
  recordEvent,
  registerConfirmationSink,
  unregisterConfirmationSink,
  voidEvent,
  type NewCareEvent,
} from './care-events.service.js';
import { crc32, hasLocation, imageType, pngChunk, preparePhoto, webpChunk } from './photo.js';

// ---- images built here, with a GPS directory in their EXIF ----

/** A big-endian TIFF block: IFD0 with Orientation and a GPS pointer; the GPS directory with latitude N 30°12'34". */
function tiffWithGps(): Buffer {
  const t = Buffer.alloc(8 + 2 + 12 * 2 + 4 + 2 + 12 * 2 + 4 + 24);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(8, 4);
  let o = 8;
  t.writeUInt16BE(2, o);
  o += 2;
  // Orientation SHORT 1 = 6
  t.writeUInt16BE(0x0112, o);
  t.writeUInt16BE(3, o + 2);
  t.writeUInt32BE(1, o + 4);
  t.writeUInt16BE(6, o + 8);
  o += 12;
  const gpsAt = 8 + 2 + 24 + 4;
  t.writeUInt16BE(0x8825, o);
  t.writeUInt16BE(4, o + 2);
  t.writeUInt32BE(1, o + 4);
  t.writeUInt32BE(gpsAt, o + 8);
  o += 12;
  t.writeUInt32BE(0, o); // no next IFD
  o = gpsAt;
  t.writeUInt16BE(2, o);
  o += 2;
  // GPSLatitudeRef ASCII 2 'N\0'
  t.writeUInt16BE(1, o);
  t.writeUInt16BE(2, o + 2);
  t.writeUInt32BE(2, o + 4);
  t.write('N\0', o + 8, 'latin1');
  o += 12;
  const ratAt = gpsAt + 2 + 24 + 4;
  // GPSLatitude RATIONAL 3
  t.writeUInt16BE(2, o);
  t.writeUInt16BE(5, o + 2);
  t.writeUInt32BE(3, o + 4);
  t.writeUInt32BE(ratAt, o + 8);
  o += 12;
  t.writeUInt32BE(0, o);
  const rat = [30, 1, 12, 1, 3456, 100];
  rat.forEach((v, i) => t.writeUInt32BE(v, ratAt + 4 * i));
  return t;
}
const LATITUDE_BYTES = Buffer.from([0, 0, 0x0d, 0x80, 0, 0, 0, 100]); // 3456/100, the seconds

function jpegWithGps(): Buffer {
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithGps()]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(exif.length + 2, 2);
  const xmpText = Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>30,12.5N</exif:GPSLatitude></x:xmpmeta>', 'latin1');
  const xmp = Buffer.alloc(4);
  xmp.writeUInt16BE(0xffe1, 0);
  xmp.writeUInt16BE(xmpText.length + 2, 2);
  // a quantisation table, a start of scan and some entropy-coded bytes, then EOI
  const dqt = Buffer.concat([Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]), Buffer.alloc(64, 1)]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34, 0x56, 0xff, 0xd9]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, exif, xmp, xmpText, dqt, sos]);
}

function pngWithGps(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('eXIf', tiffWithGps()),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function webpWithGps(): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08 | 0x04; // EXIF and XMP
  const body = Buffer.concat([
    webpChunk('VP8X', vp8x),
    webpChunk('VP8L', Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x00])),
    webpChunk('EXIF', Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithGps()])),
    webpChunk('XMP ', Buffer.from('<x:xmpmeta>GPSLatitude</x:xmpmeta>', 'latin1')),
  ]);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}

describe('photos (pure)', () => {
  it('judges the type by the bytes, and refuses what is no image, naming the three types', () => {
    expect(imageType(jpegWithGps())).toBe('image/jpeg');
    expect(imageType(pngWithGps())).toBe('image/png');
    expect(imageType(webpWithGps())).toBe('image/webp');
    const e = (() => {
      try {
        preparePhoto(Buffer.from('%PDF-1.7 not a photo'), { keepLocation: false, maxBytes: 1000 });
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(e?.code).toBe('PHOTO_NOT_IMAGE');
    expect(formatMessage('PHOTO_NOT_IMAGE', {}, 'zh-CN')).toContain('JPEG、PNG 或 WebP');
  });

  it('refuses a photo over the limit, naming the limit in KB or MB', () => {
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(3 * 1024 * 1024)]);
    try {
      preparePhoto(big, { keepLocation: false, maxBytes: 2 * 1024 * 1024 });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('PHOTO_TOO_LARGE');
      expect((e as AppError).status).toBe(413);
      expect(e instanceof AppError && formatMessage('PHOTO_TOO_LARGE', (e as AppError<'PHOTO_TOO_LARGE'>).params, 'en')).toMatch(/limit of 2 MB/);
      expect(formatMessage('PHOTO_TOO_LARGE', (e as AppError<'PHOTO_TOO_LARGE'>).params, 'zh-CN')).toContain('上限 2 MB');
    }
    try {
      preparePhoto(jpegWithGps(), { keepLocation: false, maxBytes: 100 });
      expect.unreachable();
    } catch (e) {
      expect(formatMessage('PHOTO_TOO_LARGE', (e as AppError<'PHOTO_TOO_LARGE'>).params, 'en')).toMatch(/limit of 1 KB/);
    }
  });

  it.each([
    ['JPEG', jpegWithGps],
    ['PNG', pngWithGps],
    ['WebP', webpWithGps],
  ])('takes the GPS directory (and XMP) out of a %s and keeps the rest of the EXIF, or keeps all when asked', (_, make) => {
    const original = make();
    expect(hasLocation(original)).toBe(true);
    expect(original.includes(LATITUDE_BYTES)).toBe(true);
    const stripped = preparePhoto(original, { keepLocation: false, maxBytes: 1 << 20 });
    expect(stripped.locationFound).toBe(true);
    expect(hasLocation(stripped.bytes)).toBe(false);
    expect(stripped.bytes.includes(LATITUDE_BYTES)).toBe(false);
    expect(stripped.bytes.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(imageType(stripped.bytes)).toBe(imageType(original));
    // the orientation entry (0x0112 SHORT 1 = 6) is still there
    expect(stripped.bytes.includes(Buffer.from([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6]))).toBe(true);
    const kept = preparePhoto(original, { keepLocation: true, maxBytes: 1 << 20 });
    expect(kept.bytes.equals(original)).toBe(true);
    expect(hasLocation(kept.bytes)).toBe(true);
  });

  it('keeps the containers whole: PNG CRCs and the RIFF size agree after stripping', () => {
    const png = preparePhoto(pngWithGps(), { keepLocation: false, maxBytes: 1 << 20 }).bytes;
    let i = 8;
    while (i < png.length) {
      const len = png.readUInt32BE(i);
      expect(png.readUInt32BE(i + 8 + len)).toBe(crc32(png.subarray(i + 4, i + 8 + len)));
      i += 12 + len;
    }
    expect(i).toBe(png.length);
    const webp = preparePhoto(webpWithGps(), { keepLocation: false, maxBytes: 1 << 20 }).bytes;
    expect(webp.readUInt32LE(4)).toBe(webp.length - 8);
    expect(webp[20]! & 0x04).toBe(0); // the VP8X XMP flag is cleared with the XMP chunk
  });

  it('checks the times: end before start, a start in the future, longer than a day', () => {
    const now = new Date('2026-11-30T08:00:00Z');
    expect(checkTimes('2026-11-30T07:00:00Z', '2026-11-30T07:45:30Z', now).minutes).toBe(45);
    expect(checkTimes('2026-11-30T07:00:00Z', '2026-11-30T08:04:00Z', now).minutes).toBe(64); // 4 min of clock drift is allowed
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as AppError).code;
      }
    };
    expect(code(() => checkTimes('2026-11-30T07:00:00Z', '2026-11-30T06:59:00Z', now))).toBe('CARE_EVENT_TIMES');
    expect(code(() => checkTimes('2026-11-30T08:06:00Z', '2026-11-30T08:07:00Z', now))).toBe('CARE_EVENT_TIMES');
    expect(code(() => checkTimes('yesterday', '2026-11-30T08:00:00Z', now))).toBe('CARE_EVENT_TIMES');
    expect(code(() => checkTimes('2026-11-29T07:00:00Z', '2026-11-30T07:01:00Z', now))).toBe('CARE_EVENT_TOO_LONG');
    try {
      checkTimes('2026-11-30T07:00:00Z', '2026-11-30T06:59:00Z', now);
    } catch (e) {
      const p = (e as AppError<'CARE_EVENT_TIMES'>).params;
      expect(formatMessage('CARE_EVENT_TIMES', p, 'zh-CN')).toContain('结束时间早于开始时间');
      expect(formatMessage('CARE_EVENT_TIMES', p, 'en')).toContain('the end is before the start');
    }
  });
});

describe.each(dialects)('verified events on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let grid1: Scope;
  let vol1: Scope;
  let head1: Scope;
  let town1: Scope;
  let town2: Scope;
  let personA: number;
  let sessions: Record<string, Session>;
  let n = 0;
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  async function person(region: string): Promise<number> {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `事件测试${n}`,
      sex: 'F',
      birth_date: '1940-01-01',
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  const visit = (by: Scope, extra: Partial<NewCareEvent> = {}): NewCareEvent => ({
    clientId: randomUUID(),
    kind: 'visit',
    source: 'visits',
    sourceId: null,
    performer: { id: by.userId!, role: by.role },
    personId: personA,
    regionCode: by.regionCode,
    mode: 'home',
    startedAt: minutesAgo(40),
    endedAt: minutesAgo(5),
    findings: ['health.fall'],
    notes: '老人说腿疼，已提醒家属',
    location: { lat: 30.123456, lng: 120.654321, accuracy: 12 },
    ...extra,
  });
  const record = (input: NewCareEvent, scope?: Scope) => ctx.db.transaction().execute((trx) => recordEvent(ctx, trx, input, scope));
  const countEvents = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('care_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const countPhotos = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('care_event_evidence')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = (action: string) => ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    grid1 = await userScope(ctx, 'grid1');
    vol1 = await userScope(ctx, 'vol1');
    head1 = await userScope(ctx, 'head1');
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    personA = await person(grid1.regionCode);
    app = await buildApp(ctx, { serveWeb: false });
    sessions = {};
    for (const u of ['grid1', 'vol1', 'head1', 'town1', 'town2']) sessions[u] = await loginAs(app, u);
  });
  afterAll(async () => {
    unregisterConfirmationSink('test');
    await app?.close();
    await ctx?.cleanup();
  });

  it('records an event once: a resend with the same clientId answers the first id, merged, and writes nothing; notes and location are sealed', async () => {
    const input = visit(grid1);
    const before = (await audits('care_event.record')).length;
    const first = await record(input, grid1);
    expect(first.merged).toBe(false);
    const again = await record({ ...input, notes: 'changed' }, grid1);
    expect(again).toEqual({ id: first.id, merged: true });
    expect(await ctx.db.selectFrom('care_events').select('id').where('client_id', '=', input.clientId).execute()).toHaveLength(1);
    expect((await audits('care_event.record')).length).toBe(before + 1);
    const row = await ctx.db.selectFrom('care_events').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.notes_enc).not.toContain('腿疼');
    expect(row.location_enc).not.toContain('30.12');
    expect(row.duration_minutes).toBe(35);
    expect(row.status).toBe('recorded');
    const s = (await eventSummaries(ctx.db, [first.id])).get(first.id)!;
    expect(s).toMatchObject({ personId: personA, performerId: grid1.userId, durationMinutes: 35, findings: ['health.fall'], status: 'recorded', photos: 0 });
    expect((await eventsOf(ctx.db, { performerId: grid1.userId!, status: 'recorded' })).map((e) => e.id)).toContain(first.id);
  });

  it('refuses an end before the start, a start in the future and more than a day, writing nothing', async () => {
    const before = await countEvents();
    expect(await codeOf(record(visit(grid1, { startedAt: minutesAgo(10), endedAt: minutesAgo(20) })))).toBe('CARE_EVENT_TIMES');
    expect(await codeOf(record(visit(grid1, { startedAt: minutesAgo(-10), endedAt: minutesAgo(-20) })))).toBe('CARE_EVENT_TIMES');
    expect(await codeOf(record(visit(grid1, { startedAt: minutesAgo(25 * 60), endedAt: minutesAgo(5) })))).toBe('CARE_EVENT_TOO_LONG');
    expect(await countEvents()).toBe(before);
  });

  it('attaches photos: not an image or too large is refused and nothing is written; GPS is gone from the stored photo read back through the route, and kept when asked', async () => {
    const { id } = await record(visit(grid1), grid1);
    const before = await countPhotos();
    const attach = (bytes: Buffer, keepLocation = false, maxBytes = 1 << 20) =>
      ctx.db.transaction().execute((trx) => attachPhoto(ctx, trx, id, { bytes, keepLocation, by: grid1.userId!, maxBytes }, grid1));
    expect(await codeOf(attach(Buffer.from('GIF89a not one of ours')))).toBe('PHOTO_NOT_IMAGE');
    expect(await codeOf(attach(Buffer.concat([jpegWithGps(), Buffer.alloc(4096)]), false, 2048))).toBe('PHOTO_TOO_LARGE');
    expect(await countPhotos()).toBe(before);

    const stripped = await attach(jpegWithGps());
    expect(stripped).toMatchObject({ mime: 'image/jpeg', locationKept: false });
    const kept = await attach(pngWithGps(), true);
    expect(kept).toMatchObject({ mime: 'image/png', locationKept: true });
    const stored = await ctx.db.selectFrom('care_event_evidence').select('content_enc').where('id', '=', stripped.id).executeTakeFirstOrThrow();
    expect(stored.content_enc).not.toContain('Exif');

    const readsBefore = (await audits('care_event.photo_read')).length;
    const res = await call(app, sessions.head1!, { method: 'GET', url: `/api/care-events/${id}/photos/${stripped.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.rawPayload;
    expect(imageType(body)).toBe('image/jpeg');
    expect(hasLocation(body)).toBe(false);
    expect(body.includes(LATITUDE_BYTES)).toBe(false);
    const keptRes = await call(app, sessions.head1!, { method: 'GET', url: `/api/care-events/${id}/photos/${kept.id}` });
    expect(keptRes.rawPayload.equals(pngWithGps())).toBe(true);
    expect(hasLocation(keptRes.rawPayload)).toBe(true);
    const reads = await audits('care_event.photo_read');
    expect(reads.length).toBe(readsBefore + 2);
    expect(JSON.parse(reads.at(-1)!.detail!).persons).toEqual([personA]);
    // another town's officer: not found
    const other = await call(app, sessions.town2!, { method: 'GET', url: `/api/care-events/${id}/photos/${stripped.id}` });
    expect(other.statusCode).toBe(404);

    const detail = (await call(app, sessions.head1!, { method: 'GET', url: `/api/care-events/${id}` })).json<{
      photoList: { id: number; locationKept: boolean }[];
      photos: number;
    }>();
    expect(detail.photos).toBe(2);
    expect(detail.photoList.map((p) => [p.id, p.locationKept])).toEqual([
      [stripped.id, false],
      [kept.id, true],
    ]);
  });

  it('confirms: the performer as person or proxy, an officer in scope as officer; not twice, not a voided one, not as someone else', async () => {
    const own = (await record(visit(grid1), grid1)).id;
    // an officer may not enter the person's confirmation; a worker may not confirm as an officer
    expect(await codeOf(confirmEvent(ctx, head1, own, { kind: 'person' }))).toBe('CARE_EVENT_CONFIRM_NOT_YOURS');
    expect(await codeOf(confirmEvent(ctx, grid1, own, { kind: 'officer' }))).toBe('CARE_EVENT_CONFIRM_NOT_YOURS');
    // a volunteer does not see a grid worker's event
    expect(await codeOf(confirmEvent(ctx, vol1, own, { kind: 'person' }))).toBe('CARE_EVENT_NOT_FOUND');
    // another town's officer does not see it
    expect(await codeOf(confirmEvent(ctx, town2, own, { kind: 'officer' }))).toBe('CARE_EVENT_NOT_FOUND');
    // an officer does not verify what they did themselves: the village head's own visit waits for another officer
    const heads = (await record(visit(head1), head1)).id;
    const self = await call(app, sessions.head1!, { method: 'POST', url: `/api/care-events/${heads}/confirm`, payload: { kind: 'officer' } });
    expect(self.statusCode).toBe(403);
    expect(errorCode(self)).toBe('CARE_EVENT_SELF_CONFIRM');
    expect(self.json().error.message).toContain(`编号 ${heads}`);
    expect((await ctx.db.selectFrom('care_events').select('status').where('id', '=', heads).executeTakeFirstOrThrow()).status).toBe('recorded');
    expect((await confirmEvent(ctx, town1, heads, { kind: 'officer' })).status).toBe('confirmed');
    const res = await call(app, sessions.grid1!, {
      method: 'POST',
      url: `/api/care-events/${own}/confirm`,
      payload: { kind: 'proxy', note: '女儿 王某 代为确认' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: own, status: 'confirmed', confirmedKind: 'proxy' });
    const row = await ctx.db.selectFrom('care_events').selectAll().where('id', '=', own).executeTakeFirstOrThrow();
    expect(row.confirmation_note_enc).not.toContain('王某');
    const twice = await call(app, sessions.head1!, { method: 'POST', url: `/api/care-events/${own}/confirm`, payload: { kind: 'officer' } });
    expect(twice.statusCode).toBe(409);
    expect(errorCode(twice)).toBe('CARE_EVENT_ALREADY_CONFIRMED');

    const other = (await record(visit(grid1), grid1)).id;
    const confirmed = await confirmEvent(ctx, head1, other, { kind: 'officer', note: '电话回访核实' });
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedKind: 'officer' });

    const voided = (await record(visit(grid1), grid1)).id;
    const v = await call(app, sessions.town1!, { method: 'POST', url: `/api/care-events/${voided}/void`, payload: { reason: '重复登记' } });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ status: 'voided' });
    const late = await call(app, sessions.grid1!, { method: 'POST', url: `/api/care-events/${voided}/confirm`, payload: { kind: 'person' } });
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('CARE_EVENT_VOIDED');
    expect(late.json<{ error: { message: string } }>().error.message).toContain('重复登记');
    expect(await codeOf(voidEvent(ctx, town1, voided, 'again'))).toBe('CARE_EVENT_VOIDED');
    expect(await codeOf(voidEvent(ctx, town2, own, 'not theirs'))).toBe('CARE_EVENT_NOT_FOUND');
    // a grid worker may not void
    expect((await call(app, sessions.grid1!, { method: 'POST', url: `/api/care-events/${own}/void`, payload: { reason: 'x' } })).statusCode).toBe(403);
  });

  it('runs the confirmation sinks inside the transaction: a sink that throws undoes the confirmation; a re-registered name replaces; an event recorded confirmed runs them in the caller’s transaction', async () => {
    const seen: { id: number; status: string; visible: string }[] = [];
    registerConfirmationSink('test', async (_c, trx, e) => {
      const r = await trx.selectFrom('care_events').select('status').where('id', '=', e.id).executeTakeFirstOrThrow();
      seen.push({ id: e.id, status: e.status, visible: r.status });
    });
    const a = (await record(visit(grid1), grid1)).id;
    await confirmEvent(ctx, grid1, a, { kind: 'person' });
    expect(seen).toEqual([{ id: a, status: 'confirmed', visible: 'confirmed' }]);

    registerConfirmationSink('test', async () => {
      throw new AppError('FORBIDDEN');
    });
    const b = (await record(visit(grid1), grid1)).id;
    const confirmsBefore = (await audits('care_event.confirm')).length;
    expect(await codeOf(confirmEvent(ctx, grid1, b, { kind: 'person' }))).toBe('FORBIDDEN');
    expect((await ctx.db.selectFrom('care_events').select('status').where('id', '=', b).executeTakeFirstOrThrow()).status).toBe('recorded');
    expect((await audits('care_event.confirm')).length).toBe(confirmsBefore);
    expect(seen).toHaveLength(1); // the first sink was replaced

    // recorded already confirmed: the sink runs in the caller's transaction; its failure undoes the event
    const before = await countEvents();
    expect(await codeOf(record(visit(grid1, { confirmation: { kind: 'person' } }), grid1))).toBe('FORBIDDEN');
    expect(await countEvents()).toBe(before);
    registerConfirmationSink('test', async (_c, trx, e) => {
      const r = await trx.selectFrom('care_events').select('status').where('id', '=', e.id).executeTakeFirstOrThrow();
      seen.push({ id: e.id, status: e.status, visible: r.status });
    });
    const c = await record(visit(grid1, { confirmation: { kind: 'proxy', note: '老伴代为确认' } }), grid1);
    expect(seen.at(-1)).toEqual({ id: c.id, status: 'confirmed', visible: 'confirmed' });
    unregisterConfirmationSink('test');
  });

  it('keeps to scope: another town gets 404, a volunteer sees only their own events; every read is audited with the persons shown', async () => {
    const mine = (await record(visit(grid1), grid1)).id;
    const volunteers = (await record(visit(vol1, { kind: 'volunteer', source: 'timebank', mode: 'onsite' }), vol1)).id;
    const one = await call(app, sessions.town2!, { method: 'GET', url: `/api/care-events/${mine}` });
    expect(one.statusCode).toBe(404);
    expect(errorCode(one)).toBe('CARE_EVENT_NOT_FOUND');
    const list2 = (await call(app, sessions.town2!, { method: 'GET', url: '/api/care-events?pageSize=200' })).json<{
      items: { id: number }[];
      total: number;
    }>();
    expect(list2.total).toBe(0);

    const volList = (await call(app, sessions.vol1!, { method: 'GET', url: '/api/care-events?pageSize=200' })).json<{ items: { id: number }[] }>();
    expect(volList.items.map((i) => i.id)).toEqual([volunteers]);
    expect((await call(app, sessions.vol1!, { method: 'GET', url: `/api/care-events/${mine}` })).statusCode).toBe(404);

    const listsBefore = (await audits('care_event.list')).length;
    const headList = await call(app, sessions.head1!, { method: 'GET', url: `/api/care-events?personId=${personA}&kind=visit&pageSize=5` });
    expect(headList.statusCode).toBe(200);
    const page = headList.json<{ items: { id: number; person: { id: number; name: string } }[]; total: number }>();
    expect(page.items).toHaveLength(5);
    expect(page.total).toBeGreaterThan(5);
    expect(page.items[0]!.person.name).toMatch(/^事件测试/);
    const lists = await audits('care_event.list');
    expect(lists.length).toBe(listsBefore + 1);
    expect(JSON.parse(lists.at(-1)!.detail!).persons).toEqual([personA]);

    const readsBefore = (await audits('care_event.read')).length;
    const detail = await call(app, sessions.head1!, { method: 'GET', url: `/api/care-events/${mine}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      id: mine,
      notes: '老人说腿疼，已提醒家属',
      location: { lat: 30.123456, lng: 120.654321, accuracy: 12 },
      can: { confirm: ['officer'], void: false },
    });
    const reads = await audits('care_event.read');
    expect(reads.length).toBe(readsBefore + 1);
    expect(JSON.parse(reads.at(-1)!.detail!).persons).toEqual([personA]);
    expect(reads.at(-1)!.actor).toBe('head1');
    // the date filter: today's events are in, tomorrow's none
    const tomorrow = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const none = (await call(app, sessions.head1!, { method: 'GET', url: `/api/care-events?from=${tomorrow}` })).json<{ total: number }>();
    expect(none.total).toBe(0);
  });
});
