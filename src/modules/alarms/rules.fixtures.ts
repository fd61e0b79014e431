import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../platform/context.js';
import { systemScope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { runImport } from '../register/imports/imports.service.js';
import { personByIdNumber } from '../register/people.js';
import { makeResidentId } from '../register/resident-id.js';
import type { EventKind } from './events.schema.js';
import { applyRules, type AlarmChange, type StoredEvent } from './raise.js';

/** Test fixtures of the alarm rules' tests (rules, lifecycle, clock): persons (through the register's import), devices, events through applyRules. */

/** The public security bureau's household register file, the register's way in for a new person. */
const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';
let people = 0;

/**
 * A new active person (female, born 1940 or a little before, local hukou, no phone) living in the
 * village, added as the register takes people in: a one-row household register import.
 */
export async function addPerson(ctx: AppContext, regionCode: string, name = '测试老人'): Promise<number> {
  const n = people++;
  const birth = `${1940 - Math.floor(n / 500)}-01-01`;
  const idNumber = makeResidentId('990101', birth, n % 500, 'F');
  const j = ctx.regions.counties()[0]!;
  const path = join(tmpdir(), `yiyang-person-${randomUUID()}.csv`);
  writeFileSync(path, `${PS_HEADER}\n${idNumber},${name},女,${birth},${regionCode},本地,,正常,\n`);
  try {
    const done = await runImport(ctx, systemScope(j.code, j.prefix, 'test'), { source: 'public_security', path, fileName: 'public_security.csv' });
    if (done.status !== 'applied' || done.created !== 1)
      throw new Error(`addPerson: the import of ${name} in ${regionCode} was ${done.status}, ${done.created} created`);
  } finally {
    rmSync(path, { force: true });
  }
  return (await personByIdNumber(ctx.db, ctx, idNumber))!.id;
}

export interface TestDevice {
  id: number;
  kind: string;
  personId: number;
  regionCode: string;
}

export async function addDevice(
  ctx: AppContext,
  personId: number,
  regionCode: string,
  kind = 'emergency_button',
  opts: { createdAt?: string; lastSeenAt?: string | null; link?: string } = {},
): Promise<TestDevice> {
  const { id } = await ctx.db
    .insertInto('alarm_devices')
    .values({
      serial: `T-${randomUUID().slice(0, 12)}`,
      kind,
      model: null,
      vendor_id: null,
      person_id: personId,
      region_code: regionCode,
      address_enc: null,
      provider_id: null,
      installed_on: '2026-01-01',
      status: 'active',
      retired_on: null,
      last_seen_at: opts.lastSeenAt ?? null,
      battery: null,
      link: opts.link ?? 'online',
      created_by: 0,
      created_at: opts.createdAt ?? nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, kind, personId, regionCode };
}

export interface TestEvent {
  kind: EventKind;
  /** ISO instant the device says it happened */
  at: string;
  /** the platform's clock at commit (default: `at`) */
  receivedAt?: string;
  battery?: number | null;
  value?: number | null;
}

let seq = 0;

/** Stores events of a device and runs the rules over them in one transaction, as the ingest does. */
export async function storeEvents(ctx: AppContext, device: TestDevice, events: readonly TestEvent[]): Promise<{ ids: number[]; changes: AlarmChange[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const stored: StoredEvent[] = [];
    for (const e of events) {
      const receivedAt = e.receivedAt ?? e.at;
      const { id } = await trx
        .insertInto('alarm_events')
        .values({
          device_id: device.id,
          message_id: `t-${++seq}-${randomUUID().slice(0, 8)}`,
          kind: e.kind,
          occurred_at: e.at,
          received_at: receivedAt,
          via: 'mqtt',
          battery: e.battery ?? null,
          value: e.value ?? null,
          person_id: device.personId,
          region_code: device.regionCode,
          alarm_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      stored.push({
        id,
        deviceId: device.id,
        deviceKind: device.kind,
        personId: device.personId,
        regionCode: device.regionCode,
        kind: e.kind,
        occurredAt: e.at,
        receivedAt,
        battery: e.battery ?? null,
        value: e.value ?? null,
      });
    }
    return { ids: stored.map((s) => s.id), changes: await applyRules(ctx, trx, stored) };
  });
}

/** The instant of a Beijing wall-clock time ('2026-11-30', '23:30') as UTC ISO. */
export function beijing(date: string, time: string, seconds = 0): string {
  return new Date(Date.parse(`${date}T${time}:00+08:00`) + seconds * 1000).toISOString();
}

export async function alarmsOfPerson(ctx: AppContext, personId: number) {
  return ctx.db.selectFrom('alarms').selectAll().where('person_id', '=', personId).orderBy('id').execute();
}

export async function stepsOf(ctx: AppContext, alarmId: number) {
  return ctx.db.selectFrom('alarm_steps').selectAll().where('alarm_id', '=', alarmId).orderBy('id').execute();
}
