import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { inRegion, regionInScope, type Scope } from '../../platform/scope.js';
import { settingForRegion } from '../../platform/settings.js';
import { isCivilDate, nowIso } from '../../platform/time.js';
import { liftInstitutionPause, pauseForInstitution } from '../entitlements/pauses.js';
import { personColumns } from '../register/history.queries.js';
import { DEFAULT_INSTITUTION_PAUSE, institutionPauseSetting } from './facilities.settings.js';
import type { FacilityRow, FacilityStayTable } from './facilities.tables.js';

/**
 * The facilities' public functions (issue 19): what admission, complaints and supervision call.
 * The signatures are agreed between the modules; keep them.
 */

export const FACILITY_KINDS = ['institution', 'regional_centre', 'day_care', 'community_station', 'canteen', 'care_bed_provider'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];
export const OWNERSHIPS = ['public', 'public_private', 'private'] as const;
/** public (公办) / public_private (公建民营) / private (民办) */
export type Ownership = (typeof OWNERSHIPS)[number];
export const BED_TYPES = ['ordinary', 'nursing', 'dementia'] as const;
export type BedType = (typeof BED_TYPES)[number];

export interface FacilitySummary {
  id: number;
  name: string;
  kind: FacilityKind;
  ownership: Ownership;
  regionCode: string;
  grade: string | null;
  /** beds in service (not retired) */
  beds: number;
  /** of them nursing-type (护理型: nursing and dementia beds) */
  nursingBeds: number;
  /** beds with an open stay */
  occupied: number;
  active: boolean;
  governmentWork: boolean;
}

/** The beds, nursing beds and occupied beds of each facility (beds in service only). */
async function bedCounts(db: Executor, ids: readonly number[]): Promise<Map<number, { beds: number; nursing: number; occupied: number }>> {
  const out = new Map<number, { beds: number; nursing: number; occupied: number }>();
  if (!ids.length) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const beds = await db
      .selectFrom('facility_beds')
      .select(['facility_id', 'type', (eb) => eb.fn.countAll<number>().as('n')])
      .where('facility_id', 'in', chunk)
      .where('retired_on', 'is', null)
      .groupBy(['facility_id', 'type'])
      .execute();
    for (const b of beds) {
      const c = out.get(b.facility_id) ?? { beds: 0, nursing: 0, occupied: 0 };
      c.beds += Number(b.n);
      if (b.type !== 'ordinary') c.nursing += Number(b.n);
      out.set(b.facility_id, c);
    }
    const occ = await db
      .selectFrom('facility_stays')
      .select(['facility_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('facility_id', 'in', chunk)
      .where('until_date', 'is', null)
      .groupBy('facility_id')
      .execute();
    for (const o of occ) {
      const c = out.get(o.facility_id) ?? { beds: 0, nursing: 0, occupied: 0 };
      c.occupied = Number(o.n);
      out.set(o.facility_id, c);
    }
  }
  return out;
}

export function summaryOf(r: FacilityRow, c: { beds: number; nursing: number; occupied: number } | undefined): FacilitySummary {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as FacilityKind,
    ownership: r.ownership as Ownership,
    regionCode: r.region_code,
    grade: r.grade,
    beds: c?.beds ?? 0,
    nursingBeds: c?.nursing ?? 0,
    occupied: c?.occupied ?? 0,
    active: r.active === 1,
    governmentWork: r.government_work === 1,
  };
}

/** Facilities, by region subtree (a significant code prefix), kinds, ids; sorted by region then name. */
export async function listFacilities(
  db: Executor,
  opts: { regionPrefix?: string; kinds?: FacilityKind[]; ids?: number[]; activeOnly?: boolean } = {},
): Promise<FacilitySummary[]> {
  if (opts.kinds && !opts.kinds.length) return [];
  if (opts.ids && !opts.ids.length) return [];
  let q = db.selectFrom('facilities').selectAll();
  if (opts.regionPrefix) q = q.where('region_code', 'like', `${opts.regionPrefix.replace(/[%_]/g, '')}%`);
  if (opts.kinds) q = q.where('kind', 'in', opts.kinds);
  if (opts.ids) q = q.where('id', 'in', opts.ids);
  if (opts.activeOnly) q = q.where('active', '=', 1);
  const rows = await q.orderBy('region_code').orderBy('name').orderBy('id').execute();
  const counts = await bedCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => summaryOf(r, counts.get(r.id)));
}

export async function facilityById(db: Executor, id: number): Promise<FacilitySummary | null> {
  const r = await db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return summaryOf(r, (await bedCounts(db, [id])).get(id));
}

/** The facility's beds in service with no open stay, by label. */
const labels = new Intl.Collator('zh-CN', { numeric: true });
/** Bed labels in natural order (A-2 before A-10), the one order every list of beds uses. */
export const byBedLabel = (a: { label: string }, b: { label: string }) => labels.compare(a.label, b.label);

export async function freeBeds(db: Executor, facilityId: number): Promise<{ bedId: number; label: string; type: BedType }[]> {
  const rows = await db
    .selectFrom('facility_beds')
    .select(['id', 'label', 'type'])
    .where('facility_id', '=', facilityId)
    .where('retired_on', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('facility_stays')
            .select('facility_stays.id')
            .whereRef('facility_stays.bed_id', '=', 'facility_beds.id')
            .where('facility_stays.until_date', 'is', null),
        ),
      ),
    )
    .execute();
  return rows.sort(byBedLabel).map((r) => ({ bedId: r.id, label: r.label, type: r.type as BedType }));
}

/**
 * Beds a module to the right holds for someone without a stay yet (admission: a bed offered to the
 * first waiting applicant, awaiting the answer): free for nobody else, so not free to the public.
 * Answers the held beds' ids among these facilities' beds.
 */
export type BedHolds = (db: Executor, facilityIds: readonly number[]) => Promise<number[]>;

const bedHolds = new Map<string, BedHolds>();

/** A module to the right registers here once at start; a name given again replaces it. */
export function registerBedHolds(name: string, holds: BedHolds): void {
  bedHolds.set(name, holds);
}

/** The ids of the beds held by any module among these facilities' beds. */
export async function heldBeds(db: Executor, facilityIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  if (!facilityIds.length) return out;
  for (const holds of bedHolds.values()) for (const id of await holds(db, facilityIds)) out.add(id);
  return out;
}

/**
 * The facility a scope may act on, or null (answered as "not found"): in the viewer's region
 * subtree, and for an institution's staff only their own facility (organisationId = facilities.id).
 */
export async function facilityInScope(db: Executor, scope: Scope, id: number): Promise<FacilityRow | null> {
  if (scope.role === 'institution_staff' && scope.organisationId !== id) return null;
  if (scope.role === 'provider' || scope.role === 'caregiver') return null;
  const row = await db.selectFrom('facilities').selectAll().where('id', '=', id).where(inRegion(scope, 'facilities.region_code')).executeTakeFirst();
  return row ?? null;
}

/** The month a stay's pause starts: the admission month when admitted on its first day, else the next (that month was partly at home). */
export function pauseMonth(on: string): string {
  if (on.endsWith('-01')) return on.slice(0, 7);
  const [y, m] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Runs `fn` in the given transaction, or opens one when handed the database itself. */
export function inTransaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

/** Which of the two open-stay unique indexes a database error is, if either (SQLite names the column, PostgreSQL the index). */
export function openStayViolation(e: unknown): 'bed' | 'person' | null {
  const err = e as { code?: string; message?: string; constraint?: string };
  const text = `${err.code ?? ''} ${err.constraint ?? ''} ${err.message ?? ''}`;
  if (!/unique|23505|SQLITE_CONSTRAINT/i.test(text)) return null;
  if (/facility_stays_open_bed|facility_stays\.bed_id/.test(text)) return 'bed';
  if (/facility_stays_open_person|facility_stays\.person_id/.test(text)) return 'person';
  return null;
}

/** Refuses a bed of the facility that is retired, unknown, or taken; the bed row otherwise. */
export async function bedForStay(trx: Executor, facilityId: number, bedId: number, on: string) {
  const bed = await trx.selectFrom('facility_beds').selectAll().where('id', '=', bedId).where('facility_id', '=', facilityId).executeTakeFirst();
  if (!bed || (bed.retired_on !== null && bed.retired_on <= on)) throw new AppError('FACILITY_BED_NOT_FOUND', { bed: String(bedId) });
  const taken = await trx.selectFrom('facility_stays').select(['id', 'since']).where('bed_id', '=', bedId).where('until_date', 'is', null).executeTakeFirst();
  if (taken) throw new AppError('FACILITY_BED_TAKEN', { bed: bed.label, since: taken.since });
  return bed;
}

/** Inserts an open stay; a race the checks did not see is answered by the database's unique indexes, as the same refusal. */
export async function openStay(trx: Executor, row: Insertable<FacilityStayTable>, bedLabel: string) {
  try {
    return await trx.insertInto('facility_stays').values(row).returning('id').executeTakeFirstOrThrow();
  } catch (e) {
    const which = openStayViolation(e);
    if (which === 'bed') throw new AppError('FACILITY_BED_TAKEN', { bed: bedLabel, since: '—' });
    if (which === 'person') throw new AppError('FACILITY_PERSON_RESIDENT', { facility: '—', since: '—' });
    throw e;
  }
}

/**
 * Admits a person of the register to a free bed of a facility from a civil date, in the caller's
 * transaction: the facility must be in the scope (else "not found"), active, the bed its own, in
 * service and free, the person in the scope's region and resident nowhere else. Audited
 * (facilities.admit); pauses the person's home-based catalogue items from the stay's first full
 * month (the jurisdiction's setting `facilities.institution_pause`, entitlements' pause reason
 * 'institution'). A bed taken meanwhile — by a concurrent admission too — is FACILITY_BED_TAKEN.
 */
export async function admitResident(
  trx: Executor,
  scope: Scope,
  input: { facilityId: number; personId: number; bedId: number; on: string; source: 'queue' | 'direct'; applicationId?: number | null },
): Promise<{ residentId: number }> {
  if (!isCivilDate(input.on)) throw new AppError('FACILITY_DATE', { field: 'on', value: String(input.on) });
  return inTransaction(trx, async (t) => {
    const facility = await facilityInScope(t, scope, input.facilityId);
    if (!facility) throw new AppError('FACILITY_NOT_FOUND', { id: String(input.facilityId) });
    if (facility.active !== 1) throw new AppError('FACILITY_INACTIVE', { name: facility.name });
    const [person] = (await personColumns(t, ['id', 'region_code', 'status'], [input.personId])) as { id: number; region_code: string; status: string }[];
    if (!person || !regionInScope(scope, person.region_code)) throw new AppError('FACILITY_PERSON_NOT_FOUND', { id: String(input.personId) });
    const open = await t
      .selectFrom('facility_stays')
      .innerJoin('facilities', 'facilities.id', 'facility_stays.facility_id')
      .select(['facilities.name', 'facility_stays.since'])
      .where('facility_stays.person_id', '=', input.personId)
      .where('facility_stays.until_date', 'is', null)
      .executeTakeFirst();
    if (open) throw new AppError('FACILITY_PERSON_RESIDENT', { facility: open.name, since: open.since });
    const bed = await bedForStay(t, facility.id, input.bedId, input.on);
    const stay = await openStay(
      t,
      {
        facility_id: facility.id,
        bed_id: bed.id,
        person_id: person.id,
        region_code: person.region_code,
        since: input.on,
        until_date: null,
        began: 'admission',
        source: input.source,
        application_id: input.applicationId ?? null,
        ended: null,
        note: null,
        created_at: nowIso(),
      },
      bed.label,
    );
    const items = await settingForRegion(t, institutionPauseSetting, person.region_code, DEFAULT_INSTITUTION_PAUSE);
    let pauseId: number | null = null;
    if (items.items.length)
      pauseId = await pauseForInstitution(t, scope, person.id, items.items, pauseMonth(input.on), `入住${facility.name}（${input.on}起）`);
    await recordAudit(t, scope, {
      action: 'facilities.admit',
      entityType: 'person',
      entityId: person.id,
      regionCode: person.region_code,
      detail: {
        facility: facility.id,
        bed: bed.id,
        stay: stay.id,
        on: input.on,
        source: input.source,
        application: input.applicationId ?? null,
        pause: pauseId,
      },
    });
    return { residentId: stay.id };
  });
}

/** Ends a person's institution pause (no back-pay: the months in the institution were covered there). */
export async function liftStayPause(trx: Transaction<Database>, scope: Scope, personId: number, note: string): Promise<number | null> {
  return liftInstitutionPause(trx, scope, personId, note);
}

/** Where each of these persons lives now, if in a facility: the facility and the stay's first day there (a transfer within it keeps the first day). */
export async function currentResidence(db: Executor, personIds: readonly number[]): Promise<Map<number, { facilityId: number; since: string }>> {
  const out = new Map<number, { facilityId: number; since: string }>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const open = await db
      .selectFrom('facility_stays')
      .select(['person_id', 'facility_id', 'since', 'began'])
      .where('person_id', 'in', ids.slice(i, i + 500))
      .where('until_date', 'is', null)
      .execute();
    for (const s of open) out.set(s.person_id, { facilityId: s.facility_id, since: s.since });
    // a bed transfer within the facility: the residence began at the earliest stay of the unbroken run there
    const moved = open.filter((s) => s.began === 'transfer');
    for (const s of moved) {
      const earlier = await db
        .selectFrom('facility_stays')
        .select(['since', 'began', 'facility_id', 'until_date'])
        .where('person_id', '=', s.person_id)
        .where('until_date', 'is not', null)
        .orderBy('since', 'desc')
        .orderBy('id', 'desc')
        .execute();
      let since = s.since;
      let began = s.began;
      for (const e of earlier) {
        if (began !== 'transfer' || e.facility_id !== s.facility_id || e.until_date !== since) break;
        since = e.since;
        began = e.began;
      }
      out.set(s.person_id, { facilityId: s.facility_id, since });
    }
  }
  return out;
}
