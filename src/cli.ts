import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openContext } from './bootstrap.js';
import { loadConfig } from './config.js';
import { verifyRound, type PublishedRound } from './lib/draw.js';
import type { AppContext } from './platform/context.js';
import { anchorAudit, parseAnchor, verifyAuditAnchored } from './platform/audit-anchor.js';
import { restoreSqlite } from './db/restore.js';
import { isChainKeyed } from './platform/audit.js';
import { readNewPassword } from './platform/prompt.js';
import { createUser } from './modules/users/users.service.js';
import { AppError } from './platform/errors.js';
import { isRole } from './platform/policy.js';
import { systemScope } from './platform/scope.js';
import { writeDemoFiles } from './modules/demo/files.js';
import { seedDemo } from './modules/demo/seed.js';
import { prepareImportResume, runImport } from './modules/register/imports/imports.service.js';
import { failedJobsSince, resumeJobs, RUNNER, waitForJobs } from './platform/jobs.js';
import { listImportErrors } from './modules/register/imports/imports.repository.js';
import { today } from './platform/time.js';
import { resumeRuns, startRun, waitForRuns } from './modules/entitlements/runs.service.js';
import { latestRun } from './modules/entitlements/runs.repository.js';
import { workOnRuns } from './modules/entitlements/run-worker.js';
import { jurisdictionsFor } from './modules/catalogue/jurisdictions.js';
import { refreshIndicators } from './modules/indicators/refresh.js';

const HELP = `yiyang — the platform's command line (npm run yiyang -- <command> [options])

  import --source <dept> --file <path> [--as-of YYYY-MM-DD] [--mode all|valid]
        import one department file (public_security, civil_affairs, hr_social_security, health,
        medical_insurance, disabled_federation, veterans_affairs)
  generate --out <dir> [--elders 20000] [--seed 2026] [--bad-rate 0]
        write the demo county's department files (CSV) without touching the database
  seed-demo [--elders 20000] [--seed 2026]
        fill an empty database with the demo county, its accounts and its department files
  backup --to <file>          online backup of the SQLite database (safe while the server runs)
  restore --from <file> [--accept-unkeyed]
                              replace the SQLite database with a backup: refused while the server
                              runs; the backup is checked first (integrity, schema, audit chain with
                              this deployment's key); the previous file is kept as
                              <name>.before-restore-<time>
  verify-audit [--anchor SEQ:HASH ...]
                              walk the keyed audit chain and check it against the anchor file
                              (AUDIT_ANCHOR_FILE) and any anchors you kept; exit 1 if an entry was
                              edited or deleted
  audit-anchor                print the audit chain's head (SEQ:HASH) for you to keep in writing
  verify-draw <round.json>    re-run a 双随机 draw from its published document (the public page's
                              download): pools digest, commitment, seed and result; exit 1 if any
                              differs (docs/supervision-draw.md). Needs no database
  run --period YYYY-MM [--jurisdiction <code>|all]
                              entitlement run of a jurisdiction's catalogue for a month (required
                              where several jurisdictions run one; 'all': each in turn); an
                              interrupted run is resumed instead of started again
  worker [--once]             work on entitlement runs split by town with the processes already on
                              them (PostgreSQL: app servers, other workers, on any machine): claims
                              each town no live process holds, one at a time, and takes over a run
                              whose process died; --once: stop when nothing is left to claim, else
                              wait for work until SIGTERM / Ctrl-C (which stops after the current town)
  resume                      carries on the background work (imports, entitlement runs) an earlier
                              process left unfinished, as the server does at start, and waits for it
  indicators refresh [--full] [--period YYYY-MM]
                              compute a month's indicators (default: this month, Asia/Shanghai):
                              incremental after the month's first computation, --full to recompute
                              it whole (a closed month with late corrections, changed sources)
  create-user --username <u> --role <role> --region <code> [--name <display name>]
                              the password is asked twice (not shown) at a terminal, or read as the
                              first line of stdin when piped; never an argument. Policy: 10+
                              characters, 3 of lower/upper/digit/symbol, not the username, not a
                              well-known password. Audited as users.create.

Settings come from the environment as for \`npm start\` (DATABASE_URL, SQLITE_PATH, YIYANG_KEY, ...).`;

// every file the platform writes (backups, anchors, database) is private to its user
process.umask(0o077);

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    source: { type: 'string' },
    jurisdiction: { type: 'string' },
    file: { type: 'string' },
    'as-of': { type: 'string' },
    mode: { type: 'string' },
    out: { type: 'string' },
    elders: { type: 'string' },
    seed: { type: 'string' },
    'bad-rate': { type: 'string' },
    to: { type: 'string' },
    from: { type: 'string' },
    anchor: { type: 'string', multiple: true },
    'accept-unkeyed': { type: 'boolean' },
    period: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    region: { type: 'string' },
    name: { type: 'string' },
    full: { type: 'boolean' },
    once: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new Error(`--${name} is required (see --help)`);
  return v;
}

function jurisdictionScope(ctx: AppContext, who: string) {
  const j = ctx.regions.top();
  if (!j) throw new Error('The database has no regions yet: run seed-demo, or load the region tree first.');
  return systemScope(j.code, j.prefix, who);
}

async function main(): Promise<number> {
  const command = positionals[0];
  if (!command || values.help) {
    console.log(HELP);
    return command ? 0 : 1;
  }
  const config = loadConfig();

  if (command === 'generate') {
    const out = resolve(need('out'));
    const files = await writeDemoFiles(out, {
      elders: Number(values.elders ?? 20000),
      seed: Number(values.seed ?? 2026),
      asOf: today(),
      badRate: Number(values['bad-rate'] ?? 0),
    });
    for (const f of files) console.log(`${f.path}\t${f.rows} rows${f.badRows ? `, ${f.badRows} bad` : ''}`);
    return 0;
  }
  if (command === 'verify-draw') {
    const file = positionals[1];
    if (!file) throw new Error('verify-draw needs the round’s JSON file (see --help)');
    const v = await verifyRound(JSON.parse(readFileSync(resolve(file), 'utf8')) as PublishedRound);
    console.log(`pools digest ${v.digestMatches ? 'matches' : 'DIFFERS'} (${v.recomputed.poolsDigest})`);
    console.log(`secret ${v.commitmentMatches ? 'matches' : 'DOES NOT MATCH'} the commitment`);
    console.log(`seed ${v.seedMatches ? 'matches' : 'DIFFERS'} (${v.recomputed.seed ?? 'cannot be computed'})`);
    console.log(`result ${v.resultMatches ? 'matches' : 'DIFFERS'}`);
    console.log(v.ok ? 'The draw re-runs to the published result.' : 'The draw does NOT re-run to the published result.');
    return v.ok ? 0 : 1;
  }
  if (command === 'restore') {
    const { audit } = await restoreSqlite(config, resolve(need('from')), { acceptUnkeyed: values['accept-unkeyed'] === true, log: console.log });
    for (const p of audit.problems) console.log(`  #${p.seq} ${p.problem}: ${p.message}`);
    console.log(`Audit chain after restore: ${audit.entries} entries, ${audit.problems.length ? `${audit.problems.length} PROBLEMS` : 'intact'}.`);
    return audit.problems.length ? 1 : 0;
  }

  // the audit commands report on the database as it is: they neither re-key nor anchor it
  const auditCommand = command === 'verify-audit' || command === 'audit-anchor';
  const ctx = await openContext(config, undefined, { upgradeAudit: !auditCommand });
  const started = new Date().toISOString();
  try {
    switch (command) {
      case 'import': {
        const file = resolve(need('file'));
        if (!existsSync(file)) throw new Error(`No such file: ${file}`);
        // the import service only reads the file (it keeps a sealed copy while it needs one)
        const mode = values.mode === 'valid' ? 'valid' : 'all';
        const done = await runImport(ctx, jurisdictionScope(ctx, 'cli'), {
          source: need('source'),
          path: file,
          fileName: basename(file),
          asOf: values['as-of'],
          mode,
        }).catch(async (e: unknown) => {
          const importId = e instanceof AppError ? (e.details as { importId?: number } | undefined)?.importId : undefined;
          if (importId) {
            const { rows, total } = await listImportErrors(ctx.db, importId, 20, 0);
            for (const r of rows) console.error(`  row ${r.row_no}${r.column_name ? ` [${r.column_name}]` : ''}: ${r.reason}`);
            if (total > rows.length) console.error(`  ... and ${total - rows.length} more`);
          }
          throw e;
        });
        console.log(
          `Import ${done.id} applied: ${done.rows_total} rows, ${done.rows_bad} bad (skipped), ${done.created} new, ${done.updated} updated, ${done.unchanged} unchanged, ${done.conflicts} conflicts, ${done.closed} closed.`,
        );
        return 0;
      }
      case 'resume': {
        await prepareImportResume(ctx);
        const n = await resumeJobs(ctx);
        await waitForJobs();
        const failed = await failedJobsSince(ctx.db, started);
        for (const f of failed) console.error(`  ${f.kind} ${f.key} failed: ${f.error ?? ''}`);
        console.log(`Resumed ${n} background job(s)${failed.length ? `, ${failed.length} failed` : ''}.`);
        return failed.length ? 1 : 0;
      }
      case 'seed-demo': {
        if (ctx.regions.all().length) throw new Error('The database is not empty: seed-demo only fills an empty one.');
        await seedDemo(ctx, { elders: Number(values.elders ?? config.demoElders), seed: Number(values.seed ?? config.demoSeed), second: true }, console.log);
        return 0;
      }
      case 'backup': {
        if (!ctx.handle.sqlite) throw new Error('backup handles the embedded SQLite database; for PostgreSQL use pg_dump.');
        const to = resolve(need('to'));
        await ctx.handle.sqlite.backup(to);
        chmodSync(to, 0o600);
        console.log(`Backed up ${config.sqlitePath} to ${to}.`);
        return 0;
      }
      case 'run': {
        const period = need('period');
        const t = Date.now();
        const resumed = await resumeRuns(ctx);
        const scope = jurisdictionScope(ctx, 'cli');
        const all = jurisdictionsFor(ctx, scope);
        const asked = values.jurisdiction;
        if (!resumed && !asked && all.length > 1)
          throw new Error(`--jurisdiction is required: ${all.map((j) => `${j.code} ${j.name} (${j.catalogue})`).join(', ')}, or all`);
        const codes = resumed ? [] : asked === 'all' ? all.map((j) => j.code) : [asked ?? all[0]?.code ?? ''];
        let ok = true;
        for (const code of resumed ? [null] : codes) {
          const run = code === null ? null : await startRun(ctx, scope, period, code);
          await (run ? run.done : waitForRuns());
          const r = (await latestRun(ctx.db))!;
          ok &&= r.status === 'finished';
          console.log(
            `Run ${r.id} ${r.period} ${ctx.regions.get(r.region_code)?.name ?? r.region_code} ${r.status}${resumed ? ' (resumed)' : ''}: ${r.persons_done} persons, ${r.granted} grants, ${r.changes} changes in ${((Date.now() - t) / 1000).toFixed(1)} s.${r.message ? ` ${r.message}` : ''}`,
          );
        }
        return ok ? 0 : 1;
      }
      case 'worker': {
        const stop = new AbortController();
        for (const signal of ['SIGINT', 'SIGTERM'] as const)
          process.on(signal, () => {
            // a second signal: at once (the part's last commit is where another process resumes it)
            if (stop.signal.aborted) process.exit(1);
            console.log(`Worker: ${signal}, stopping after the current town.`);
            stop.abort();
          });
        const once = values.once === true;
        console.log(`Worker ${RUNNER} ready${once ? ' (until nothing is left to claim)' : ''}.`);
        const t = Date.now();
        const done = await workOnRuns(ctx, { once, signal: stop.signal, log: console.log });
        await waitForJobs();
        const rate = done.busyMs > 0 ? Math.round(done.persons / (done.busyMs / 1000)) : 0;
        console.log(
          `Worker ${RUNNER} done: ${done.parts} part(s), ${done.persons} persons in ${(done.busyMs / 1000).toFixed(1)} s of work (${rate} persons/s), ${((Date.now() - t) / 1000).toFixed(1)} s in all.`,
        );
        return 0;
      }
      case 'verify-audit': {
        const kept = (values.anchor ?? []).map((a) => parseAnchor(a));
        const result = await verifyAuditAnchored(ctx, kept);
        for (const p of result.problems) console.log(`  #${p.seq} ${p.problem}: ${p.message}`);
        if (result.problems.length && !(await isChainKeyed(ctx.db))) {
          console.log(
            "  Note: this database's chain was written before the chain was keyed and has not been re-keyed yet (start the server or run any other command once); until then every entry fails the keyed check.",
          );
        }
        console.log(
          `Audit chain: ${result.entries} entries, ${result.problems.length ? `${result.problems.length} PROBLEMS` : 'intact'} (keyed chain, anchor file ${config.auditAnchorFile}${kept.length ? `, ${kept.length} kept anchor(s)` : ''}).`,
        );
        return result.problems.length ? 1 : 0;
      }
      case 'audit-anchor': {
        // only an intact chain's head is worth keeping
        const result = await verifyAuditAnchored(ctx);
        if (result.problems.length) {
          for (const p of result.problems) console.log(`  #${p.seq} ${p.problem}: ${p.message}`);
          console.log(`Audit chain: ${result.problems.length} PROBLEMS — no anchor printed.`);
          return 1;
        }
        const head = result.last ?? { seq: 0, hash: '0'.repeat(64) };
        console.log(`Audit head: entry ${head.seq}, hash ${head.hash}`);
        console.log(`Keep this line in writing (outside the system); check it later with:\n  npm run yiyang -- verify-audit --anchor ${head.seq}:${head.hash}`);
        return 0;
      }
      case 'indicators': {
        if (positionals[1] !== 'refresh') throw new Error('usage: indicators refresh [--full] [--period YYYY-MM] (see --help)');
        if (values.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period)) throw new Error('--period must be YYYY-MM');
        const r = await refreshIndicators(ctx, { full: values.full === true, period: values.period, scope: jurisdictionScope(ctx, 'cli') });
        console.log(`Indicators ${r.periods.join(', ')} refreshed (${r.mode}): ${r.persons} persons recomputed in ${(r.ms / 1000).toFixed(1)} s.`);
        return 0;
      }
      case 'create-user': {
        if (values.password !== undefined) {
          throw new Error(
            '--password is no longer accepted (arguments show in the process list and shell history): leave it out and type the password at the prompt, or pipe it on stdin',
          );
        }
        const username = need('username');
        const role = need('role');
        if (!isRole(role)) throw new Error(`Unknown role ${role}`);
        const region = ctx.regions.get(need('region'));
        if (!region) throw new Error(`Unknown region ${values.region}`);
        const password = await readNewPassword();
        const id = await createUser(ctx, jurisdictionScope(ctx, 'cli'), {
          username,
          displayName: values.name ?? username,
          password,
          role,
          regionCode: region.code,
        });
        console.log(`User ${username} (id ${id}, ${role}, ${region.name}) created.`);
        return 0;
      }
      default:
        console.error(`Unknown command ${command}\n\n${HELP}`);
        return 2;
    }
  } finally {
    // a command that wrote audit entries leaves the new head in the anchor file
    if (!auditCommand) await anchorAudit(ctx).catch((e: unknown) => console.error(`Could not write the audit anchor: ${(e as Error).message}`));
    await ctx.handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof AppError) {
      console.error(`Error ${e.code}: ${e.message}`);
      const d = e.details as { importId?: number; rowsBad?: number } | undefined;
      if (d?.importId)
        console.error(`  see the error report of import ${d.importId} (GET /api/imports/${d.importId}/errors.csv, or the console's import history)`);
    } else console.error(`Error: ${(e as Error).message}`);
    process.exit(1);
  },
);
