import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, isCivilDate, nowIso, today } from '../../platform/time.js';
import { heldConditions } from '../catalogue/person-rules.js';
import { admitResident, bedForStay, facilityById, freeBeds, listFacilities, registerBedHolds, type FacilitySummary } from '../facilities/directory.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { admissionSettingsOf } from './admission.settings.js';
import type { ApplicationView, ApplyBody, DetailReply, FacilitiesReply, QueueQuery, QueueReply } from './admission.schema.js';
import { factsOf, OPEN, queueSettingsOf, requeue } from './queue.js';
import { compileRanking, tierRule, tierWords } from './ranking.js';
import { hashInput, newTrackingCode } from './tracking-code.js';
import type { AdmissionApplicationRow } from './admission.tables.js';

/**
 * Applications to public institutions and their life: apply (a person of the register in the
 * officer's scope, a public or publicly built institution in service), withdraw, a free bed offered
 * to the first waiting applicant, the family's answer (accepted: admitted through facilities'
 * admitResident; declined: the jurisdiction's `onDecline`). Each change recomputes the queue in
 * the same transaction (queue.ts) and is audited.
 *
 * Who sees what: officers (bureau, town) the applications of persons in their region; an
 * institution's staff the whole queue of their own institution (they offer its beds, so they see
 * who waits for them — names beside masked ID numbers, each read audited).
 */
export const STATUS_WORDS: Record<string, { zh: string; en: string }> = {
  waiting: { zh: '轮候中', en: 'waiting' },
  offered: { zh: '已提供床位待答复', en: 'bed offered' },
  admitted: { zh: '已入住', en: 'admitted' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  declined: { zh: '已放弃', en: 'declined' },
};
const BED_WORDS: Record<string, { zh: string; en: string }> = {
  ordinary: { zh: '普通', en: 'ordinary' },
  nursing: { zh: '护理型', en: 'nursing' },
  dementia: { zh: '认知症照护', en: 'dementia care' },
};

/** Why a facility takes no applications, or null when it does. */
function notPublic(f: FacilitySummary): { zh: string; en: string } | null {
  if (f.kind !== 'institution') return { zh: '非养老机构类设施', en: 'not a residential institution' };
  if (f.ownership === 'private') return { zh: '民办养老机构', en: 'a private institution' };
  if (!f.active) return { zh: '已停用的机构', en: 'an institution no longer in service' };
  return null;
}

/** The institutions the queue serves (the console's picker), with the open applications per bed type. */
export async function queueFacilities(ctx: AppContext, scope: Scope): Promise<FacilitiesReply> {
  requireAction(scope, 'admission.read');
  let list = (await listFacilities(ctx.db, { kinds: ['institution'], activeOnly: true })).filter((f) => !notPublic(f));
  if (scope.role === 'institution_staff') list = list.filter((f) => f.id === scope.organisationId);
  const counts = await ctx.db
    .selectFrom('admission_applications')
    .select(['facility_id', 'bed_type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [...OPEN])
    .groupBy(['facility_id', 'bed_type'])
    .execute();
  return {
    items: list.map((f) => {
      const waiting = { ordinary: 0, nursing: 0, dementia: 0 };
      for (const c of counts) if (c.facility_id === f.id) waiting[c.bed_type as keyof typeof waiting] = Number(c.n);
      return {
        id: f.id,
        name: f.name,
        ownership: f.ownership,
        regionCode: f.regionCode,
        beds: f.beds,
        nursingBeds: f.nursingBeds,
        occupied: f.occupied,
        waiting,
      };
    }),
  };
}

async function publicFacility(ctx: AppContext, trx: Transaction<Database>, id: number): Promise<FacilitySummary> {
  const f = await facilityById(trx, id);
  if (!f) throw new AppError('ADMISSION_FACILITY_NOT_FOUND', { id });
  const why = notPublic(f);
  if (why) throw new AppError('ADMISSION_FACILITY_NOT_PUBLIC', { name: f.name, what: why });
  return f;
}

export async function applyFor(ctx: AppContext, scope: Scope, body: ApplyBody): Promise<{ application: ApplicationView; trackingCode: string }> {
  requireAction(scope, 'admission.apply');
  const on = today();
  const appliedOn = body.appliedOn ?? on;
  if (!isCivilDate(appliedOn) || appliedOn > on) throw new AppError('ADMISSION_DATE', { value: String(appliedOn) });
  const code = newTrackingCode();
  const id = await ctx.db.transaction().execute(async (trx) => {
    if (!(await personPermitted(trx, scope, body.personId))) throw new AppError('ADMISSION_PERSON_NOT_FOUND', { id: body.personId });
    const label = (await personLabels(trx, [body.personId])).get(body.personId);
    if (!label) throw new AppError('ADMISSION_PERSON_NOT_FOUND', { id: body.personId });
    if (label.status !== 'active') {
      const w = label.status === 'deceased' ? { zh: '死亡', en: 'deceased' } : { zh: '迁出', en: 'moved out' };
      throw new AppError('ADMISSION_PERSON_CLOSED', { id: body.personId, status: w });
    }
    const facility = await publicFacility(ctx, trx, body.facilityId);
    const open = await trx
      .selectFrom('admission_applications')
      .select(['id', 'applied_on'])
      .where('person_id', '=', body.personId)
      .where('facility_id', '=', facility.id)
      .where('status', 'in', [...OPEN])
      .executeTakeFirst();
    if (open) throw new AppError('ADMISSION_ALREADY_OPEN', { facility: facility.name, on: open.applied_on, id: open.id });
    const region = (await personRegion(ctx, trx, body.personId))!;
    const now = nowIso();
    const row = await trx
      .insertInto('admission_applications')
      .values({
        person_id: body.personId,
        facility_id: facility.id,
        region_code: region,
        bed_type: body.bedType,
        applied_on: appliedOn,
        queue_on: appliedOn,
        status: 'waiting',
        code_hash: ctx.cipher.lookupHash(hashInput(code.replace(/-/g, ''))),
        tier: null,
        tier_key: null,
        preferred: 0,
        position: null,
        declines: 0,
        closed_on: null,
        created_by: scope.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'admission.apply',
      entityType: 'admission_application',
      entityId: row.id,
      regionCode: region,
      fields: ['facility', 'bedType', 'appliedOn'],
      detail: { person: body.personId, facility: facility.id, bedType: body.bedType, appliedOn },
    });
    await requeue(ctx, trx, scope, facility.id, body.bedType, { cause: 'arrived', id: row.id });
    return row.id;
  });
  return { application: (await detail(ctx, scope, id)).application, trackingCode: code };
}

async function personRegion(ctx: AppContext, trx: Transaction<Database>, personId: number): Promise<string | null> {
  const [r] = await personColumns(trx, ['id', 'region_code'], [personId]);
  return (r?.region_code as string | undefined) ?? null;
}

/** The application if the viewer may see it (else "not found"). */
async function applicationInScope(trx: Transaction<Database>, scope: Scope, id: number): Promise<AdmissionApplicationRow> {
  let q = trx.selectFrom('admission_applications').selectAll().where('id', '=', id);
  if (scope.role === 'institution_staff') q = q.where('facility_id', '=', scope.organisationId ?? -1);
  else q = q.where(inRegion(scope, 'region_code'));
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('ADMISSION_APPLICATION_NOT_FOUND', { id });
  return row;
}

const ACT = {
  withdraw: { zh: '撤回', en: 'withdrawn' },
  offer: { zh: '提供床位', en: 'offered a bed' },
} as const;

function requireStatus(row: AdmissionApplicationRow, allowed: readonly string[], act: { zh: string; en: string }): void {
  if (allowed.includes(row.status)) return;
  const w = STATUS_WORDS[row.status]!;
  throw new AppError('ADMISSION_NOT_OPEN', { id: row.id, status: w, act });
}

export async function withdraw(ctx: AppContext, scope: Scope, id: number): Promise<DetailReply> {
  requireAction(scope, 'admission.apply');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await applicationInScope(trx, scope, id);
    requireStatus(row, ['waiting', 'offered'], ACT.withdraw);
    await close(trx, row, 'withdrawn');
    await recordAudit(trx, scope, {
      action: 'admission.withdraw',
      entityType: 'admission_application',
      entityId: id,
      regionCode: row.region_code,
      fields: ['status'],
    });
    await requeue(ctx, trx, scope, row.facility_id, row.bed_type, { cause: 'left', id, why: 'withdrawn' }, { id, from: row.position, why: 'withdrawn' });
  });
  return detail(ctx, scope, id);
}

async function close(trx: Transaction<Database>, row: AdmissionApplicationRow, status: 'withdrawn' | 'admitted' | 'declined'): Promise<void> {
  const at = nowIso();
  if (row.status === 'offered') {
    await trx
      .updateTable('admission_offers')
      .set({ outcome: status === 'admitted' ? 'accepted' : 'declined', decided_at: at })
      .where('application_id', '=', row.id)
      .where('outcome', '=', 'pending')
      .execute();
  }
  await trx.updateTable('admission_applications').set({ status, position: null, closed_on: today(), updated_at: at }).where('id', '=', row.id).execute();
}

const bedOrder = new Intl.Collator('zh-CN', { numeric: true });

/** The beds of these facilities offered to an applicant awaiting an answer. */
async function offeredBeds(db: Executor, facilityIds: readonly number[]): Promise<number[]> {
  const rows = await db
    .selectFrom('admission_offers')
    .innerJoin('admission_applications', 'admission_applications.id', 'admission_offers.application_id')
    .select('admission_offers.bed_id')
    .where('admission_applications.facility_id', 'in', facilityIds)
    .where('admission_offers.outcome', '=', 'pending')
    .execute();
  return rows.map((r) => r.bed_id);
}

/** Start: a bed on offer is held, not free to anyone else (facilities' public map and pages). */
export function registerAdmissionHolds(): void {
  registerBedHolds('admission', offeredBeds);
}

/**
 * The beds of a type free for the queue: in service, nobody in them (facilities' freeBeds) and not
 * already offered to an applicant awaiting an answer; labels in natural order (C-2 before C-10).
 */
export async function queueFreeBeds(trx: Transaction<Database>, facilityId: number, bedType: string) {
  const taken = new Set(await offeredBeds(trx, [facilityId]));
  return (await freeBeds(trx, facilityId)).filter((b) => b.type === bedType && !taken.has(b.bedId)).sort((a, b) => bedOrder.compare(a.label, b.label));
}

/** Why a bed cannot be offered, naming it by its label (never its id): on offer to another applicant, occupied, another type, or not this facility's. */
async function bedNotFree(trx: Transaction<Database>, row: AdmissionApplicationRow, bedId: number, facility: string): Promise<AppError> {
  const type = BED_WORDS[row.bed_type]!;
  const refuse = (bed: { zh: string; en: string }, why: { zh: string; en: string }) => new AppError('ADMISSION_BED_NOT_FREE', { bed, why, facility, type });
  const pending = await trx.selectFrom('admission_offers').select('bed_label').where('bed_id', '=', bedId).where('outcome', '=', 'pending').executeTakeFirst();
  if (pending)
    return refuse(
      { zh: pending.bed_label, en: pending.bed_label },
      { zh: '已提供给另一位申请人，正等待答复', en: 'is already offered to another applicant awaiting an answer' },
    );
  try {
    const bed = await bedForStay(trx, row.facility_id, bedId, today());
    const other = BED_WORDS[bed.type] ?? { zh: bed.type, en: bed.type };
    return refuse({ zh: bed.label, en: bed.label }, { zh: `是${other.zh}床位`, en: `is a ${other.en} bed` });
  } catch (e) {
    if (e instanceof AppError && e.code === 'FACILITY_BED_TAKEN') {
      const label = String((e as AppError<'FACILITY_BED_TAKEN'>).params.bed);
      return refuse({ zh: label, en: label }, { zh: '已有人入住', en: 'is occupied' });
    }
    return refuse({ zh: '所选床位', en: 'The bed chosen' }, { zh: '不属于本机构或已停用', en: 'is not one of this institution’s beds in service' });
  }
}

/** A free bed of the type asked for, offered to the first waiting applicant of the queue. */
export async function offerBed(ctx: AppContext, scope: Scope, id: number, bedId: number): Promise<DetailReply> {
  requireAction(scope, 'admission.offer');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await applicationInScope(trx, scope, id);
    requireStatus(row, ['waiting'], ACT.offer);
    const ahead = await trx
      .selectFrom('admission_applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('facility_id', '=', row.facility_id)
      .where('bed_type', '=', row.bed_type)
      .where('status', '=', 'waiting')
      .where('position', '<', row.position ?? 0)
      .executeTakeFirstOrThrow();
    if (Number(ahead.n) > 0) throw new AppError('ADMISSION_NOT_FIRST', { id, position: row.position ?? 0, ahead: Number(ahead.n) });
    const facility = await facilityById(trx, row.facility_id);
    const bed = (await queueFreeBeds(trx, row.facility_id, row.bed_type)).find((b) => b.bedId === bedId);
    if (!bed) throw await bedNotFree(trx, row, bedId, facility?.name ?? String(row.facility_id));
    const at = nowIso();
    const offer = await trx
      .insertInto('admission_offers')
      .values({
        application_id: id,
        bed_id: bedId,
        bed_label: bed.label,
        outcome: 'pending',
        offered_by: scope.userId,
        offered_at: at,
        decided_at: null,
        resident_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('admission_applications').set({ status: 'offered', updated_at: at }).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'admission.offer',
      entityType: 'admission_application',
      entityId: id,
      regionCode: row.region_code,
      fields: ['status', 'bed'],
      detail: { offer: offer.id, facility: row.facility_id, bed: bedId, position: row.position },
    });
  });
  return detail(ctx, scope, id);
}

async function pendingOffer(trx: Transaction<Database>, row: AdmissionApplicationRow) {
  const offer =
    row.status === 'offered'
      ? await trx.selectFrom('admission_offers').selectAll().where('application_id', '=', row.id).where('outcome', '=', 'pending').executeTakeFirst()
      : undefined;
  if (!offer) throw new AppError('ADMISSION_NOT_OFFERED', { id: row.id });
  return offer;
}

/** The family accepted: admitted to the offered bed (facilities' admitResident, source 'queue'). */
export async function acceptOffer(ctx: AppContext, scope: Scope, id: number, on: string = today()): Promise<DetailReply> {
  requireAction(scope, 'admission.offer');
  if (!isCivilDate(on)) throw new AppError('ADMISSION_DATE', { value: String(on) });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await applicationInScope(trx, scope, id);
    const offer = await pendingOffer(trx, row);
    const { residentId } = await admitResident(trx, scope, {
      facilityId: row.facility_id,
      personId: row.person_id,
      bedId: offer.bed_id,
      on,
      source: 'queue',
      applicationId: id,
    });
    await close(trx, row, 'admitted');
    await trx.updateTable('admission_offers').set({ resident_id: residentId }).where('id', '=', offer.id).execute();
    await recordAudit(trx, scope, {
      action: 'admission.accept',
      entityType: 'admission_application',
      entityId: id,
      regionCode: row.region_code,
      fields: ['status'],
      detail: { offer: offer.id, resident: residentId, on },
    });
    await requeue(ctx, trx, scope, row.facility_id, row.bed_type, { cause: 'left', id, why: 'admitted' }, { id, from: row.position, why: 'admitted' });
    // the person's applications to other institutions are withdrawn: they live in this one now
    const others = await trx
      .selectFrom('admission_applications')
      .selectAll()
      .where('person_id', '=', row.person_id)
      .where('id', '!=', id)
      .where('status', 'in', [...OPEN])
      .execute();
    for (const o of others) {
      await close(trx, o, 'withdrawn');
      await recordAudit(trx, scope, {
        action: 'admission.withdraw',
        entityType: 'admission_application',
        entityId: o.id,
        regionCode: o.region_code,
        fields: ['status'],
        detail: { admittedBy: id },
      });
      await requeue(
        ctx,
        trx,
        scope,
        o.facility_id,
        o.bed_type,
        { cause: 'left', id: o.id, why: 'withdrawn' },
        { id: o.id, from: o.position, why: 'elsewhere' },
      );
    }
  });
  return detail(ctx, scope, id);
}

/** The family declined the bed: back of its tier, keeps its place, or leaves (the jurisdiction's `onDecline`). */
export async function declineOffer(ctx: AppContext, scope: Scope, id: number): Promise<DetailReply> {
  requireAction(scope, 'admission.offer');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await applicationInScope(trx, scope, id);
    // the rule of the facility's queue
    const policy = (await queueSettingsOf(ctx, trx, row.facility_id)).onDecline;
    const offer = await pendingOffer(trx, row);
    const at = nowIso();
    await trx.updateTable('admission_offers').set({ outcome: 'declined', decided_at: at }).where('id', '=', offer.id).execute();
    await recordAudit(trx, scope, {
      action: 'admission.decline',
      entityType: 'admission_application',
      entityId: id,
      regionCode: row.region_code,
      fields: ['status'],
      detail: { offer: offer.id, policy },
    });
    if (policy === 'leave') {
      await trx
        .updateTable('admission_applications')
        .set({ status: 'declined', position: null, declines: row.declines + 1, closed_on: today(), updated_at: at })
        .where('id', '=', id)
        .execute();
      await requeue(ctx, trx, scope, row.facility_id, row.bed_type, { cause: 'left', id, why: 'declined' }, { id, from: row.position, why: 'declined' });
      return;
    }
    await trx
      .updateTable('admission_applications')
      .set({ status: 'waiting', declines: row.declines + 1, updated_at: at, ...(policy === 'back' ? { queue_on: today() } : {}) })
      .where('id', '=', id)
      .execute();
    if (policy === 'back') await requeue(ctx, trx, scope, row.facility_id, row.bed_type, { cause: 'declined_back', id });
  });
  return detail(ctx, scope, id);
}

/** Every queue recomputed (the daily refresh and the officer's button): facts change. */
export async function refreshQueues(ctx: AppContext, scope: Scope): Promise<{ queues: number; moved: number }> {
  requireAction(scope, 'admission.refresh');
  const queues = await ctx.db
    .selectFrom('admission_applications')
    .select(['facility_id', 'bed_type'])
    .where('status', 'in', [...OPEN])
    .distinct()
    .execute();
  let moved = 0;
  for (const q of queues) {
    moved += await ctx.db.transaction().execute(async (trx) => (await requeue(ctx, trx, scope, q.facility_id, q.bed_type, { cause: 'refresh' })).moved);
  }
  return { queues: queues.length, moved };
}

/** Views of applications, with the person's name and masked ID (the caller audits the read). */
async function views(ctx: AppContext, trx: Transaction<Database>, rows: AdmissionApplicationRow[]): Promise<ApplicationView[]> {
  if (!rows.length) return [];
  const labels = await personLabels(
    trx,
    rows.map((r) => r.person_id),
  );
  const facilities = new Map((await listFacilities(trx, { ids: [...new Set(rows.map((r) => r.facility_id))] })).map((f) => [f.id, f]));
  // an application's tier is of its facility's queue rules
  const settingsOf = (r: AdmissionApplicationRow) => admissionSettingsOf(ctx, facilities.get(r.facility_id)?.regionCode ?? r.region_code);
  const ids = rows.map((r) => r.id);
  const last = new Map<number, { at: string; zh: string; en: string }>();
  const offers = new Map<number, { id: number; bedId: number; bedLabel: string; offeredAt: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const changes = await trx
      .selectFrom('admission_position_changes')
      .select(['application_id', 'at', 'reason_zh', 'reason_en', 'id'])
      .where('application_id', 'in', chunk)
      .orderBy('id')
      .execute();
    for (const c of changes) last.set(c.application_id, { at: c.at, zh: c.reason_zh, en: c.reason_en });
    const os = await trx.selectFrom('admission_offers').selectAll().where('application_id', 'in', chunk).where('outcome', '=', 'pending').execute();
    for (const o of os) offers.set(o.application_id, { id: o.id, bedId: o.bed_id, bedLabel: o.bed_label, offeredAt: o.offered_at });
  }
  const on = today();
  return rows.map((r) => {
    const l = labels.get(r.person_id);
    const settings = settingsOf(r);
    const tier = r.tier === null ? null : (settings.tiers[r.tier] ?? null);
    return {
      id: r.id,
      personId: r.person_id,
      name: l?.name ?? '',
      idMasked: l?.idMasked ?? '',
      age: l ? ageOn(l.birthDate, on) : null,
      facilityId: r.facility_id,
      facilityName: facilities.get(r.facility_id)?.name ?? '',
      bedType: r.bed_type as ApplicationView['bedType'],
      appliedOn: r.applied_on,
      queueOn: r.queue_on,
      status: r.status as ApplicationView['status'],
      position: r.position,
      tier: r.tier === null ? null : r.tier + 1,
      tierLabel: tier ? tier.label : tierWords(settings, null).label,
      preferred: r.preferred === 1,
      declines: r.declines,
      lastChange: last.get(r.id) ?? null,
      offer: offers.get(r.id) ?? null,
    };
  });
}

/** A facility's queue for a bed type, in order (audited read: names the persons shown). */
export async function queueOf(
  ctx: AppContext,
  scope: Scope,
  query: Pick<QueueQuery, 'facilityId' | 'bedType'> & Partial<Pick<QueueQuery, 'page' | 'pageSize'>>,
): Promise<QueueReply> {
  const q = { page: 1, pageSize: 100, ...query };
  requireAction(scope, 'admission.read');
  if (scope.role === 'institution_staff' && scope.organisationId !== q.facilityId) throw new AppError('ADMISSION_FACILITY_NOT_FOUND', { id: q.facilityId });
  const facility = await facilityById(ctx.db, q.facilityId);
  if (!facility || notPublic(facility)) throw new AppError('ADMISSION_FACILITY_NOT_FOUND', { id: q.facilityId });
  const settings = admissionSettingsOf(ctx, facility.regionCode);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let rq = trx
        .selectFrom('admission_applications')
        .where('facility_id', '=', q.facilityId)
        .where('bed_type', '=', q.bedType)
        .where('status', 'in', [...OPEN]);
      if (scope.role !== 'institution_staff') rq = rq.where(inRegion(scope, 'region_code'));
      const total = await rq.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await rq
        .selectAll()
        .orderBy('position')
        .orderBy('id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const beds = await queueFreeBeds(trx, q.facilityId, q.bedType);
      return {
        facility: { id: facility.id, name: facility.name },
        bedType: q.bedType,
        freeBeds: beds.map((b) => ({ id: b.bedId, label: b.label })),
        rules: {
          tiers: settings.tiers.map((t, i) => ({ tier: i + 1, label: t.label, rule: tierWords(settings, i).rule! })),
          preference: settings.preference.label,
          preferencePassesEarlier: settings.preferencePassesEarlier,
          groupsOrdered: settings.groupsOrdered,
          hardshipQualifies: settings.hardshipQualifies,
          onDecline: settings.onDecline,
        },
        items: await views(ctx, trx, rows),
        total: Number(total.n),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
    (r) => ({
      action: 'admission.queue_read',
      entityType: 'admission_queue',
      entityId: `${q.facilityId}:${q.bedType}`,
      fields: ['name', 'idMasked', 'position', 'tier'],
      persons: r.items.map((i) => i.personId),
    }),
  );
}

/** Why the application is where it is: the tier's rule in words, the conditions that hold, the preference. */
export async function whyPlaced(ctx: AppContext, trx: Transaction<Database>, row: AdmissionApplicationRow) {
  const settings = await queueSettingsOf(ctx, trx, row.facility_id, row.region_code);
  const ranking = compileRanking(settings);
  const facts = (await factsOf(ctx, trx, ranking, [row.person_id])).get(row.person_id) ?? {};
  const words = tierWords(settings, row.tier);
  const tier = row.tier === null ? null : settings.tiers[row.tier];
  return {
    tier: row.tier === null ? null : row.tier + 1,
    tierLabel: words.label,
    rule: words.rule,
    held: tier ? heldConditions(tierRule(settings, tier), facts) : [],
    preferred: row.preferred === 1 ? { label: settings.preference.label, held: heldConditions(settings.preference.rule, facts) } : null,
    queueOn: row.queue_on,
  };
}

async function history(trx: Transaction<Database>, id: number) {
  const rows = await trx.selectFrom('admission_position_changes').selectAll().where('application_id', '=', id).orderBy('id').execute();
  return rows.map((c) => ({ at: c.at, from: c.from_position, to: c.to_position, cause: c.cause, reason: { zh: c.reason_zh, en: c.reason_en } }));
}

export { history as positionHistory };

/** One application with its history and why it is placed there (audited read). */
export async function detail(ctx: AppContext, scope: Scope, id: number): Promise<DetailReply> {
  requireAction(scope, 'admission.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await applicationInScope(trx, scope, id);
      const [application] = await views(ctx, trx, [row]);
      return { application: application!, why: await whyPlaced(ctx, trx, row), history: await history(trx, id) };
    },
    (r) => ({
      action: 'admission.application_read',
      entityType: 'admission_application',
      entityId: id,
      fields: ['name', 'idMasked', 'position', 'tier', 'history'],
      persons: [r.application.personId],
    }),
  );
}
