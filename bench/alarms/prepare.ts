import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { openPostgres, openSqlite } from '../../src/db/database.js';
import { generateElders } from '../../src/modules/demo/generator.js';
import { seedRegionsAndUsers } from '../../src/modules/demo/seed.js';
import type { AppContext } from '../../src/platform/context.js';
import { nowIso, today } from '../../src/platform/time.js';
import { benchPersonRow } from '../util.js';

/**
 * The database the bench's server opens: the demo county's regions and accounts (hotline1 among
 * them, `seedRegionsAndUsers`, so the server does not seed a demo of its own), persons and devices
 * by direct inserts — NOT the registration path (POST /api/alarms/devices seals an address and
 * audits each device; 20,000 of those would only slow the setup, and no figure depends on it).
 */

/** A fresh PostgreSQL database beside the one DATABASE_URL names, so the server sees it as its own (public schema, its own LISTEN channel). */
export interface PgDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createPgDatabase(baseUrl: string): Promise<PgDatabase> {
  const name = `yiyang_bench_alarms_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface Fleet {
  /** serials of the devices that carry the load */
  load: string[];
  /** serials of the emergency buttons that press sos once each during the load */
  sos: string[];
  persons: number;
}

/** Device kinds of the load, in turn (the sos buttons are apart). */
const LOAD_KINDS = ['mattress', 'bracelet', 'door_sensor', 'emergency_button', 'call_terminal'] as const;

/**
 * Migrates `dataDir` (SQLite) or `databaseUrl` (PostgreSQL) and writes the county, its accounts,
 * `persons` elders and `devices` devices (about three per person), `sosDevices` of them emergency
 * buttons kept apart for the red-button presses.
 */
export async function prepareDatabase(opts: { dataDir: string; databaseUrl?: string; devices: number; sosDevices: number }): Promise<Fleet> {
  mkdirSync(opts.dataDir, { recursive: true });
  const config = loadConfig({ dataDir: opts.dataDir, sqlitePath: join(opts.dataDir, 'yiyang.sqlite'), databaseUrl: opts.databaseUrl });
  const handle = opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(config.sqlitePath, config.sqliteCacheMb);
  const ctx: AppContext = await openContext(config, handle);
  try {
    await seedRegionsAndUsers(ctx);
    const admin = await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const now = nowIso();
    const asOf = today();
    const persons = Math.max(1, Math.ceil(opts.devices / 3));
    const people: Array<{ id: number; region: string }> = [];
    let batch: ReturnType<typeof benchPersonRow>[] = [];
    const flushPersons = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'persons', rows));
    };
    for (const e of generateElders({ elders: persons, seed: 18, asOf })) {
      batch.push(benchPersonRow(e, now));
      if (batch.length >= 5000) await flushPersons();
    }
    await flushPersons();
    for (const p of await ctx.db.selectFrom('persons').select(['id', 'region_code']).orderBy('id').execute()) people.push({ id: p.id, region: p.region_code });

    const load: string[] = [];
    const sos: string[] = [];
    const loadCount = opts.devices - opts.sosDevices;
    let devices: Array<Record<string, unknown>> = [];
    const flushDevices = async () => {
      if (!devices.length) return;
      const rows = devices;
      devices = [];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench rows, typed by the table
      await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'alarm_devices', rows as any));
    };
    for (let i = 0; i < opts.devices; i++) {
      const isSos = i >= loadCount;
      const serial = isSos ? `SOS-${String(i - loadCount).padStart(5, '0')}` : `BENCH-${String(i).padStart(6, '0')}`;
      (isSos ? sos : load).push(serial);
      const person = people[i % people.length]!;
      devices.push({
        serial,
        kind: isSos ? 'emergency_button' : LOAD_KINDS[i % LOAD_KINDS.length],
        model: 'bench',
        vendor_id: null,
        person_id: person.id,
        region_code: person.region,
        address_enc: null,
        provider_id: null,
        installed_on: asOf,
        status: 'active',
        retired_on: null,
        last_seen_at: null,
        battery: null,
        link: 'online',
        created_by: admin.id,
        created_at: now,
      });
      if (devices.length >= 5000) await flushDevices();
    }
    await flushDevices();
    return { load, sos, persons };
  } finally {
    await ctx.handle.close();
  }
}

/** Counts in the database once the server has stopped (SQLite) or any time (PostgreSQL). */
export async function countStored(opts: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<{ load: number; sos: number; rejects: Array<{ reason: string; count: number }>; sosAlarms: Map<string, number> }> {
  const handle = opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(join(opts.dataDir, 'yiyang.sqlite'));
  try {
    const db = handle.db;
    const byKind = await db
      .selectFrom('alarm_events')
      .select((eb) => [eb.fn.countAll<number | string>().as('n')])
      .where('kind', '!=', 'sos')
      .executeTakeFirstOrThrow();
    const sosRows = await db.selectFrom('alarm_events').select(['message_id', 'alarm_id']).where('kind', '=', 'sos').execute();
    const rejects = await db
      .selectFrom('alarm_rejects')
      .select((eb) => ['reason', eb.fn.sum<number | string>('count').as('count')])
      .groupBy('reason')
      .execute();
    const sosAlarms = new Map<string, number>();
    for (const r of sosRows) if (r.alarm_id !== null) sosAlarms.set(r.message_id, r.alarm_id);
    return {
      load: Number(byKind.n),
      sos: sosRows.length,
      rejects: rejects.map((r) => ({ reason: r.reason, count: Number(r.count) })),
      sosAlarms,
    };
  } finally {
    await handle.close();
  }
}
