import type { Executor } from '../../db/database.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../platform/time.js';
import { personFacts } from '../catalogue/person-rules.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels } from '../register/people.js';
import { admitResident, bedForStay, byBedLabel, facilityInScope, liftStayPause, openStay } from './directory.js';
import type { AdmitBody, EndStayBody, ResidentView, TransferBody } from './facilities.schema.js';

/**
 * Residents: admission (from the register, to a free bed), transfer (to another bed of the same or
 * another facility), discharge and death — each a dated event on the stay, audited in the same
 * transaction. Admission pauses the person's home-based items (directory.ts admitResident); the
 * end of the residence (discharge, death) lifts the pause without back-pay. A transfer keeps it.
 */

const FACTS = new Set(['disablement', 'capabilityLevel', 'hardship']);

/** Each person's assessed disablement on a date (person facts of the assessment, read through the catalogue's public function) and whether 特困. */
export async function residentFacts(
  ctx: AppContext,
  db: Executor,
  ids: readonly number[],
  on: string,
): Promise<Map<number, { disablement: string; assessed: boolean; tekun: boolean }>> {
  const out = new Map<number, { disablement: string; assessed: boolean; tekun: boolean }>();
  if (!ids.length) return out;
  const f = personFacts(on.slice(0, 7), (code) => ctx.regions.get(code)?.kind === 'community', FACTS);
  const rows = await personColumns(db, f.columns, ids);
  for (const r of rows) {
    const facts = f.build(f.columns.map((c) => r[c]));
    const hardship = facts.hardship as string | null;
    out.set(r.id as number, {
      disablement: (facts.disablement as string | null) ?? 'none',
      assessed: facts.capabilityLevel !== null && facts.capabilityLevel !== undefined,
      tekun: typeof hardship === 'string' && hardship.startsWith('tekun'),
    });
  }
  return out;
}

async function openStays(db: Executor, facilityId: number) {
  return db
    .selectFrom('facility_stays')
    .innerJoin('facility_beds', 'facility_beds.id', 'facility_stays.bed_id')
    .select([
      'facility_stays.id',
      'facility_stays.person_id',
      'facility_stays.since',
      'facility_stays.source',
      'facility_beds.id as bed_id',
      'facility_beds.label',
      'facility_beds.type',
    ])
    .where('facility_stays.facility_id', '=', facilityId)
    .where('facility_stays.until_date', 'is', null)
    .execute()
    .then((rows) => rows.sort(byBedLabel));
}

/** The people living in the facility now, with their bed and assessed level: an audited read naming them. */
export async function residentsOf(ctx: AppContext, scope: Scope, facilityId: number): Promise<ResidentView[]> {
  requireAction(scope, 'facilities.residents');
  const facility = await facilityInScope(ctx.db, scope, facilityId);
  if (!facility) throw new AppError('FACILITY_NOT_FOUND', { id: String(facilityId) });
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const stays = await openStays(trx, facilityId);
      const ids = stays.map((s) => s.person_id);
      const labels = await personLabels(trx, ids);
      const facts = await residentFacts(ctx, trx, ids, today());
      return stays.map((s) => ({
        stayId: s.id,
        personId: s.person_id,
        name: labels.get(s.person_id)?.name ?? '',
        idMasked: labels.get(s.person_id)?.idMasked ?? '',
        bedId: s.bed_id,
        bedLabel: s.label,
        bedType: s.type as ResidentView['bedType'],
        since: s.since,
        source: s.source,
        disablement: facts.get(s.person_id)?.disablement ?? 'none',
        assessed: facts.get(s.person_id)?.assessed ?? false,
        tekun: facts.get(s.person_id)?.tekun ?? false,
      }));
    },
    (items) => ({
      action: 'facilities.residents_read',
      entityType: 'facility',
      entityId: facilityId,
      regionCode: facility.region_code,
      fields: ['name', 'idNumber', 'disablement'],
      persons: items.map((i) => i.personId),
    }),
  );
}

/** Admits a person directly (not from the admission queue). */
export async function admit(ctx: AppContext, scope: Scope, facilityId: number, body: AdmitBody): Promise<{ stayId: number }> {
  requireAction(scope, 'facilities.residents');
  const { residentId } = await ctx.db
    .transaction()
    .execute((trx) => admitResident(trx, scope, { facilityId, personId: body.personId, bedId: body.bedId, on: body.on, source: 'direct' }));
  return { stayId: residentId };
}

/** The open stay of the facility the scope may act on; "not found" otherwise. */
async function stayOf(trx: Executor, scope: Scope, facilityId: number, stayId: number) {
  const facility = await facilityInScope(trx, scope, facilityId);
  if (!facility) throw new AppError('FACILITY_NOT_FOUND', { id: String(facilityId) });
  const stay = await trx
    .selectFrom('facility_stays')
    .selectAll()
    .where('id', '=', stayId)
    .where('facility_id', '=', facilityId)
    .where('until_date', 'is', null)
    .executeTakeFirst();
  if (!stay) throw new AppError('FACILITY_RESIDENT_NOT_FOUND', { id: String(stayId) });
  return { facility, stay };
}

function checkOn(on: string, since: string): void {
  if (!isCivilDate(on)) throw new AppError('FACILITY_DATE', { field: 'on', value: on });
  if (on < since) throw new AppError('FACILITY_STAY_DATE', { on, since });
}

/**
 * Moves a resident to another bed, of this facility or another one the scope may act on (an
 * institution's staff: their own only), on a date: the stay ends ('transfer') and the next begins
 * the same day. The pause of home-based items stays.
 */
export async function transfer(ctx: AppContext, scope: Scope, facilityId: number, stayId: number, body: TransferBody): Promise<{ stayId: number }> {
  requireAction(scope, 'facilities.residents');
  return ctx.db.transaction().execute(async (trx) => {
    const { facility, stay } = await stayOf(trx, scope, facilityId, stayId);
    checkOn(body.on, stay.since);
    const target = body.facilityId === facilityId ? facility : await facilityInScope(trx, scope, body.facilityId);
    if (!target) throw new AppError('FACILITY_NOT_FOUND', { id: String(body.facilityId) });
    if (target.active !== 1) throw new AppError('FACILITY_INACTIVE', { name: target.name });
    const bed = await bedForStay(trx, target.id, body.bedId, body.on);
    await trx.updateTable('facility_stays').set({ until_date: body.on, ended: 'transfer' }).where('id', '=', stay.id).where('until_date', 'is', null).execute();
    const next = await openStay(
      trx,
      {
        facility_id: target.id,
        bed_id: bed.id,
        person_id: stay.person_id,
        region_code: stay.region_code,
        since: body.on,
        until_date: null,
        began: 'transfer',
        source: stay.source,
        application_id: stay.application_id,
        ended: null,
        note: null,
        created_at: nowIso(),
      },
      bed.label,
    );
    await recordAudit(trx, scope, {
      action: 'facilities.transfer',
      entityType: 'person',
      entityId: stay.person_id,
      regionCode: stay.region_code,
      detail: { from: { facility: facility.id, bed: stay.bed_id, stay: stay.id }, to: { facility: target.id, bed: bed.id, stay: next.id }, on: body.on },
    });
    return { stayId: next.id };
  });
}

/** Ends a residence by discharge (退住) or death (身故) on a date; lifts the pause of home-based items (no back-pay). */
export async function endStay(
  ctx: AppContext,
  scope: Scope,
  facilityId: number,
  stayId: number,
  how: 'discharge' | 'death',
  body: EndStayBody,
): Promise<{ stayId: number }> {
  requireAction(scope, 'facilities.residents');
  return ctx.db.transaction().execute(async (trx) => {
    const { facility, stay } = await stayOf(trx, scope, facilityId, stayId);
    checkOn(body.on, stay.since);
    await trx
      .updateTable('facility_stays')
      .set({ until_date: body.on, ended: how, note: body.note?.trim() || null })
      .where('id', '=', stay.id)
      .where('until_date', 'is', null)
      .execute();
    const pause = await liftStayPause(
      trx,
      scope,
      stay.person_id,
      how === 'death' ? `在${facility.name}身故（${body.on}）` : `自${facility.name}退住（${body.on}）`,
    );
    const entry = {
      entityType: 'person',
      entityId: stay.person_id,
      regionCode: stay.region_code,
      detail: { facility: facility.id, bed: stay.bed_id, stay: stay.id, on: body.on, pause },
    };
    if (how === 'death') await recordAudit(trx, scope, { action: 'facilities.death', ...entry });
    else await recordAudit(trx, scope, { action: 'facilities.discharge', ...entry });
    return { stayId: stay.id };
  });
}
