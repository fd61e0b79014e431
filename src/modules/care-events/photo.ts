import { AppError } from '../../platform/errors.js';

/**
 * Photos as evidence: the type is judged by the bytes (JPEG, PNG, WebP), the size by the jurisdiction's
 * limit, and the location a camera writes into the file (EXIF GPS; XMP, which may repeat it) is taken
 * out unless the worker chose to keep it. Segment-level work, no decoding: the GPS directory of the
 * EXIF block is blanked in place and unlinked from the first directory, so the rest of the EXIF
 * (orientation, time taken) stays; an EXIF block this code cannot follow is dropped whole. XMP
 * packets are dropped whole. No npm library was taken: none maintained, pure JS and covering JPEG,
 * PNG and WebP writing was found on the stack list (../shared/reference/stack.md).
 */

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

export interface PreparedPhoto {
  mime: PhotoMime;
  bytes: Buffer;
  /** whether the file carried location metadata (kept or removed) */
  locationFound: boolean;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const XMP_HEADERS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'].map((h) => Buffer.from(h, 'latin1'));

/** The image type by its magic bytes; null when it is none of the three. */
export function imageType(bytes: Buffer): PhotoMime | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** A size in words: 512 KB, 5 MB. */
export function sizeText(n: number): string {
  if (n >= 1024 * 1024) {
    const mb = n / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.ceil(n / 1024)} KB`;
}

/** Checks a photo and strips its location metadata unless kept. Throws PHOTO_TOO_LARGE, PHOTO_NOT_IMAGE. */
export function preparePhoto(bytes: Buffer, opts: { keepLocation: boolean; maxBytes: number }): PreparedPhoto {
  if (bytes.length > opts.maxBytes) throw new AppError('PHOTO_TOO_LARGE', { size: sizeText(bytes.length), limit: sizeText(opts.maxBytes) });
  const mime = imageType(bytes);
  if (!mime) throw new AppError('PHOTO_NOT_IMAGE');
  const found = hasLocation(bytes);
  if (opts.keepLocation) return { mime, bytes, locationFound: found };
  const out = mime === 'image/jpeg' ? stripJpeg(bytes) : mime === 'image/png' ? stripPng(bytes) : stripWebp(bytes);
  return { mime, bytes: out, locationFound: found };
}

/** Whether the image carries location metadata: a GPS directory with entries in its EXIF, or an XMP packet naming GPS. */
export function hasLocation(bytes: Buffer): boolean {
  return metadataBlocks(bytes).some((b) => (b.kind === 'exif' ? gpsEntries(b.data) > 0 : b.data.includes('GPS')));
}

// ---- TIFF (the EXIF block) ----

class Bad extends Error {}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
const GPS_POINTER = 0x8825;

interface Tiff {
  u16(at: number): number;
  u32(at: number): number;
  ifd0: number;
}

function tiffOf(t: Buffer): Tiff {
  if (t.length < 8) throw new Bad('short');
  const order = t.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new Bad('byte order');
  const le = order === 'II';
  const check = (at: number, n: number) => {
    if (at < 0 || at + n > t.length) throw new Bad('out of range');
  };
  const u16 = (at: number) => (check(at, 2), le ? t.readUInt16LE(at) : t.readUInt16BE(at));
  const u32 = (at: number) => (check(at, 4), le ? t.readUInt32LE(at) : t.readUInt32BE(at));
  if (u16(2) !== 42) throw new Bad('magic');
  return { u16, u32, ifd0: u32(4) };
}

/** The GPS pointer entry of IFD0 (its index and the GPS directory's offset), or null. */
function gpsPointer(tiff: Tiff): { index: number; count: number; offset: number } | null {
  const count = tiff.u16(tiff.ifd0);
  for (let i = 0; i < count; i++) {
    const e = tiff.ifd0 + 2 + 12 * i;
    if (tiff.u16(e) === GPS_POINTER) return { index: i, count, offset: tiff.u32(e + 8) };
  }
  return null;
}

/** How many entries the GPS directory of this TIFF block has (0: none, or unreadable). */
function gpsEntries(t: Buffer): number {
  try {
    const tiff = tiffOf(t);
    const p = gpsPointer(tiff);
    return p ? tiff.u16(p.offset) : 0;
  } catch {
    return 0;
  }
}

/**
 * Blanks the GPS directory of a TIFF block in place (its entries and the values they point to are
 * zeroed) and removes the pointer to it from IFD0. Throws Bad when the block cannot be followed.
 */
function blankGps(t: Buffer): void {
  const tiff = tiffOf(t);
  const p = gpsPointer(tiff);
  if (!p) return;
  const n = tiff.u16(p.offset);
  const end = p.offset + 2 + 12 * n + 4;
  if (end > t.length) throw new Bad('gps directory out of range');
  const zero: [number, number][] = [[p.offset, end]];
  for (let i = 0; i < n; i++) {
    const e = p.offset + 2 + 12 * i;
    const size = TYPE_SIZE[tiff.u16(e + 2)];
    if (size === undefined) throw new Bad('type');
    const bytes = size * tiff.u32(e + 4);
    if (bytes > 4) {
      const at = tiff.u32(e + 8);
      if (at + bytes > t.length) throw new Bad('value out of range');
      zero.push([at, at + bytes]);
    }
  }
  // unlink: shift the later entries and the next-directory offset left over the pointer entry
  const dirEnd = tiff.ifd0 + 2 + 12 * p.count + 4;
  if (dirEnd > t.length) throw new Bad('ifd0 out of range');
  const at = tiff.ifd0 + 2 + 12 * p.index;
  t.copy(t, at, at + 12, dirEnd);
  t.fill(0, dirEnd - 12, dirEnd);
  if (t.readUInt16LE(0) === 0x4949) t.writeUInt16LE(p.count - 1, tiff.ifd0);
  else t.writeUInt16BE(p.count - 1, tiff.ifd0);
  for (const [from, to] of zero) t.fill(0, from, to);
}

/** The TIFF block with its GPS blanked, or null when it cannot be followed (the block is then dropped). */
function withoutGps(tiffBytes: Buffer): Buffer | null {
  const copy = Buffer.from(tiffBytes);
  try {
    blankGps(copy);
    return copy;
  } catch (e) {
    if (e instanceof Bad) return null;
    throw e;
  }
}

// ---- the three containers ----

interface Block {
  kind: 'exif' | 'xmp';
  /** TIFF bytes (exif) or the XMP text's bytes */
  data: Buffer;
}

function metadataBlocks(bytes: Buffer): Block[] {
  const out: Block[] = [];
  try {
    const mime = imageType(bytes);
    if (mime === 'image/jpeg') {
      for (const s of jpegSegments(bytes)) {
        if (s.marker !== 0xe1) continue;
        const d = bytes.subarray(s.dataStart, s.end);
        if (d.subarray(0, 6).equals(EXIF_HEADER)) out.push({ kind: 'exif', data: d.subarray(6) });
        else if (XMP_HEADERS.some((h) => d.subarray(0, h.length).equals(h))) out.push({ kind: 'xmp', data: d });
      }
    } else if (mime === 'image/png') {
      for (const c of pngChunks(bytes)) {
        const d = bytes.subarray(c.dataStart, c.dataStart + c.length);
        if (c.type === 'eXIf') out.push({ kind: 'exif', data: d });
        else if (isPngXmp(c.type, d)) out.push({ kind: 'xmp', data: d });
      }
    } else if (mime === 'image/webp') {
      for (const c of webpChunks(bytes)) {
        const d = bytes.subarray(c.dataStart, c.dataStart + c.length);
        if (c.type === 'EXIF') out.push({ kind: 'exif', data: d.subarray(0, 6).equals(EXIF_HEADER) ? d.subarray(6) : d });
        else if (c.type === 'XMP ') out.push({ kind: 'xmp', data: d });
      }
    }
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
  }
  return out;
}

// JPEG: markers with a length, up to the start of scan; the scan and what follows are copied as they are.
interface Segment {
  marker: number;
  start: number;
  dataStart: number;
  end: number;
}

function jpegSegments(b: Buffer): Segment[] {
  const out: Segment[] = [];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new Bad('marker');
    let m = b[i + 1]!;
    let start = i;
    while (m === 0xff && start + 2 < b.length) {
      start++;
      m = b[start + 1]!; // fill bytes
    }
    if (m === 0xd9 || m === 0xda) break;
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      i = start + 2;
      continue;
    }
    const len = b.readUInt16BE(start + 2);
    if (len < 2 || start + 2 + len > b.length) throw new Bad('segment length');
    out.push({ marker: m, start: i, dataStart: start + 4, end: start + 2 + len });
    i = start + 2 + len;
  }
  return out;
}

function stripJpeg(b: Buffer): Buffer {
  let segs: Segment[];
  try {
    segs = jpegSegments(b);
  } catch (e) {
    if (e instanceof Bad) throw new AppError('PHOTO_NOT_IMAGE');
    throw e;
  }
  const parts: Buffer[] = [b.subarray(0, 2)];
  let pos = 2;
  for (const s of segs) {
    parts.push(b.subarray(pos, s.start));
    pos = s.end;
    if (s.marker !== 0xe1) {
      parts.push(b.subarray(s.start, s.end));
      continue;
    }
    const d = b.subarray(s.dataStart, s.end);
    if (XMP_HEADERS.some((h) => d.subarray(0, h.length).equals(h))) continue; // XMP: dropped
    if (!d.subarray(0, 6).equals(EXIF_HEADER)) {
      parts.push(b.subarray(s.start, s.end));
      continue;
    }
    const tiff = withoutGps(d.subarray(6));
    if (!tiff) continue; // an EXIF block we cannot follow: dropped whole
    parts.push(b.subarray(s.start, s.dataStart), EXIF_HEADER, tiff);
  }
  parts.push(b.subarray(pos));
  return Buffer.concat(parts);
}

// PNG: length, type, data, CRC.
interface Chunk {
  type: string;
  start: number;
  dataStart: number;
  length: number;
  end: number;
}

function pngChunks(b: Buffer): Chunk[] {
  const out: Chunk[] = [];
  let i = 8;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const end = i + 12 + length;
    if (end > b.length) throw new Bad('chunk length');
    const type = b.toString('latin1', i + 4, i + 8);
    out.push({ type, start: i, dataStart: i + 8, length, end });
    i = end;
    if (type === 'IEND') break;
  }
  return out;
}

function isPngXmp(type: string, d: Buffer): boolean {
  if (type === 'iTXt') return d.subarray(0, 18).toString('latin1') === 'XML:com.adobe.xmp\0';
  if (type === 'tEXt' || type === 'zTXt') {
    const key = d.subarray(0, Math.max(0, d.indexOf(0))).toString('latin1');
    return key === 'XML:com.adobe.xmp' || key === 'Raw profile type exif' || key === 'Raw profile type xmp' || key === 'Raw profile type APP1';
  }
  return false;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk with its length and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function stripPng(b: Buffer): Buffer {
  let chunks: Chunk[];
  try {
    chunks = pngChunks(b);
  } catch (e) {
    if (e instanceof Bad) throw new AppError('PHOTO_NOT_IMAGE');
    throw e;
  }
  const parts: Buffer[] = [b.subarray(0, 8)];
  for (const c of chunks) {
    const d = b.subarray(c.dataStart, c.dataStart + c.length);
    if (isPngXmp(c.type, d)) continue;
    if (c.type === 'eXIf') {
      const tiff = withoutGps(d);
      if (tiff) parts.push(pngChunk('eXIf', tiff));
      continue;
    }
    parts.push(b.subarray(c.start, c.end));
  }
  const last = chunks[chunks.length - 1];
  if (last) parts.push(b.subarray(last.end));
  return Buffer.concat(parts);
}

// WebP: RIFF chunks (fourCC, little-endian size, data padded to even); VP8X flags name EXIF and XMP.
function webpChunks(b: Buffer): Chunk[] {
  const out: Chunk[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = b.toString('latin1', i, i + 4);
    const length = b.readUInt32LE(i + 4);
    const end = i + 8 + length + (length % 2);
    if (i + 8 + length > b.length) throw new Bad('chunk length');
    out.push({ type, start: i, dataStart: i + 8, length, end: Math.min(end, b.length) });
    i = end;
  }
  return out;
}

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/** A WebP chunk, padded to an even length. */
export function webpChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function stripWebp(b: Buffer): Buffer {
  let chunks: Chunk[];
  try {
    chunks = webpChunks(b);
  } catch (e) {
    if (e instanceof Bad) throw new AppError('PHOTO_NOT_IMAGE');
    throw e;
  }
  const parts: Buffer[] = [];
  let clear = 0;
  let vp8x: Buffer | null = null;
  for (const c of chunks) {
    const d = b.subarray(c.dataStart, c.dataStart + c.length);
    if (c.type === 'XMP ') {
      clear |= VP8X_XMP;
      continue;
    }
    if (c.type === 'EXIF') {
      const prefixed = d.subarray(0, 6).equals(EXIF_HEADER);
      const tiff = withoutGps(prefixed ? d.subarray(6) : d);
      if (tiff) parts.push(webpChunk('EXIF', prefixed ? Buffer.concat([EXIF_HEADER, tiff]) : tiff));
      else clear |= VP8X_EXIF;
      continue;
    }
    const copy = Buffer.from(b.subarray(c.start, c.end));
    if (c.type === 'VP8X') vp8x = copy;
    parts.push(copy);
  }
  if (vp8x && vp8x.length > 8) vp8x[8] = vp8x[8]! & ~clear;
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}
