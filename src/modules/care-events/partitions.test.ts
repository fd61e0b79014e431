import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.js';
import { addMonths, ensureMonthPartitions, monthOf } from '../../db/partitions.js';
import { createTestContext, dialects } from '../../testing/harness.js';
import { serverModules } from '../index.js';
import type { AppContext } from '../../platform/context.js';
import * as m001 from './migrations/001-care-events.js';
import * as m002 from './migrations/002-indicator-indexes.js';

/** The partitions of care_events with their bounds, by name. */
async function partitions(ctx: AppContext): Promise<Map<string, string>> {
  const r = await sql<{ name: string; bound: string }>`select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass('care_events')`.execute(ctx.db);
  return new Map(r.rows.map((x) => [x.name, x.bound]));
}

async function insertEvent(ctx: AppContext, n: number, startedAt: string): Promise<number> {
  const r = await sql<{ id: number }>`insert into care_events (client_id, kind, source, source_id, performer_id, performer_role, person_id, region_code, mode,
      started_at, ended_at, duration_minutes, findings, status, recorded_by, recorded_at)
      values (${`c-${n}`}, 'visit', 'visits', ${n}, 7, 'grid_worker', ${1000 + n}, '990101001001', 'home', ${startedAt}, ${startedAt}, 30, '[]', 'recorded', 7, ${startedAt})
      returning id`.execute(ctx.db);
  return r.rows[0]!.id;
}

async function insertEvidence(ctx: AppContext, eventId: number): Promise<void> {
  await sql`insert into care_event_evidence (event_id, kind, mime, bytes, sha256, content_enc, location_kept, added_by, added_at)
      values (${eventId}, 'photo', 'image/jpeg', 3, 'x', 'sealed', 0, 7, '2026-01-01T00:00:00.000Z')`.execute(ctx.db);
}

async function sqlState(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe.skipIf(!dialects.includes('postgres'))('care_events partitioned by month on PostgreSQL', () => {
  it('is partitioned by range on started_at after a fresh migrate, with this month, the next two and a DEFAULT partition', async () => {
    const ctx = await createTestContext('postgres');
    try {
      const p = await sql<{ strategy: string; key: string }>`select partstrat as strategy, pg_get_partkeydef(partrelid) as key
          from pg_partitioned_table where partrelid = to_regclass('care_events')`.execute(ctx.db);
      expect(p.rows).toEqual([{ strategy: 'r', key: 'RANGE (started_at)' }]);
      const now = monthOf(new Date());
      const parts = await partitions(ctx);
      for (const m of [now, addMonths(now, 1), addMonths(now, 2)]) {
        expect(parts.get(`care_events_p${m.replace('-', '')}`)).toBe(`FOR VALUES FROM ('${m}') TO ('${addMonths(m, 1)}')`);
      }
      expect(parts.get('care_events_default')).toBe('DEFAULT');
    } finally {
      await ctx.cleanup();
    }
  });

  it('keeps every event, its id and its evidence when a database with events is migrated, and the ids go on from the sequence', async () => {
    const ctx = await createTestContext('postgres');
    try {
      // the database as the code before partitioning left it: care_events unpartitioned, with events
      await sql`drop table care_event_evidence`.execute(ctx.db);
      await sql`drop table care_events`.execute(ctx.db);
      await sql`delete from kysely_migration where name like 'care-events/%'`.execute(ctx.db);
      const before = serverModules.map((m) => (m.id === 'care-events' ? { ...m, migrations: { '001-care-events': m001, '002-indicator-indexes': m002 } } : m));
      expect(await migrate(ctx.db, before, ctx.handle.schema)).toEqual(['care-events/001-care-events', 'care-events/002-indicator-indexes']);
      const starts = ['2019-03-04T01:00:00.000Z', '2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-01-15T08:00:00.000Z', 'not-a-time'];
      const ids: number[] = [];
      for (const [i, s] of starts.entries()) ids.push(await insertEvent(ctx, i, s));
      await insertEvidence(ctx, ids[1]!);
      const rowsBefore = await sql`select * from care_events order by id`.execute(ctx.db);

      expect(await migrate(ctx.db, serverModules, ctx.handle.schema)).toEqual(['care-events/003-partition-by-month']);
      const rowsAfter = await sql`select * from care_events order by id`.execute(ctx.db);
      expect(rowsAfter.rows).toEqual(rowsBefore.rows);
      const where = await sql<{ part: string; id: number }>`select tableoid::regclass::text as part, id from care_events order by id`.execute(ctx.db);
      expect(where.rows.map((r) => r.part)).toEqual([
        'care_events_p201903',
        'care_events_p202512',
        'care_events_p202601',
        'care_events_p202601',
        'care_events_default',
      ]);
      // the evidence still names its event, a new event's id follows the old ones
      const ev = await ctx.db.selectFrom('care_event_evidence').select('event_id').execute();
      expect(ev).toEqual([{ event_id: ids[1] }]);
      const next = await insertEvent(ctx, 9, new Date().toISOString());
      expect(next).toBeGreaterThan(Math.max(...ids));
      // what the foreign key did: no evidence for a missing event, no deleting an event with evidence
      expect(await sqlState(insertEvidence(ctx, 999_999))).toBe('23503');
      expect(await sqlState(sql`delete from care_events where id = ${ids[1]!}`.execute(ctx.db))).toBe('23503');
      // one client id a start: a resend with the same start is refused by the key as before
      expect(await sqlState(insertEvent(ctx, 2, starts[2]!))).toBe('23505');
    } finally {
      await ctx.cleanup();
    }
  });

  it('moves the events a month without a partition sent to the DEFAULT partition into the month’s partition when it is made', async () => {
    const ctx = await createTestContext('postgres');
    try {
      const id = await insertEvent(ctx, 1, '2015-06-10T02:00:00.000Z');
      await insertEvidence(ctx, id);
      const part = async () =>
        (await sql<{ part: string }>`select tableoid::regclass::text as part from care_events where id = ${id}`.execute(ctx.db)).rows[0]!.part;
      expect(await part()).toBe('care_events_default');
      expect(await ensureMonthPartitions(ctx.db, 'care_events', ['2015-06', '2015-07'])).toEqual(['care_events_p201506', 'care_events_p201507']);
      expect(await part()).toBe('care_events_p201506');
      expect(await ctx.db.selectFrom('care_event_evidence').select('event_id').execute()).toEqual([{ event_id: id }]);
      // made once: a second call (another server's start) makes nothing
      expect(await ensureMonthPartitions(ctx.db, 'care_events', ['2015-06', '2015-07'])).toEqual([]);
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('care_events on SQLite', () => {
  it('stays a plain table, and making partitions does nothing', async () => {
    const ctx = await createTestContext('sqlite');
    try {
      expect(await ensureMonthPartitions(ctx.db, 'care_events', ['2026-01'])).toEqual([]);
      const t = await sql<{ n: number }>`select count(*) as n from sqlite_master where name like 'care_events%' and type = 'table'`.execute(ctx.db);
      expect(t.rows[0]!.n).toBe(1);
    } finally {
      await ctx.cleanup();
    }
  });
});
