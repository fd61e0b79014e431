import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);

/**
 * An import survives the process being killed: a real process is SIGKILLed while it applies a
 * large file, `yiyang resume` carries the import's job on from its last commit, and the register
 * and the counts equal those of a clean import of the same file into the same county.
 */
describe('an import killed while applying resumes to the same register', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-import-kill-'));
  const key = randomBytes(32).toString('base64');
  const envOf = (name: string) => ({
    ...process.env,
    YIYANG_DATA_DIR: join(dir, name),
    SQLITE_PATH: join(dir, name, 'y.sqlite'),
    YIYANG_KEY: key,
    DATABASE_URL: '',
  });
  const cli = (name: string, ...args: string[]) => exec('node_modules/.bin/tsx', ['src/cli.ts', ...args], { env: envOf(name), timeout: 300_000 });
  const file = join(dir, 'files', 'public_security.csv');

  beforeAll(async () => {
    await Promise.all([cli('killed', 'seed-demo', '--elders', '200', '--seed', '9'), cli('clean', 'seed-demo', '--elders', '200', '--seed', '9')]);
    await cli('killed', 'generate', '--out', join(dir, 'files'), '--elders', '200000', '--seed', '5');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 mid-apply, resume, compare with a clean import', async () => {
    const db = new SQLite(join(dir, 'killed', 'y.sqlite'), { readonly: true });
    db.pragma('busy_timeout = 5000');
    // the demo's own imports come before: this one is the first after them
    const after = (d: SQLite.Database) => (d.prepare('select max(id) as id from imports').get() as { id: number }).id;
    const before = after(db);
    // node itself, not the tsx wrapper, which would leave its node child running after the kill
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', '--source', 'public_security', '--file', file], {
      env: envOf('killed'),
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    const latest = () =>
      db.prepare('select id, status, applied_through, rows_total from imports where id > ? order by id desc limit 1').get(before) as
        { id: number; status: string; applied_through: number; rows_total: number } | undefined;
    const started = Date.now();
    for (;;) {
      const p = latest();
      if (p && p.status === 'applying' && p.applied_through > 0) break;
      if (p && p.status !== 'validating' && p.status !== 'applying')
        throw new Error(`the import ended (${p.status}) before it could be killed: make the file larger`);
      if (Date.now() - started > 240_000) throw new Error('the import did not start applying');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const killed = latest()!;
    expect(killed.status).toBe('applying');
    expect(killed.applied_through).toBeLessThan(killed.rows_total + 1);
    const job = db.prepare("select status, runner, done, total from jobs where kind = 'import' and key = ?").get(String(killed.id)) as {
      status: string;
      runner: string;
      done: number;
      total: number;
    };
    expect(job).toMatchObject({ status: 'running', total: killed.rows_total });
    expect(job.done).toBeGreaterThan(0);
    expect(job.done).toBeLessThan(job.total);

    const resumed = await cli('killed', 'resume');
    expect(resumed.stdout).toMatch(/Resumed 1 background job\(s\)\./);
    const clean = await cli('clean', 'import', '--source', 'public_security', '--file', file);
    expect(clean.stdout).toMatch(/applied: 200000 rows/);

    const cleanDb = new SQLite(join(dir, 'clean', 'y.sqlite'), { readonly: true });
    const summary = (d: SQLite.Database) => ({
      imp: d.prepare('select status, rows_total, created, updated, unchanged, conflicts, closed from imports where id > ?').all(before),
      persons: d.prepare("select count(*) as n, count(distinct id_hash) as d, sum(status = 'active') as active from persons").get(),
      history: d.prepare('select count(*) as n from person_history').get(),
      jobs: d.prepare("select status, done, total from jobs where kind = 'import' order by id desc limit 1").get(),
    });
    const a = summary(db);
    expect(a.imp).toEqual([expect.objectContaining({ status: 'applied', rows_total: 200000 })]);
    expect(a).toEqual(summary(cleanDb));
    cleanDb.close();
    db.close();
  }, 300_000);
});
