import { DEMO_COUNTY } from '../demo/regions.js';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../platform/time.js';
import { nextPeriod } from '../../platform/time.js';

const exec = promisify(execFile);

/**
 * The run survives the process being killed: a real process is SIGKILLed in the middle of a run,
 * the next invocation resumes it, and its decisions equal those of an uninterrupted run.
 */
describe('an entitlement run killed mid-way resumes to the same decisions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-kill-'));
  const file = join(dir, 'y.sqlite');
  // Batches of one person: many small commits, so the kill lands mid-run.
  const env = {
    ...process.env,
    YIYANG_DATA_DIR: dir,
    SQLITE_PATH: file,
    YIYANG_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: '',
    RUN_BATCH_SIZE: '1',
  };
  const cli = (...args: string[]) => exec('node_modules/.bin/tsx', ['src/cli.ts', ...args], { env, timeout: 180_000 });
  const period = nextPeriod(today().slice(0, 7));

  beforeAll(async () => {
    await cli('seed-demo', '--elders', '1500', '--seed', '9');
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kill, resume, compare', async () => {
    // node itself, not the tsx wrapper, which would leave its node child running after the kill
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--period', period, '--jurisdiction', DEMO_COUNTY], {
      env,
      stdio: 'ignore',
    });
    const db = new SQLite(file, { readonly: true });
    db.pragma('busy_timeout = 5000');
    const progress = () =>
      db.prepare('select id, status, persons_done, persons_total from entitlement_runs where period = ? order by id desc limit 1').get(period) as
        { id: number; status: string; persons_done: number; persons_total: number } | undefined;
    const started = Date.now();
    for (;;) {
      const p = progress();
      if (p && p.persons_done > 50) break;
      if (Date.now() - started > 120_000) throw new Error('the run did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killed = progress()!;
    expect(killed.status).toBe('running');
    expect(killed.persons_done).toBeLessThan(killed.persons_total);

    const resumed = await cli('run', '--period', period, '--jurisdiction', DEMO_COUNTY);
    expect(resumed.stdout).toMatch(new RegExp(`Run ${killed.id} ${period} 青溪县 finished \\(resumed\\): ${killed.persons_total} persons`));
    const clean = await cli('run', '--period', period, '--jurisdiction', DEMO_COUNTY);
    expect(clean.stdout).toMatch(/finished: /);

    const [a, b] = db.prepare('select id from entitlement_runs where period = ? order by id').all(period) as { id: number }[];
    const rows = (id: number) => db.prepare('select person_id, facts, outcome from decisions where run_id = ? order by person_id').all(id);
    const count = (id: number) =>
      db.prepare('select count(*) as n, count(distinct person_id) as d from decisions where run_id = ?').get(id) as { n: number; d: number };
    expect(count(a!.id)).toEqual({ n: killed.persons_total, d: killed.persons_total });
    expect(rows(a!.id)).toEqual(rows(b!.id));
    // roll lines were committed with their batch: no person twice, totals equal the clean run's
    const rolls = (id: number) =>
      db.prepare(`select item_id, town_code, lines, total_fen, status from payment_rolls where run_id = ? order by item_id, town_code`).all(id) as {
        status: string;
      }[];
    const dup = db
      .prepare('select count(*) as n from (select roll_id, person_id, count(*) c from roll_lines group by roll_id, person_id having c > 1)')
      .get() as { n: number };
    expect(dup.n).toBe(0);
    expect(rolls(a!.id).map(({ status: _s, ...r }) => r)).toEqual(rolls(b!.id).map(({ status: _s, ...r }) => r));
    db.close();
  }, 240_000);
});
