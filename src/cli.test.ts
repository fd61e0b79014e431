import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verify } from '@node-rs/argon2';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from './modules/register/resident-id.js';

const run = promisify(execFile);

/** The command line as an operator uses it: its own process, settings from the environment. */
describe('CLI: import, backup → restore → verify-audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-cli-'));
  const env = { ...process.env, YIYANG_DATA_DIR: dir, SQLITE_PATH: join(dir, 'y.sqlite'), YIYANG_KEY: randomBytes(32).toString('base64'), DATABASE_URL: '' };
  const cli = (...args: string[]) =>
    run('node_modules/.bin/tsx', ['src/cli.ts', ...args], { env, timeout: 120_000 }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  beforeAll(async () => {
    expect((await cli('seed-demo', '--elders', '300', '--seed', '5')).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file and reports a bad one with its import number', async () => {
    const file = join(dir, 'ps.csv');
    writeFileSync(file, `身份证号,姓名,村（社区）代码\n${makeResidentId('990101', '1941-03-04', 1, 'M')},陆建国,990101001001\n`);
    const ok = await cli('import', '--source', 'public_security', '--file', file);
    expect(ok.out).toMatch(/applied: 1 rows, 0 bad .* 1 new/);
    writeFileSync(file, `身份证号,姓名,村（社区）代码\n12345,陆建国,990101001001\n`);
    const bad = await cli('import', '--source', 'public_security', '--file', file);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('IMPORT_ROWS');
    expect(bad.out).toMatch(/row 2.*身份证号/);
  });

  it('import leaves no copy of the file in the data directory, applied, rejected or refused', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'yiyang-cli-in-'));
    const person = makeResidentId('990101', '1942-04-05', 3, 'F');
    const holding = () => {
      const found: string[] = [];
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const path = join(d, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (readFileSync(path).includes(person)) found.push(path);
        }
      };
      walk(dir);
      return found;
    };
    try {
      const file = join(outside, '户籍.csv');
      writeFileSync(file, `身份证号,姓名,村（社区）代码\n${person},陆秀英,990101001001\n`);
      expect((await cli('import', '--source', 'public_security', '--file', file)).out).toMatch(/applied: 1 rows/);
      writeFileSync(file, `身份证号,姓名,村（社区）代码\n${person},陆秀英,990101001001\n${person.slice(0, 16)}99,陆9,990101001001\n`);
      expect((await cli('import', '--source', 'public_security', '--file', file)).code).toBe(1);
      expect((await cli('import', '--source', 'tax_office', '--file', file)).out).toContain('UNKNOWN_SOURCE');
      expect(holding()).toEqual([]);
      expect(readdirSync(dir).filter((n) => n.startsWith('cli-'))).toEqual([]);
      expect(existsSync(file)).toBe(true); // the operator's own file is left alone
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('prints the audit head for the operator and checks an operator-kept anchor and the anchor file', async () => {
    const head = await cli('audit-anchor');
    expect(head.code).toBe(0);
    const [, seq, hash] = /--anchor (\d+):([0-9a-f]{64})/.exec(head.out) ?? [];
    expect(seq).toBeTruthy();
    // every command that wrote audit entries left an anchor line outside the database
    const anchors = readFileSync(join(dir, 'audit-anchor.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; hash: string });
    expect(anchors.at(-1)).toMatchObject({ seq: Number(seq), hash });
    expect(statSync(join(dir, 'audit-anchor.log')).mode & 0o077).toBe(0);
    expect((await cli('verify-audit', '--anchor', `${seq}:${hash}`)).code).toBe(0);
    const wrong = await cli('verify-audit', '--anchor', `${seq}:${'0'.repeat(64)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(new RegExp(`#${seq} anchor_mismatch`));
  });

  it('refuses to restore while a server process holds the database', async () => {
    const backup = join(dir, 'held.sqlite');
    expect((await cli('backup', '--to', backup)).code).toBe(0);
    const server = spawn('node_modules/.bin/tsx', ['src/main.ts'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((ok, fail) => {
        let out = '';
        const t = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 60_000);
        const seen = (b: Buffer) => {
          out += b.toString();
          if (out.includes('is running')) {
            clearTimeout(t);
            ok();
          }
        };
        server.stdout.on('data', seen);
        server.stderr.on('data', seen);
        server.on('exit', () => fail(new Error(`server exited: ${out}`)));
      });
      expect(existsSync(`${env.SQLITE_PATH}.lock`)).toBe(true);
      const r = await cli('restore', '--from', backup);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/server.*pid \d+/i);
      expect(readdirSync(dir).some((f) => f.includes('before-restore'))).toBe(false);
    } finally {
      const exited = new Promise((ok) => server.on('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
    // the server took its lock away when it stopped
    expect(existsSync(`${env.SQLITE_PATH}.lock`)).toBe(false);
  }, 120_000);

  it('refuses a backup whose audit log was edited, before touching the live database', async () => {
    const backup = join(dir, 'tampered.sqlite');
    expect((await cli('backup', '--to', backup)).code).toBe(0);
    const b = new SQLite(backup);
    b.exec('drop trigger audit_log_no_update');
    b.prepare("update audit_log set actor = 'mallory' where seq = 2").run();
    b.close();
    const sha = () => createHash('sha256').update(readFileSync(env.SQLITE_PATH)).digest('hex');
    const before = sha();
    const r = await cli('restore', '--from', backup);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/audit/i);
    expect(r.out).toMatch(/#2 edited/);
    expect(sha()).toBe(before);
    expect(readdirSync(dir).some((f) => f.includes('before-restore'))).toBe(false);
  });

  it('backs up online, restores, and the restored audit chain verifies; a tampered one does not', async () => {
    const backup = join(dir, 'backup.sqlite');
    expect((await cli('backup', '--to', backup)).code).toBe(0);
    expect(existsSync(backup)).toBe(true);
    expect(statSync(backup).mode & 0o077).toBe(0);
    expect(statSync(env.SQLITE_PATH).mode & 0o077).toBe(0);
    // change the live database after the backup, then restore: the change is gone
    const live = new SQLite(env.SQLITE_PATH);
    const before = (live.prepare('select count(*) as n from persons').get() as { n: number }).n;
    live.prepare("update persons set name = '改名' where id = 1").run();
    live.close();
    const restored = await cli('restore', '--from', backup);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/audit chain .*intact/i);
    // the previous database is kept beside the restored one, with the change made after the backup
    const kept = readdirSync(dir).filter((f) => f.startsWith('y.sqlite.before-restore-'));
    expect(kept).toHaveLength(1);
    expect(restored.out).toContain(kept[0]);
    const old = new SQLite(join(dir, kept[0]!), { readonly: true });
    expect((old.prepare('select name from persons where id = 1').get() as { name: string }).name).toBe('改名');
    old.close();
    expect(statSync(join(dir, kept[0]!)).mode & 0o077).toBe(0);
    const db = new SQLite(env.SQLITE_PATH);
    expect((db.prepare('select name from persons where id = 1').get() as { name: string }).name).not.toBe('改名');
    expect((db.prepare('select count(*) as n from persons').get() as { n: number }).n).toBe(before);
    // an attacker edits the log with the guard removed: verify-audit says so and fails
    db.exec('drop trigger audit_log_no_update');
    db.prepare("update audit_log set actor = 'mallory' where seq = 3").run();
    db.close();
    const verify = await cli('verify-audit');
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(/#3 edited/);
  });

  it('refuses to restore something that is not a backup', async () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database');
    const r = await cli('restore', '--from', junk);
    expect(r.code).toBe(1);
  });
});

/** create-user: the password is never an argument; it is read from a prompt or from stdin. */
describe('CLI: create-user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-cli-user-'));
  const env = { ...process.env, YIYANG_DATA_DIR: dir, SQLITE_PATH: join(dir, 'y.sqlite'), YIYANG_KEY: randomBytes(32).toString('base64'), DATABASE_URL: '' };
  /** Runs the CLI with `input` piped to its stdin (not a TTY). */
  const cli = (input: string | null, ...args: string[]) =>
    new Promise<{ code: number; out: string }>((resolvePromise, reject) => {
      const child = spawn('node_modules/.bin/tsx', ['src/cli.ts', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code: code ?? 1, out }));
      if (input !== null) child.stdin.write(input);
      child.stdin.end();
    });
  const users = () => {
    const db = new SQLite(env.SQLITE_PATH, { readonly: true });
    try {
      return db.prepare('select username, role, region_code, password_hash from users').all() as Array<{
        username: string;
        role: string;
        region_code: string;
        password_hash: string;
      }>;
    } finally {
      db.close();
    }
  };
  const STRONG = 'Osmanthus-Tea-77';

  beforeAll(async () => {
    expect((await cli(null, 'seed-demo', '--elders', '300', '--seed', '3')).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses --password on the command line', async () => {
    const r = await cli(`${STRONG}\n`, 'create-user', '--username', 'wang', '--password', STRONG, '--role', 'town_officer', '--region', '990101001');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/--password is no longer accepted/);
    expect(users().map((u) => u.username)).not.toContain('wang');
  });

  it('refuses a weak password read from stdin, naming the rule', async () => {
    const one = await cli('1\n', 'create-user', '--username', 'wang', '--role', 'bureau_admin', '--region', '990101');
    expect(one.code).toBe(1);
    expect(one.out).toContain('PASSWORD_TOO_SHORT');
    const withName = await cli('Wang-2026-secret\n', 'create-user', '--username', 'wang', '--role', 'bureau_admin', '--region', '990101');
    expect(withName.code).toBe(1);
    expect(withName.out).toContain('PASSWORD_HAS_USERNAME');
    const none = await cli('', 'create-user', '--username', 'wang', '--role', 'bureau_admin', '--region', '990101');
    expect(none.code).toBe(1);
    expect(users().map((u) => u.username)).not.toContain('wang');
  });

  it('accepts a strong password piped on stdin, hashes it, and writes a users.create audit entry', async () => {
    const r = await cli(`${STRONG}\n`, 'create-user', '--username', 'wang', '--role', 'town_officer', '--region', '990101001', '--name', '王科员');
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain(STRONG);
    const wang = users().find((u) => u.username === 'wang')!;
    expect(wang).toMatchObject({ role: 'town_officer', region_code: '990101001' });
    expect(wang.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verify(wang.password_hash, STRONG)).toBe(true);
    const db = new SQLite(env.SQLITE_PATH, { readonly: true });
    const entry = db.prepare("select actor, role, entity_type, entity_id, region_code, detail from audit_log where action = 'users.create'").all() as Array<
      Record<string, string>
    >;
    db.close();
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ actor: 'cli', role: 'system', entity_type: 'user', region_code: '990101001' });
    expect(JSON.stringify(entry)).not.toContain(STRONG);
    const chain = await cli(null, 'verify-audit');
    expect(chain.code, chain.out).toBe(0);
  });
});
