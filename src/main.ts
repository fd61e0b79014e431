import { buildApp } from './app.js';
import { openContext } from './bootstrap.js';
import { loadConfig } from './config.js';
import { startAuditAnchoring } from './platform/audit-anchor.js';
import { acquireDbLock, type DbLock } from './platform/db-lock.js';
import { startDaily } from './platform/daily.js';
import { resumeJobs } from './platform/jobs.js';
import { serverModules } from './modules/index.js';
import type { Serving } from './platform/module.js';
import { prepareImportResume } from './modules/register/imports/imports.service.js';
// the modules whose background work the job runner resumes (each defines its job kinds)
import './modules/entitlements/runs.service.js';
import { workOnRuns } from './modules/entitlements/run-worker.js';
import { DEMO_PASSWORD, demoAccountLines, demoLogins, isDemo, seedDemo } from './modules/demo/seed.js';
import { DEMO_COUNTY2 } from './modules/demo/regions.js';

/** start: config → lock → database → migrate → demo data if empty → resume background jobs → listen → anchor the audit chain */
// every file the platform writes (database, backups, anchors, stored imports) is private to its user
process.umask(0o077);
const config = loadConfig();
// the embedded database is held by this server while it serves: restore refuses meanwhile
let lock: DbLock | undefined;
try {
  lock = config.databaseUrl ? undefined : acquireDbLock(config.sqlitePath, 'server');
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const ctx = await openContext(config);
const where = config.databaseUrl ? 'PostgreSQL' : config.sqlitePath;

if (ctx.regions.all().length === 0) {
  console.log(
    `Empty database (${where}): generating the demo city (two counties) with ${config.demoElders} + ${Math.round(config.demoElders / 2)} elders (seed ${config.demoSeed})...`,
  );
  const t = Date.now();
  await seedDemo(ctx, { elders: config.demoElders, seed: config.demoSeed, second: true }, console.log);
  console.log(`Demo city ready in ${((Date.now() - t) / 1000).toFixed(1)} s.`);
}
await prepareImportResume(ctx);
const resumed = await resumeJobs(ctx);
if (resumed) console.log(`Resuming ${resumed} interrupted background job(s) (imports, entitlement runs).`);

const app = await buildApp(ctx, { logRequests: process.env.LOG_REQUESTS === 'true' });
await app.listen({ port: config.port, host: config.host });
// the audit head, written outside the database every AUDIT_ANCHOR_SECONDS when it moved, and at shutdown
const anchoring = startAuditAnchoring(ctx, config.auditAnchorSeconds, (err) => app.log.error({ err }, 'could not write the audit anchor'));
// once a day: the visit plans' refresh and escalations, the time bank's ledger check (platform/daily.ts)
const daily = startDaily(ctx, (task, err) => app.log.error({ err, task }, 'a daily task failed'));
// what the modules run beside the requests: the alarms' MQTT subscriber and escalation clock
const serving: Serving[] = [];
for (const m of serverModules) if (m.serve) serving.push(await m.serve(ctx));
// On PostgreSQL several servers (and `yiyang worker`s) share the database: this one also works on
// the towns of runs other processes started (its own runs it works on anyway), between parts
// stopping at shutdown.
const helping = new AbortController();
const helper = config.databaseUrl
  ? workOnRuns(ctx, { signal: helping.signal }).catch((err: unknown) => app.log.error({ err }, 'the entitlement run worker stopped'))
  : Promise.resolve();
const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
console.log(`\nYiyang 颐养 is running at ${url}  (database: ${where})`);
if (await isDemo(ctx)) {
  console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
  for (const line of demoAccountLines(demoLogins({ second: ctx.regions.get(DEMO_COUNTY2) !== undefined }))) console.log(line);
}

/** The longest a shutdown may take before the process exits anyway (each step below is bounded too). */
const SHUTDOWN_BOUND_MS = 15_000;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // a second signal while stopping (an operator's second Ctrl-C) exits at once: safe for devices'
    // events, whose broker PUBACK and device ack are written only after their commit
    if (stopping) {
      console.error(`Shutdown: ${signal} again; exiting now.`);
      process.exit(1);
    }
    stopping = true;
    // the last resort: whatever still holds the shutdown (a request that does not end, a database
    // that does not answer) does not keep the process from exiting
    setTimeout(() => {
      console.error(`Shutdown: not finished within ${SHUTDOWN_BOUND_MS / 1000} s; exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_BOUND_MS).unref();
    helping.abort();
    void app
      .close()
      .then(() => helper)
      .then(() => Promise.all(serving.map((s) => s.stop())))
      .then(() => anchoring.stop())
      .then(() => daily.stop())
      .then(() => ctx.handle.close())
      .then(() => lock?.release())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`Shutdown: ${(err as Error).message}`);
          process.exit(1);
        },
      );
  });
}
