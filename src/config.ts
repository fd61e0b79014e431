import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every setting, read once from the environment, typed. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded SQLite file is used. */
  databaseUrl?: string;
  /** PostgreSQL schema the platform's tables live in (search_path), when the database holds several; absent: the server's default */
  databaseSchema?: string;
  sqlitePath: string;
  /** SQLite page cache in MiB */
  sqliteCacheMb: number;
  /** 32-byte master key, base64; encryption and lookup-hash keys are derived from it. */
  masterKey: Buffer;
  uploadLimitBytes: number;
  sessionTtlHours: number;
  /** failed logins of one username from one client address before that pair is locked out */
  loginMaxFailures: number;
  /** failed logins from one client address, across usernames, before that address is locked out */
  loginIpMaxFailures: number;
  lockoutMinutes: number;
  loginRatePerMinute: number;
  cookieSecure: boolean;
  demoElders: number;
  demoSeed: number;
  logLevel: string;
  /** where catalogue files live: <dir>/<jurisdiction>/<effective-date>.yaml */
  cataloguesDir: string;
  /** which catalogue this deployment runs (a folder under cataloguesDir) */
  catalogue: string;
  /** persons evaluated and committed together by an entitlement run */
  runBatchSize: number;
  /** how often a run waiting on parts other processes hold, and an idle `yiyang worker`, look again (ms) */
  workerPollMs: number;
  /** parts of split runs this process works on at once, whatever number of runs it started (run-parts.ts) */
  runPartsPerProcess: number;
  /** append-only file outside the database where the audit chain's head is anchored */
  auditAnchorFile: string;
  /** how often the server anchors the audit head (when it moved); 0 = only on shutdown */
  auditAnchorSeconds: number;
  /** the MQTT broker devices publish to ('mqtt://127.0.0.1:1883'); absent: vendors' HTTP alone (issue 18) */
  mqttUrl?: string;
  /** the ingest's client id at the broker: its persistent session (QoS 1 messages wait there while it is away) */
  mqttClientId: string;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Setting ${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/**
 * The master key comes from YIYANG_KEY. Without it a demo key is created under the data
 * directory on first start (and reused afterwards) so that `npm start` works out of the box.
 */
function loadKey(dataDir: string): Buffer {
  const fromEnv = process.env.YIYANG_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('YIYANG_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = resolve(dataDir, 'demo-master.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** A schema name goes into the connection's options: a plain identifier only. */
function schemaName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(raw)) throw new Error(`Setting DATABASE_SCHEMA must be a plain identifier (letters, digits, _), got "${raw}"`);
  return raw;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? process.env.YIYANG_DATA_DIR ?? 'data');
  return {
    port: int('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    databaseSchema: schemaName(process.env.DATABASE_SCHEMA),
    sqlitePath: process.env.SQLITE_PATH ?? resolve(dataDir, 'yiyang.sqlite'),
    sqliteCacheMb: int('SQLITE_CACHE_MB', 256),
    masterKey: overrides.masterKey ?? loadKey(dataDir),
    uploadLimitBytes: int('UPLOAD_LIMIT_MB', 50) * 1024 * 1024,
    sessionTtlHours: int('SESSION_TTL_HOURS', 12),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5),
    loginIpMaxFailures: int('LOGIN_IP_MAX_FAILURES', 20),
    lockoutMinutes: int('LOCKOUT_MINUTES', 15),
    loginRatePerMinute: int('LOGIN_RATE_PER_MINUTE', 20),
    cookieSecure: process.env.COOKIE_SECURE === 'true',
    demoElders: int('DEMO_ELDERS', 20000),
    demoSeed: int('DEMO_SEED', 2026),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    cataloguesDir: resolve(process.env.CATALOGUES_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', 'catalogues')),
    catalogue: process.env.CATALOGUE ?? 'nanxun',
    runBatchSize: Math.max(1, int('RUN_BATCH_SIZE', 5000)),
    workerPollMs: Math.max(10, int('WORKER_POLL_MS', 500)),
    runPartsPerProcess: Math.max(1, int('RUN_PARTS_PER_PROCESS', 2)),
    auditAnchorFile: resolve(process.env.AUDIT_ANCHOR_FILE || resolve(dataDir, 'audit-anchor.log')),
    auditAnchorSeconds: int('AUDIT_ANCHOR_SECONDS', 60),
    mqttUrl: process.env.MQTT_URL || undefined,
    mqttClientId: process.env.MQTT_CLIENT_ID || 'yiyang-ingest',
    ...overrides,
  };
}
