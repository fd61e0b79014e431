import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../db/dialect.js';
import { addMonths, ensureMonthPartitions, monthsAhead } from '../../../db/partitions.js';

/**
 * PostgreSQL only: care_events becomes a table partitioned by RANGE on started_at, one partition a
 * month (UTC) and a DEFAULT one, its rows moved in this migration's transaction (docs/postgresql.md,
 * "Partitioning the verified events"). SQLite keeps the table as it is.
 *
 * A partitioned table's unique keys must hold the partition key, so:
 * - the primary key is (id, started_at). id still comes from the table's own sequence (kept), so
 *   it stays unique and every reader keeps selecting by id alone (one index probe per partition);
 * - client_id is unique with started_at: a resend carries the device's same start, and the
 *   service looks the client id up before inserting (care-events.service.ts recordEvent);
 * - care_event_evidence.event_id can no longer be a foreign key (it would have to hold
 *   started_at too). Two triggers keep what the key gave: evidence must name an existing event, and
 *   an event with evidence cannot be deleted (events are never deleted: a void is a status).
 *
 * started_at is declared COLLATE "C": the partitions' bounds ('2026-01' ≤ … < '2026-02') and the
 * readers' ranges compare ISO instants as bytes whatever the database's collation.
 * Recorded as 'care-events/003-partition-by-month'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  const fk = await sql<{ name: string }>`select conname as name from pg_constraint
      where contype = 'f' and conrelid = to_regclass('care_event_evidence') and confrelid = to_regclass('care_events')`.execute(db);
  for (const { name } of fk.rows) await sql`alter table care_event_evidence drop constraint ${sql.id(name)}`.execute(db);
  const seq = (await sql<{ seq: string }>`select pg_get_serial_sequence('care_events', 'id') as seq`.execute(db)).rows[0]!.seq;
  await sql`alter sequence ${sql.raw(seq)} owned by none`.execute(db);
  await sql`alter table care_events rename to care_events_unpartitioned`.execute(db);

  await sql`create table care_events (
      id integer not null default nextval(${sql.lit(seq)}::regclass),
      client_id text not null,
      kind text not null,
      source text not null,
      source_id integer,
      performer_id integer not null,
      performer_role text not null,
      person_id integer not null,
      region_code text not null,
      mode text not null,
      started_at text collate "C" not null,
      ended_at text not null,
      duration_minutes integer not null,
      location_enc text,
      findings text not null,
      notes_enc text,
      status text not null,
      confirmed_kind text,
      confirmed_by integer,
      confirmed_at text,
      confirmation_note_enc text,
      void_reason text,
      voided_by integer,
      voided_at text,
      recorded_by integer not null,
      recorded_at text not null
    ) partition by range (started_at)`.execute(db);
  await sql`alter sequence ${sql.raw(seq)} owned by care_events.id`.execute(db);

  // a partition for every month that has events, and the months around now
  const months = await sql<{ month: string }>`select distinct substr(started_at, 1, 7) as month from care_events_unpartitioned
      where started_at ~ '^[0-9]{4}-[0-9]{2}'`.execute(db);
  const ahead = monthsAhead(2);
  await ensureMonthPartitions(db, 'care_events', [...months.rows.map((r) => r.month), addMonths(ahead[0]!, -1), ...ahead]);

  await sql`insert into care_events select * from care_events_unpartitioned`.execute(db);
  await sql`drop table care_events_unpartitioned`.execute(db);

  await sql`alter table care_events add constraint care_events_pkey primary key (id, started_at)`.execute(db);
  await sql`alter table care_events add constraint care_events_client_id_key unique (client_id, started_at)`.execute(db);
  const indexes: Array<[string, string[]]> = [
    ['care_events_person', ['person_id', 'started_at']],
    ['care_events_performer', ['performer_id', 'started_at']],
    ['care_events_source', ['source', 'source_id']],
    ['care_events_region', ['region_code', 'kind', 'started_at']],
    ['care_events_kind', ['kind', 'person_id', 'started_at', 'status']],
    ['care_events_recorded', ['recorded_at', 'kind', 'person_id']],
    ['care_events_voided', ['voided_at', 'kind', 'person_id']],
  ];
  for (const [name, columns] of indexes) await db.schema.createIndex(name).on('care_events').columns(columns).execute();

  // what the foreign key did, by triggers (see above)
  await sql`create or replace function care_event_evidence_event_exists() returns trigger as $$
    begin
      if not exists (select 1 from care_events where id = new.event_id) then
        raise exception 'care_event_evidence: no care event %', new.event_id using errcode = '23503';
      end if;
      return new;
    end $$ language plpgsql`.execute(db);
  await sql`create trigger care_event_evidence_event before insert or update of event_id on care_event_evidence
    for each row execute function care_event_evidence_event_exists()`.execute(db);
  await sql`create or replace function care_events_keep_evidenced() returns trigger as $$
    begin
      -- ensureMonthPartitions (db/partitions.ts) moves rows out of the DEFAULT partition and back at once
      if current_setting('yiyang.moving_rows', true) is distinct from 'on'
         and exists (select 1 from care_event_evidence where event_id = old.id) then
        raise exception 'care_events: event % has evidence and cannot be deleted', old.id using errcode = '23503';
      end if;
      return old;
    end $$ language plpgsql`.execute(db);
  await sql`create trigger care_events_keep_evidenced before delete on care_events
    for each row execute function care_events_keep_evidenced()`.execute(db);
}
