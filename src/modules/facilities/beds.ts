import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { isCivilDate, today } from '../../platform/time.js';
import { personLabels } from '../register/people.js';
import { byBedLabel, facilityInScope } from './directory.js';
import type { AddBedsBody, BedView } from './facilities.schema.js';

/**
 * Beds: a bed count is the number of bed rows, so it is never negative; beds are added in bulk
 * (1–2000 at a time, labelled after the highest number under the prefix) and retired one by one
 * (an occupied bed is refused: move or discharge its resident first). Retired beds stay, with
 * their history of stays.
 */

export const MAX_BEDS_AT_ONCE = 2000;

async function ownFacility(ctx: AppContext, scope: Scope, facilityId: number) {
  const f = await facilityInScope(ctx.db, scope, facilityId);
  if (!f) throw new AppError('FACILITY_NOT_FOUND', { id: String(facilityId) });
  return f;
}

export async function addBeds(
  ctx: AppContext,
  scope: Scope,
  facilityId: number,
  body: AddBedsBody,
  on: string = today(),
): Promise<{ added: number; labels: string[] }> {
  requireAction(scope, 'facilities.operate');
  if (!Number.isInteger(body.count) || body.count < 1 || body.count > MAX_BEDS_AT_ONCE) throw new AppError('FACILITY_BED_COUNT', { count: String(body.count) });
  const facility = await ownFacility(ctx, scope, facilityId);
  const prefix = body.prefix.trim();
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('facility_beds').select('label').where('facility_id', '=', facilityId).execute();
    const taken = new Set(existing.map((b) => b.label));
    let n = 0;
    for (const b of existing) {
      const m = b.label.startsWith(`${prefix}-`) ? /^(\d+)$/.exec(b.label.slice(prefix.length + 1)) : null;
      if (m) n = Math.max(n, Number(m[1]));
    }
    const labels: string[] = [];
    while (labels.length < body.count) {
      n++;
      const label = `${prefix}-${n}`;
      if (!taken.has(label)) labels.push(label);
    }
    for (let i = 0; i < labels.length; i += 200)
      await trx
        .insertInto('facility_beds')
        .values(labels.slice(i, i + 200).map((label) => ({ facility_id: facilityId, label, type: body.type, added_on: on, retired_on: null })))
        .execute();
    await recordAudit(trx, scope, {
      action: 'facilities.beds_add',
      entityType: 'facility',
      entityId: facilityId,
      regionCode: facility.region_code,
      detail: { type: body.type, count: body.count, first: labels[0], last: labels.at(-1) },
    });
    return { added: labels.length, labels };
  });
}

export async function retireBed(ctx: AppContext, scope: Scope, facilityId: number, bedId: number, on: string): Promise<void> {
  requireAction(scope, 'facilities.operate');
  if (!isCivilDate(on)) throw new AppError('FACILITY_DATE', { field: 'on', value: on });
  const facility = await ownFacility(ctx, scope, facilityId);
  await ctx.db.transaction().execute(async (trx) => {
    const bed = await trx.selectFrom('facility_beds').selectAll().where('id', '=', bedId).where('facility_id', '=', facilityId).executeTakeFirst();
    if (!bed || bed.retired_on !== null) throw new AppError('FACILITY_BED_NOT_FOUND', { bed: String(bedId) });
    const open = await trx.selectFrom('facility_stays').select('id').where('bed_id', '=', bedId).where('until_date', 'is', null).executeTakeFirst();
    if (open) throw new AppError('FACILITY_BED_OCCUPIED', { bed: bed.label });
    await trx.updateTable('facility_beds').set({ retired_on: on }).where('id', '=', bedId).where('retired_on', 'is', null).execute();
    await recordAudit(trx, scope, {
      action: 'facilities.bed_retire',
      entityType: 'facility_bed',
      entityId: bedId,
      regionCode: facility.region_code,
      detail: { facility: facilityId, label: bed.label, on },
    });
  });
}

/** The facility's beds in service with who occupies each: names are personal data, so an audited read naming the residents shown. */
export async function bedsOf(ctx: AppContext, scope: Scope, facilityId: number): Promise<BedView[]> {
  requireAction(scope, 'facilities.read');
  const facility = await ownFacility(ctx, scope, facilityId);
  const beds = await ctx.db
    .selectFrom('facility_beds')
    .leftJoin('facility_stays', (j) => j.onRef('facility_stays.bed_id', '=', 'facility_beds.id').on('facility_stays.until_date', 'is', null))
    .select([
      'facility_beds.id',
      'facility_beds.label',
      'facility_beds.type',
      'facility_beds.added_on',
      'facility_beds.retired_on',
      'facility_stays.id as stay_id',
      'facility_stays.person_id',
      'facility_stays.since',
    ])
    .where('facility_beds.facility_id', '=', facilityId)
    .where('facility_beds.retired_on', 'is', null)
    .execute();
  beds.sort(byBedLabel);
  const persons = beds.flatMap((b) => (b.person_id === null ? [] : [b.person_id]));
  const labels = persons.length
    ? await auditedRead(
        ctx.db,
        scope,
        (trx) => personLabels(trx, persons),
        (m) => ({
          action: 'facilities.residents_read',
          entityType: 'facility',
          entityId: facilityId,
          regionCode: facility.region_code,
          fields: ['name'],
          persons: [...m.keys()],
        }),
      )
    : new Map<number, { name: string }>();
  return beds.map((b) => ({
    id: b.id,
    label: b.label,
    type: b.type as BedView['type'],
    addedOn: b.added_on,
    retiredOn: b.retired_on,
    stayId: b.stay_id ?? null,
    residentName: b.person_id === null ? null : (labels.get(b.person_id)?.name ?? null),
    since: b.since ?? null,
  }));
}
