import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Department files at rest. An accepted file is kept only until its import is applied (pass 2
 * and a resumption after a crash read it again), and only sealed: AES-256-GCM in records, the
 * STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), so a file of hundreds of MB is
 * encrypted and decrypted as it streams and every record is authenticated before it is used.
 *
 * Layout: "YYSEAL01" (8 bytes) | salt (16) | records. A record is a 4-byte big-endian ciphertext
 * length, the ciphertext of up to 64 KiB of plaintext, and its 16-byte tag. The file key is
 * HKDF-SHA256(master key, salt, "yiyang/import-file"), so no two files share a key; record i's
 * nonce is i (8 bytes big-endian), three zero bytes and a last-record flag, and the header is
 * every record's additional data. Reordered, cut, truncated or spliced records all fail the tag;
 * a file cut at a record boundary is refused because its last record lacks the flag.
 */
const MAGIC = Buffer.from('YYSEAL01');
const SALT_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES;
const RECORD_PLAIN = 64 * 1024;
const TAG_BYTES = 16;

export class SealedFileError extends Error {}

function fileKey(masterKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, salt, 'yiyang/import-file', 32));
}

function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUInt32BE(Math.floor(index / 2 ** 32), 0);
  n.writeUInt32BE(index >>> 0, 4);
  n[11] = last ? 1 : 0;
  return n;
}

/** A transform from plaintext to the sealed layout. */
export function sealStream(masterKey: Buffer): Transform {
  const salt = randomBytes(SALT_BYTES);
  const header = Buffer.concat([MAGIC, salt]);
  const key = fileKey(masterKey, salt);
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const record = (plain: Buffer, last: boolean): Buffer => {
    const c = createCipheriv('aes-256-gcm', key, nonce(index++, last));
    c.setAAD(header);
    const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length - TAG_BYTES, 0);
    return Buffer.concat([len, body]);
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        this.push(header);
        started = true;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Keep at least one byte back: the last record is only known at the end.
      if (pendingBytes > RECORD_PLAIN) {
        let all = Buffer.concat(pending, pendingBytes);
        while (all.length > RECORD_PLAIN) {
          this.push(record(all.subarray(0, RECORD_PLAIN), false));
          all = all.subarray(RECORD_PLAIN);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(header);
      this.push(record(Buffer.concat(pending, pendingBytes), true));
      done();
    },
  });
}

/** A transform from the sealed layout back to plaintext; fails on any alteration. */
export function openStream(masterKey: Buffer): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let header: Buffer | undefined;
  let key: Buffer | undefined;
  let index = 0;
  const fail = (why: string) => new SealedFileError(`sealed import file unreadable: ${why}`);
  // Records are decrypted as soon as a complete one has arrived; the one that turns out to be
  // last must carry the flag, which is checked when the next record (or the end) arrives.
  let held: { body: Buffer } | undefined;
  const open = (body: Buffer, last: boolean): Buffer => {
    const d = createDecipheriv('aes-256-gcm', key!, nonce(index++, last));
    d.setAAD(header!);
    d.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        if (!header) {
          if (buf.length < HEADER_BYTES) return done();
          if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw fail('not a sealed file');
          header = Buffer.from(buf.subarray(0, HEADER_BYTES));
          key = fileKey(masterKey, header.subarray(MAGIC.length));
          buf = buf.subarray(HEADER_BYTES);
        }
        while (buf.length >= 4) {
          const len = buf.readUInt32BE(0);
          if (len > RECORD_PLAIN) throw fail('record too long');
          if (buf.length < 4 + len + TAG_BYTES) break;
          const body = buf.subarray(4, 4 + len + TAG_BYTES);
          buf = buf.subarray(4 + len + TAG_BYTES);
          if (held) this.push(open(held.body, false));
          held = { body: Buffer.from(body) };
        }
        done();
      } catch (e) {
        done(e instanceof SealedFileError ? e : fail((e as Error).message));
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!header || buf.length || !held) throw fail('truncated');
        this.push(open(held.body, true));
        done();
      } catch (e) {
        done(e instanceof SealedFileError ? e : fail((e as Error).message));
      }
    },
  });
}

/** Seals a plaintext stream into a file only the owner can read. */
export async function writeSealed(masterKey: Buffer, from: Readable, to: string): Promise<void> {
  await pipeline(from, sealStream(masterKey), createWriteStream(to, { mode: 0o600 }));
}

/** The plaintext of a sealed file, as a stream; never written anywhere. */
export function readSealed(masterKey: Buffer, path: string): Readable {
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const out = openStream(masterKey);
  source.on('error', (e) => out.destroy(e));
  out.on('close', () => source.destroy());
  return source.pipe(out);
}
