import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, dialects, PG_URL, type TestContext } from '../../testing/harness.js';
import { systemScope } from '../../platform/scope.js';
import { nextPeriod, today } from '../../platform/time.js';
import { runImport } from '../register/imports/imports.service.js';
import { seedDemoEntitlements } from '../demo/entitlements.js';
import { writeDemoFiles } from '../demo/files.js';
import { DEMO_COUNTY } from '../demo/regions.js';
import { seedRegionsAndUsers } from '../demo/seed.js';

const exec = promisify(execFile);

/**
 * Issue 21: a run split by town across several worker processes sharing one PostgreSQL. Real
 * processes (`yiyang run` as the coordinator, `yiyang worker` beside it) work one month; one of
 * them is SIGKILLed in the middle; the others carry on (a part whose process died is claimed again
 * from its committed cursor; a coordinator whose process died is taken over). The run ends with
 * every person decided once and the same decisions, items, changes and roll lines as a run of the
 * same month by one process.
 */
describe.runIf(dialects.includes('postgres'))('an entitlement run shared by several workers on PostgreSQL', () => {
  let ctx: TestContext;
  // the processes' settings: the test context's schema, key and data directory. Small batches:
  // many commits, so that a kill lands mid-part.
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => exec('node_modules/.bin/tsx', ['src/cli.ts', ...args], { env, timeout: 240_000 });
  // node itself, not the tsx wrapper, which would leave its node child running after a kill
  const spawnCli = (...args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, exited, output: () => out };
  };
  const period = nextPeriod(today().slice(0, 7));
  const db = new pg.Client({ connectionString: PG_URL });
  const q = async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
  const runnerOf = (c: ChildProcess) => `${hostname()}:${c.pid}`;

  beforeAll(async () => {
    // the demo county's register, 1,800 elders over nine towns and streets, its standards and its
    // last and this month's runs (the demo's entitlements; the rest of the demo is not needed here)
    ctx = await createTestContext('postgres');
    await seedRegionsAndUsers(ctx);
    const county = ctx.regions.get(DEMO_COUNTY)!;
    const scope = systemScope(county.code, county.prefix, 'test');
    const files = mkdtempSync(join(tmpdir(), 'yiyang-workers-'));
    try {
      for (const f of await writeDemoFiles(files, { elders: 1800, seed: 9, asOf: today() }))
        await runImport(ctx, scope, { source: f.source, path: f.path, fileName: `${f.source}.csv` });
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
    await seedDemoEntitlements(ctx, scope);
    env = {
      ...process.env,
      YIYANG_DATA_DIR: ctx.dir,
      YIYANG_KEY: ctx.config.masterKey.toString('base64'),
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: ctx.handle.schema,
      RUN_BATCH_SIZE: '4',
      WORKER_POLL_MS: '100',
    };
    await db.connect();
    await db.query(`SET search_path = ${ctx.handle.schema}`);
  }, 300_000);
  afterAll(async () => {
    await db.end();
    await ctx?.cleanup();
  });

  /** One process alone: the month as the single-worker platform decides it. */
  let single: number;
  it('one process runs the month alone, part after part', async () => {
    const r = await cli('run', '--period', period, '--jurisdiction', DEMO_COUNTY);
    expect(r.stdout).toMatch(/finished: 1800 persons/);
    single = (await q<{ id: number }>('select max(id) as id from entitlement_runs where period = $1', [period]))[0]!.id;
    const parts = await q<{ status: string }>("select status from jobs where kind = 'entitlement_run_part' and key like $1", [`${single}:%`]);
    expect(parts.length).toBe(9);
    expect(parts.every((p) => p.status === 'finished')).toBe(true);
  }, 240_000);

  /** The rows of a run that must not depend on how many processes made them, as sorted text. */
  const fingerprint = async (runId: number) => ({
    decisions: (
      await q<{ r: string }>(
        `select person_id || '|' || region_code || '|' || facts || '|' || outcome as r from decisions where run_id = $1 order by person_id`,
        [runId],
      )
    ).map((x) => x.r),
    items: (
      await q<{ r: string }>(`select item_id || '|' || person_id || '|' || region_code || '|' || value as r from decision_items where run_id = $1 order by 1`, [
        runId,
      ])
    ).map((x) => x.r),
    changes: (
      await q<{ r: string }>(
        `select person_id || '|' || region_code || '|' || item_id || '|' || kind || '|' || coalesce(old_value::text, '-') || '|' || coalesce(new_value::text, '-') || '|' || coalesce(missing, '-') as r
         from decision_changes where run_id = $1 order by 1`,
        [runId],
      )
    ).map((x) => x.r),
    lines: (
      await q<{ r: string }>(
        `select r.kind || '|' || r.item_id || '|' || r.town_code || '|' || l.person_id || '|' || l.amount_fen || '|' || l.standard_fen || '|' || l.excluded as r
         from roll_lines l join payment_rolls r on r.id = l.roll_id where r.run_id = $1 order by 1`,
        [runId],
      )
    ).map((x) => x.r),
    rolls: (
      await q<{ r: string }>(
        `select kind || '|' || item_id || '|' || town_code || '|' || lines || '|' || total_fen as r from payment_rolls where run_id = $1 order by 1`,
        [runId],
      )
    ).map((x) => x.r),
  });

  it.each([
    { workers: 2, kill: 'a worker' as const },
    { workers: 3, kill: 'the coordinator' as const },
  ])(
    '$workers workers, $kill SIGKILLed mid-run: the same decisions, each person once',
    async ({ workers, kill }) => {
      const before = (await q<{ id: number | null }>('select max(id) as id from entitlement_runs'))[0]!.id ?? 0;
      // the helpers first, waiting for work; then the coordinator starts the run and works on it too
      const helpers = Array.from({ length: workers - 1 }, () => spawnCli('worker'));
      const coordinator = spawnCli('run', '--period', period, '--jurisdiction', DEMO_COUNTY);
      const victim = kill === 'a worker' ? helpers[0]! : coordinator;
      const started = Date.now();
      let runId: number;
      let heldKey = '';
      for (;;) {
        const run = (await q<{ id: number; status: string }>('select id, status from entitlement_runs where id > $1 order by id desc limit 1', [before]))[0];
        if (run) {
          runId = run.id;
          expect(run.status).toBe('running');
          // the victim holds a part it has committed batches of
          const held = await q<{ key: string; done: number }>(
            "select key, done from jobs where kind = 'entitlement_run_part' and key like $1 and status = 'running' and runner = $2",
            [`${runId}:%`, runnerOf(victim.child)],
          );
          const started = held.find((h) => h.done > 0);
          if (started) {
            heldKey = started.key;
            break;
          }
        }
        if (Date.now() - started > 120_000) throw new Error(`the victim never held a part: ${victim.output()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      victim.child.kill('SIGKILL');
      await victim.exited;
      const [atKill] = await q<{ persons_done: number; persons_total: number; status: string }>(
        'select persons_done, persons_total, status from entitlement_runs where id = $1',
        [runId],
      );
      expect(atKill!.status).toBe('running');
      expect(atKill!.persons_done).toBeLessThan(atKill!.persons_total);

      // the others finish it: the coordinator's process, or (the coordinator killed) a worker that took it over
      for (;;) {
        const [r] = await q<{ status: string }>('select status from entitlement_runs where id = $1', [runId]);
        if (r!.status !== 'running') break;
        if (Date.now() - started > 180_000) throw new Error(`the run did not finish: ${helpers.map((h) => h.output()).join('\n')}`);
        await new Promise((res) => setTimeout(res, 100));
      }
      for (const h of helpers) if (h !== victim) h.child.kill('SIGTERM');
      const codes = await Promise.all([coordinator, ...helpers].filter((p) => p !== victim).map((p) => p.exited));
      // a worker stops between parts on SIGTERM, and the coordinator's `run` ends with its run
      expect(codes.every((c) => c === 0)).toBe(true);

      const [run] = await q<{ status: string; persons_done: number; persons_total: number; granted: number; changes: number }>(
        'select status, persons_done, persons_total, granted, changes from entitlement_runs where id = $1',
        [runId],
      );
      const [base] = await q<{ persons_done: number; granted: number; changes: number }>(
        'select persons_done, granted, changes from entitlement_runs where id = $1',
        [single],
      );
      expect(run).toMatchObject({ status: 'finished', persons_done: 1800, persons_total: 1800, granted: base!.granted, changes: base!.changes });
      const [count] = await q<{ n: number; d: number }>('select count(*)::int as n, count(distinct person_id)::int as d from decisions where run_id = $1', [
        runId,
      ]);
      expect(count).toEqual({ n: 1800, d: 1800 });
      const [dup] = await q<{ n: number }>(
        'select count(*)::int as n from (select l.roll_id, l.person_id from roll_lines l join payment_rolls r on r.id = l.roll_id where r.run_id = $1 group by 1, 2 having count(*) > 1) d',
        [runId],
      );
      expect(dup!.n).toBe(0);
      const a = await fingerprint(single);
      const b = await fingerprint(runId);
      expect(b.decisions).toEqual(a.decisions);
      expect(b.items).toEqual(a.items);
      expect(b.changes).toEqual(a.changes);
      expect(b.lines).toEqual(a.lines);
      expect(b.rolls).toEqual(a.rolls);
      // every part finished, none left running or failed, and the work was shared
      const parts = await q<{ key: string; status: string; runner: string; done: number; total: number }>(
        "select key, status, runner, done, total from jobs where kind = 'entitlement_run_part' and key like $1",
        [`${runId}:%`],
      );
      expect(parts.length).toBe(9);
      expect(parts.filter((p) => p.status !== 'finished')).toEqual([]);
      // the victim's part was claimed again by a live process and carried on from its last commit
      const taken = parts.find((p) => p.key === heldKey)!;
      expect(taken.runner).not.toBe(runnerOf(victim.child));
      expect(taken.done).toBe(taken.total);
      const [coord] = await q<{ status: string }>("select status from jobs where kind = 'entitlement_run' and key = $1", [String(runId)]);
      expect(coord!.status).toBe('finished');
    },
    300_000,
  );
});
