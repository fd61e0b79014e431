import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Page } from '../../platform/paging.js';
import { can } from '../../platform/policy.js';
import { auditedRead } from '../../platform/reads.js';
import { anonymousScope, inRegion, narrowScope, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, isCivilDate, nowIso, today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { ltcGrades, recordCapability } from '../register/capability.js';
import { activeAccounts, activeUsersOfRole, displayNames } from '../users/accounts.js';
import type { AssessmentDraft, AssessmentSummary, AssessmentView, AssessorOption, PersonCapabilityReply } from './assessment.schema.js';
import { assessmentDraft as draftSchema } from './assessment.schema.js';
import type { AssessmentRow } from './assessment.tables.js';
import { scheduleOf } from './assessment.settings.js';
import { latestReviewed } from './capability.js';
import { INSTRUMENTS } from './instrument/index.js';
import { score, type ScoreResult } from './instrument/score.js';
import { scheduledDue } from './due.js';
import { closeOpenRequests } from './requests.js';
import { addDays, nextDue, validUntil } from './schedule.js';

/**
 * Assessment records (GB/T 42195-2022): a device's whole draft synced (created, edited, merged when
 * sent again, kept as a conflict when stale), submitted by the first assessor, co-signed by the
 * second, reviewed by an officer; the reviewed level put on the person's row (register/capability.ts).
 * Answers, the basic and health sections, notes and signatures are sealed with the field cipher;
 * the scores the one scorer computes are stored in plaintext columns beside them.
 */

type Trx = Transaction<Database>;
type Draft = AssessmentDraft;
type Content = Pick<Draft, 'answers' | 'basic' | 'health' | 'notes'>;
interface Signatures {
  assessor1: string | null;
  assessor2: string | null;
  elder: Draft['signatures']['elder'];
}

/** How far back a new assessment's reference date may lie. */
export const NEW_RECORD_MAX_AGE_DAYS = 90;
/** The verification code's alphabet: no 0/O, 1/I (nor L), read back from paper without doubt. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

// ---- sealing and the canonical form ----

export function seal(ctx: AppContext, value: unknown): string {
  return ctx.cipher.encrypt(JSON.stringify(value));
}

function contentOf(ctx: AppContext, row: Pick<AssessmentRow, 'content_enc'>): Content {
  return JSON.parse(ctx.cipher.decrypt(row.content_enc)) as Content;
}

function signaturesOf(ctx: AppContext, row: Pick<AssessmentRow, 'signatures_enc'>): Signatures {
  return row.signatures_enc ? (JSON.parse(ctx.cipher.decrypt(row.signatures_enc)) as Signatures) : { assessor1: null, assessor2: null, elder: null };
}

/** JSON with object keys sorted at every level: two equal drafts give the same text. */
export function canonicalJson(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(norm(value));
}

const reasonText = (r: string | null | undefined) => (r && r.trim() ? r.trim() : null);

/** What a draft says, without the device's bookkeeping (clientId, baseVersion): what "the same send" compares. */
function draftBody(d: Draft) {
  return {
    personId: d.personId,
    instrumentVersion: d.instrumentVersion,
    referenceDate: d.referenceDate,
    place: d.place,
    reason: d.reason,
    assessor2Id: d.assessor2Id,
    supersedesId: d.supersedesId,
    correctionReason: reasonText(d.correctionReason),
    answers: d.answers,
    basic: d.basic,
    health: d.health,
    notes: d.notes,
    signatures: { assessor1: d.signatures.assessor1, elder: d.signatures.elder },
  };
}

function storedBody(ctx: AppContext, row: AssessmentRow) {
  const c = contentOf(ctx, row);
  const s = signaturesOf(ctx, row);
  return {
    personId: row.person_id,
    instrumentVersion: row.instrument_version,
    referenceDate: row.reference_date,
    place: row.place,
    reason: row.reason,
    assessor2Id: row.assessor2_id,
    supersedesId: row.supersedes_id,
    correctionReason: reasonText(row.correction_reason),
    answers: c.answers,
    basic: c.basic,
    health: c.health,
    notes: c.notes,
    signatures: { assessor1: s.assessor1, elder: s.elder },
  };
}

export function scoreOf(version: string, c: Pick<Content, 'answers' | 'basic' | 'health'>): ScoreResult {
  const r = c.basic.riskEvents;
  return score(version, {
    answers: c.answers,
    coma: c.health.coma,
    mentalDisorder: c.basic.dementia || c.basic.mentalDisorder,
    riskEvents30d: r.falls + r.choking + r.suicide + r.selfHarm + r.wandering + r.other,
  });
}

export function scoreColumns(s: ScoreResult) {
  return {
    subtotals: JSON.stringify(s.subtotals),
    total: s.total,
    answered: s.answered,
    preliminary_level: s.preliminary,
    final_level: s.final,
    adjustments: JSON.stringify(s.adjustments),
  };
}

// ---- checks ----

function checkInstrument(version: string): void {
  if (!INSTRUMENTS[version]) throw new AppError('ASSESSMENT_INSTRUMENT_UNKNOWN', { version, known: Object.keys(INSTRUMENTS).join(', ') });
}

/** Unknown items and scores no option has are refused; unanswered items are allowed while a draft. */
function checkAnswers(version: string, answers: Record<string, number>): void {
  const data = INSTRUMENTS[version]!;
  const items = new Map(data.indicators.flatMap((i) => i.items.map((it) => [it.code, it] as const)));
  for (const [code, value] of Object.entries(answers)) {
    const item = items.get(code);
    if (!item) throw new AppError('ASSESSMENT_ITEM_UNKNOWN', { item: code });
    if (!item.options.some((o) => o.score === value))
      throw new AppError('ASSESSMENT_SCORE_INVALID', {
        item: code,
        value,
        allowed: item.options
          .map((o) => o.score)
          .sort((a, b) => a - b)
          .join(', '),
      });
  }
}

function checkDate(date: string, birthDate: string, isNew: boolean): void {
  if (!isCivilDate(date)) throw new AppError('ASSESSMENT_DATE_INVALID', { date });
  const now = today();
  if (date > now) throw new AppError('ASSESSMENT_DATE_FUTURE', { date, today: now });
  if (birthDate && date < birthDate) throw new AppError('ASSESSMENT_DATE_BEFORE_BIRTH', { date });
  const earliest = addDays(now, -NEW_RECORD_MAX_AGE_DAYS);
  if (isNew && date < earliest) throw new AppError('ASSESSMENT_DATE_TOO_OLD', { date, days: NEW_RECORD_MAX_AGE_DAYS, earliest });
}

/** The second assessor: another active assessor whose area includes the person's region. */
async function checkAssessor2(ctx: AppContext, db: Executor, scope: Scope, assessor2Id: number | null, personRegion: string): Promise<void> {
  if (assessor2Id === null) return;
  if (assessor2Id === scope.userId) throw new AppError('ASSESSMENT_ASSESSOR2_SELF');
  const a = (await activeAccounts(db, [assessor2Id])).get(assessor2Id);
  const prefix = a ? ctx.regions.get(a.regionCode)?.prefix : undefined;
  if (!a || a.role !== 'assessor' || prefix === undefined || !personRegion.startsWith(prefix))
    throw new AppError('ASSESSMENT_ASSESSOR2_INVALID', { id: assessor2Id });
}

/** A correction names a reviewed assessment of the same person, says why, and is the only one open for it. */
async function checkCorrection(trx: Executor, d: Draft, selfId: number | null): Promise<void> {
  if (d.supersedesId === null) return;
  if (!reasonText(d.correctionReason)) throw new AppError('ASSESSMENT_CORRECTION_REASON');
  const target = await trx.selectFrom('assessments').select(['id', 'person_id', 'status']).where('id', '=', d.supersedesId).executeTakeFirst();
  if (!target || target.person_id !== d.personId || target.status !== 'reviewed') throw new AppError('ASSESSMENT_CORRECTION_TARGET', { id: d.supersedesId });
  let q = trx.selectFrom('assessments').select('id').where('supersedes_id', '=', d.supersedesId);
  if (selfId !== null) q = q.where('id', '!=', selfId);
  const other = await q.executeTakeFirst();
  if (other) throw new AppError('ASSESSMENT_CORRECTION_OPEN', { id: d.supersedesId, other: other.id });
}

interface PersonFacts {
  regionCode: string;
  birthDate: string;
}

async function personFacts(db: Executor, personId: number): Promise<PersonFacts> {
  const [row] = (await personColumns(db, ['region_code', 'birth_date'], [personId])) as { region_code: string; birth_date: string }[];
  if (!row) throw notFound('person');
  return { regionCode: row.region_code, birthDate: row.birth_date };
}

// ---- visibility ----

const isAssessor = (scope: Scope) => scope.role === 'assessor';
const mayDo = (scope: Scope, action: 'assessments.write' | 'assessments.review') =>
  scope.role === 'system' || (scope.role !== 'anonymous' && can(scope.role, action));

/**
 * One record as the viewer may see it: the person permitted to them (personPermitted), or for an
 * assessor the records they are first or second assessor of. Anything else reads as not found.
 */
async function visibleRow(db: Executor, scope: Scope, id: number): Promise<AssessmentRow> {
  const row = await db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('ASSESSMENT_NOT_FOUND', { id });
  if (isAssessor(scope)) {
    // an assessor sees the records they are first or second assessor of: taking part in the
    // record reaches its person (the second assessor need not be assigned the person), within their area
    if (row.assessor1_id !== scope.userId && row.assessor2_id !== scope.userId) throw new AppError('ASSESSMENT_NOT_FOUND', { id });
    if (!row.region_code.startsWith(scope.regionPrefix)) throw new AppError('ASSESSMENT_NOT_FOUND', { id });
    return row;
  }
  if (!(await personPermitted(db, scope, row.person_id))) throw new AppError('ASSESSMENT_NOT_FOUND', { id });
  return row;
}

function checkVersion(row: AssessmentRow, version: number): void {
  if (row.version !== version) throw new AppError('ASSESSMENT_VERSION_STALE', { base: version, current: row.version }, { serverVersion: row.version });
}

function refuseUnlessDraft(row: AssessmentRow): void {
  if (row.status === 'submitted') throw new AppError('ASSESSMENT_SUBMITTED');
  if (row.status === 'reviewed') throw new AppError('ASSESSMENT_REVIEWED');
}

// ---- views ----

/** Names and labels beside a set of rows, read once. */
async function labelsFor(ctx: AppContext, db: Executor, rows: readonly AssessmentRow[]) {
  const ids = rows.map((r) => r.id);
  const persons = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const users = await displayNames(
    db,
    rows.flatMap((r) => [r.assessor1_id, r.assessor2_id, r.reviewer_id]),
  );
  const supersededBy = new Map<number, number>();
  const conflicts = new Map<number, number>();
  if (ids.length) {
    for (const c of await db
      .selectFrom('assessments')
      .select(['id', 'supersedes_id'])
      .where('supersedes_id', 'in', ids)
      .where('status', '=', 'reviewed')
      .execute())
      supersededBy.set(c.supersedes_id!, c.id);
    for (const c of await db
      .selectFrom('assessment_conflicts')
      .select(({ fn }) => ['assessment_id', fn.countAll<number>().as('n')])
      .where('assessment_id', 'in', ids)
      .where('resolved_at', 'is', null)
      .groupBy('assessment_id')
      .execute())
      conflicts.set(c.assessment_id, Number(c.n));
  }
  const user = (id: number | null) => (id === null ? null : { id, name: users.get(id) ?? `#${id}` });
  const summary = (r: AssessmentRow): AssessmentSummary => {
    const p = persons.get(r.person_id);
    return {
      id: r.id,
      clientId: r.client_id,
      version: r.version,
      personId: r.person_id,
      personName: p?.name ?? '',
      idMasked: p?.idMasked ?? '',
      regionCode: r.region_code,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      referenceDate: r.reference_date,
      place: r.place as AssessmentSummary['place'],
      reason: r.reason as AssessmentSummary['reason'],
      status: r.status as AssessmentSummary['status'],
      assessor1: user(r.assessor1_id)!,
      assessor2: user(r.assessor2_id),
      cosigned: r.cosigned_at !== null,
      total: r.total,
      finalLevel: r.final_level as AssessmentSummary['finalLevel'],
      supersededBy: supersededBy.get(r.id) ?? null,
      supersedesId: r.supersedes_id,
      openConflicts: conflicts.get(r.id) ?? 0,
      updatedAt: r.updated_at,
    };
  };
  return { persons, user, summary };
}

async function viewOf(ctx: AppContext, db: Executor, scope: Scope, row: AssessmentRow): Promise<AssessmentView> {
  const { persons, user, summary } = await labelsFor(ctx, db, [row]);
  const s = summary(row);
  const p = persons.get(row.person_id);
  const content = contentOf(ctx, row);
  const sigs = signaturesOf(ctx, row);
  const scoring = scoreOf(row.instrument_version, content);
  const me = scope.userId;
  const draft = row.status === 'draft';
  const submitted = row.status === 'submitted';
  const write = mayDo(scope, 'assessments.write');
  const corrected = row.status === 'reviewed' && !!(await db.selectFrom('assessments').select('id').where('supersedes_id', '=', row.id).executeTakeFirst());
  return {
    ...s,
    instrumentVersion: row.instrument_version,
    sex: p?.sex ?? '',
    birthDate: p?.birthDate ?? '',
    ageAtReference: p?.birthDate ? ageOn(p.birthDate, row.reference_date) : 0,
    correctionReason: row.correction_reason,
    answers: content.answers,
    basic: content.basic,
    health: content.health,
    notes: content.notes,
    scoring: {
      subtotals: JSON.parse(row.subtotals) as Record<string, number>,
      total: row.total,
      answered: row.answered,
      items: scoring.items,
      preliminary: row.preliminary_level as AssessmentView['scoring']['preliminary'],
      final: row.final_level as AssessmentView['scoring']['final'],
      adjustments: JSON.parse(row.adjustments) as AssessmentView['scoring']['adjustments'],
    },
    signatures: { assessor1: sigs.assessor1, assessor2: sigs.assessor2, elder: sigs.elder },
    submittedAt: row.submitted_at,
    cosignedAt: row.cosigned_at,
    reviewer: user(row.reviewer_id),
    reviewedAt: row.reviewed_at,
    reviewNote: row.review_note,
    nextDue: row.next_due,
    validUntil: row.valid_until,
    verifyCode: row.verify_code,
    can: {
      edit: write && draft && me === row.assessor1_id,
      submit: write && draft && me === row.assessor1_id,
      cosign: write && submitted && row.cosigned_at === null && me !== null && me === row.assessor2_id,
      review: mayDo(scope, 'assessments.review') && submitted && row.cosigned_at !== null && me !== row.assessor1_id && me !== row.assessor2_id,
      correct: write && row.status === 'reviewed' && !corrected,
    },
  };
}

// ---- transactions that may meet a concurrent writer ----

/** A unique index refused a row (SQLite or PostgreSQL): someone else wrote it first. */
function uniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return !!err && (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(err.message ?? ''));
}

/** A row changed under us between read and write: run the request again on what is now stored. */
class Retry extends Error {}

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt < 3 && (e instanceof Retry || uniqueViolation(e))) continue;
      throw e;
    }
  }
}

/** Updates a row only when it is still at the version read; otherwise the request runs again. */
async function updateAt(trx: Trx, row: AssessmentRow, set: Partial<Omit<AssessmentRow, 'id'>>): Promise<void> {
  const r = await trx.updateTable('assessments').set(set).where('id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Retry();
}

// ---- sync ----

export interface SyncResult {
  outcome: 'created' | 'updated' | 'unchanged';
  assessment: AssessmentView;
}

type SyncStep =
  { kind: 'done'; outcome: SyncResult['outcome']; row: AssessmentRow } | { kind: 'conflict'; conflictId: number; row: AssessmentRow; create: boolean };

/**
 * A device's whole draft. baseVersion null creates (the same send again is merged: 'unchanged');
 * baseVersion n edits version n of a draft the sender entered. An edit against an older version,
 * or a create whose device id exists with other content, is kept as a conflict (sealed) and
 * refused with 409: never applied over what is stored.
 */
export async function syncAssessment(ctx: AppContext, scope: Scope, input: Draft): Promise<SyncResult> {
  requireAction(scope, 'assessments.write');
  const d = draftSchema.parse(input);
  checkInstrument(d.instrumentVersion);
  checkAnswers(d.instrumentVersion, d.answers);
  if (!isCivilDate(d.referenceDate)) throw new AppError('ASSESSMENT_DATE_INVALID', { date: d.referenceDate });
  const step = await withRetry(() => ctx.db.transaction().execute((trx) => syncStep(ctx, trx, scope, d)));
  if (step.kind === 'conflict') {
    const details = { conflictId: step.conflictId, serverVersion: step.row.version };
    if (step.create) throw new AppError('ASSESSMENT_DUPLICATE_CLIENT', { current: step.row.version }, details);
    throw new AppError('ASSESSMENT_STALE', { base: d.baseVersion ?? 0, current: step.row.version }, details);
  }
  return { outcome: step.outcome, assessment: await viewOf(ctx, ctx.db, scope, step.row) };
}

async function syncStep(ctx: AppContext, trx: Trx, scope: Scope, d: Draft): Promise<SyncStep> {
  if (!(await personPermitted(trx, scope, d.personId))) throw notFound('person');
  const person = await personFacts(trx, d.personId);
  const existing = await trx.selectFrom('assessments').selectAll().where('client_id', '=', d.clientId).executeTakeFirst();
  const same = (row: AssessmentRow) => canonicalJson(storedBody(ctx, row)) === canonicalJson(draftBody(d));
  const at = nowIso();

  const conflict = async (row: AssessmentRow, create: boolean): Promise<SyncStep> => {
    const c = await trx
      .insertInto('assessment_conflicts')
      .values({
        assessment_id: row.id,
        base_version: d.baseVersion ?? 0,
        server_version: row.version,
        payload_enc: seal(ctx, d),
        by_user: scope.userId ?? 0,
        at,
        resolved_by: null,
        resolved_at: null,
        resolution: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'assessment.conflict',
      entityType: 'assessment',
      entityId: row.id,
      regionCode: row.region_code,
      detail: { conflictId: c.id, baseVersion: d.baseVersion, serverVersion: row.version, personId: row.person_id },
    });
    return { kind: 'conflict', conflictId: c.id, row, create };
  };

  if (existing && existing.assessor1_id !== scope.userId) throw new AppError('ASSESSMENT_NOT_ASSESSOR1');

  if (d.baseVersion === null) {
    if (existing) return same(existing) ? { kind: 'done', outcome: 'unchanged', row: existing } : conflict(existing, true);
    checkDate(d.referenceDate, person.birthDate, true);
    await checkAssessor2(ctx, trx, scope, d.assessor2Id, person.regionCode);
    await checkCorrection(trx, d, null);
    const s = scoreOf(d.instrumentVersion, d);
    const row = await trx
      .insertInto('assessments')
      .values({
        client_id: d.clientId,
        person_id: d.personId,
        region_code: person.regionCode,
        version: 1,
        instrument_version: d.instrumentVersion,
        reference_date: d.referenceDate,
        place: d.place,
        reason: d.reason,
        status: 'draft',
        supersedes_id: d.supersedesId,
        correction_reason: reasonText(d.correctionReason),
        assessor1_id: scope.userId!,
        assessor2_id: d.assessor2Id,
        cosigned_at: null,
        submitted_at: null,
        reviewer_id: null,
        reviewed_at: null,
        review_note: null,
        content_enc: seal(ctx, { answers: d.answers, basic: d.basic, health: d.health, notes: d.notes }),
        signatures_enc: seal(ctx, { assessor1: d.signatures.assessor1, assessor2: null, elder: d.signatures.elder }),
        ...scoreColumns(s),
        next_due: null,
        valid_until: null,
        verify_code: null,
        created_by: scope.userId!,
        created_at: at,
        updated_by: scope.userId!,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'assessment.create',
      entityType: 'assessment',
      entityId: row.id,
      regionCode: row.region_code,
      detail: { personId: d.personId, version: 1, referenceDate: d.referenceDate, answered: s.answered },
    });
    return { kind: 'done', outcome: 'created', row };
  }

  if (!existing) throw new AppError('ASSESSMENT_NOT_FOUND', { id: d.clientId });
  refuseUnlessDraft(existing);
  if (existing.person_id !== d.personId) throw new AppError('ASSESSMENT_PERSON_CHANGED');
  if (same(existing)) return { kind: 'done', outcome: 'unchanged', row: existing };
  if (d.baseVersion !== existing.version) return conflict(existing, false);
  checkDate(d.referenceDate, person.birthDate, false);
  await checkAssessor2(ctx, trx, scope, d.assessor2Id, existing.region_code);
  await checkCorrection(trx, d, existing.id);
  const old = signaturesOf(ctx, existing);
  const s = scoreOf(d.instrumentVersion, d);
  const set = {
    version: existing.version + 1,
    instrument_version: d.instrumentVersion,
    reference_date: d.referenceDate,
    place: d.place,
    reason: d.reason,
    supersedes_id: d.supersedesId,
    correction_reason: reasonText(d.correctionReason),
    assessor2_id: d.assessor2Id,
    content_enc: seal(ctx, { answers: d.answers, basic: d.basic, health: d.health, notes: d.notes }),
    // a co-signature belongs to the second assessor named: a new one signs anew
    signatures_enc: seal(ctx, {
      assessor1: d.signatures.assessor1,
      assessor2: d.assessor2Id === existing.assessor2_id ? old.assessor2 : null,
      elder: d.signatures.elder,
    }),
    ...scoreColumns(s),
    updated_by: scope.userId!,
    updated_at: at,
  };
  await updateAt(trx, existing, set);
  await recordAudit(trx, scope, {
    action: 'assessment.update',
    entityType: 'assessment',
    entityId: existing.id,
    regionCode: existing.region_code,
    detail: { personId: existing.person_id, version: set.version, answered: s.answered },
  });
  return { kind: 'done', outcome: 'updated', row: { ...existing, ...set } };
}

// ---- submit, co-sign, review ----

/** The first assessor hands a complete, signed draft on: every item answered, a second assessor named, both signatures there. */
export async function submitAssessment(ctx: AppContext, scope: Scope, id: number, version: number): Promise<AssessmentView> {
  requireAction(scope, 'assessments.write');
  const row = await withRetry(() =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await visibleRow(trx, scope, id);
      if (row.assessor1_id !== scope.userId) throw new AppError('ASSESSMENT_NOT_ASSESSOR1');
      refuseUnlessDraft(row);
      checkVersion(row, version);
      const content = contentOf(ctx, row);
      const s = scoreOf(row.instrument_version, content);
      if (s.issues.length) throw new AppError('ASSESSMENT_INCOMPLETE', { count: s.issues.length, items: s.issues.map((i) => i.item).join(', ') });
      if (row.assessor2_id === null) throw new AppError('ASSESSMENT_NEEDS_ASSESSOR2');
      await checkAssessor2(ctx, trx, scope, row.assessor2_id, row.region_code);
      const sigs = signaturesOf(ctx, row);
      if (!sigs.assessor1) throw new AppError('ASSESSMENT_SIGNATURE_ASSESSOR1');
      if (!sigs.elder) throw new AppError('ASSESSMENT_SIGNATURE_ELDER');
      const at = nowIso();
      const set = { status: 'submitted', version: row.version + 1, submitted_at: at, ...scoreColumns(s), updated_by: scope.userId!, updated_at: at };
      await updateAt(trx, row, set);
      await recordAudit(trx, scope, {
        action: 'assessment.submit',
        entityType: 'assessment',
        entityId: row.id,
        regionCode: row.region_code,
        detail: { personId: row.person_id, version: set.version, total: s.total, level: s.final },
      });
      return { ...row, ...set };
    }),
  );
  return viewOf(ctx, ctx.db, scope, row);
}

/** The named second assessor co-signs a submitted assessment, once. */
export async function cosignAssessment(ctx: AppContext, scope: Scope, id: number, input: { version: number; signature: string }): Promise<AssessmentView> {
  requireAction(scope, 'assessments.write');
  const row = await withRetry(() =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await visibleRow(trx, scope, id);
      if (row.assessor2_id !== scope.userId) throw new AppError('ASSESSMENT_NOT_ASSESSOR2');
      if (row.status !== 'submitted' || row.cosigned_at !== null) throw new AppError('ASSESSMENT_NOT_AWAITING_COSIGN');
      checkVersion(row, input.version);
      const at = nowIso();
      const sigs = signaturesOf(ctx, row);
      const set = {
        version: row.version + 1,
        cosigned_at: at,
        signatures_enc: seal(ctx, { ...sigs, assessor2: input.signature }),
        updated_by: scope.userId!,
        updated_at: at,
      };
      await updateAt(trx, row, set);
      await recordAudit(trx, scope, {
        action: 'assessment.cosign',
        entityType: 'assessment',
        entityId: row.id,
        regionCode: row.region_code,
        detail: { personId: row.person_id, version: set.version },
      });
      return { ...row, ...set };
    }),
  );
  return viewOf(ctx, ctx.db, scope, row);
}

export async function newVerifyCode(trx: Executor): Promise<string> {
  return (await newVerifyCodes(trx, 1))[0]!;
}

/** `n` new verification codes, none already given (checked in batches: a take-over draws thousands). */
export async function newVerifyCodes(trx: Executor, n: number): Promise<string[]> {
  const out = new Set<string>();
  while (out.size < n) {
    const fresh = new Set<string>();
    while (fresh.size < Math.min(500, n - out.size)) {
      let code = '';
      for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
      if (!out.has(code)) fresh.add(code);
    }
    const taken = await trx
      .selectFrom('assessments')
      .select('verify_code')
      .where('verify_code', 'in', [...fresh])
      .execute();
    for (const t of taken) fresh.delete(t.verify_code!);
    for (const c of fresh) out.add(c);
  }
  return [...out];
}

/**
 * An officer reviews a submitted, co-signed assessment of their area they took no part in.
 * Return (with a note) sends it back to the first assessor as a draft, to be co-signed again.
 * Approve makes it final: due and validity dates, a verification code; and when it is now the
 * person's latest reviewed assessment, its level goes on the person's row and their open requests close.
 */
export async function reviewAssessment(
  ctx: AppContext,
  scope: Scope,
  id: number,
  input: { version: number; decision: 'approve' | 'return'; note: string },
): Promise<AssessmentView> {
  requireAction(scope, 'assessments.review');
  const note = input.note.trim();
  if (input.decision === 'return' && !note) throw new AppError('ASSESSMENT_RETURN_NOTE');
  const row = await withRetry(() =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await visibleRow(trx, scope, id);
      if (!row.region_code.startsWith(scope.regionPrefix)) throw new AppError('ASSESSMENT_NOT_FOUND', { id });
      if (scope.userId !== null && (row.assessor1_id === scope.userId || row.assessor2_id === scope.userId))
        throw new AppError('ASSESSMENT_REVIEWER_IS_ASSESSOR');
      if (row.status === 'reviewed') throw new AppError('ASSESSMENT_REVIEWED');
      if (row.status !== 'submitted' || row.cosigned_at === null) throw new AppError('ASSESSMENT_NOT_READY_FOR_REVIEW');
      checkVersion(row, input.version);
      const at = nowIso();
      if (input.decision === 'return') {
        const sigs = signaturesOf(ctx, row);
        const set = {
          status: 'draft',
          version: row.version + 1,
          submitted_at: null,
          cosigned_at: null,
          signatures_enc: seal(ctx, { ...sigs, assessor2: null }),
          review_note: note,
          updated_by: scope.userId ?? row.updated_by,
          updated_at: at,
        };
        await updateAt(trx, row, set);
        await recordAudit(trx, scope, {
          action: 'assessment.return',
          entityType: 'assessment',
          entityId: row.id,
          regionCode: row.region_code,
          detail: { personId: row.person_id, version: set.version },
        });
        return { ...row, ...set };
      }
      const { birthDate } = await personFacts(trx, row.person_id);
      // the schedule of the county the assessment was made in
      const schedule = scheduleOf(ctx, row.region_code);
      const due = nextDue(birthDate, row.reference_date, schedule);
      const set = {
        status: 'reviewed',
        version: row.version + 1,
        reviewer_id: scope.userId,
        reviewed_at: at,
        review_note: note || null,
        next_due: due,
        valid_until: validUntil(due, schedule),
        verify_code: await newVerifyCode(trx),
        updated_by: scope.userId ?? row.updated_by,
        updated_at: at,
      };
      await updateAt(trx, row, set);
      const latest = await latestReviewed(trx, row.person_id);
      const isLatest = latest?.assessmentId === row.id;
      if (latest)
        await recordCapability(trx, row.person_id, {
          level: latest.level,
          on: latest.referenceDate,
          due: latest.nextDue,
          until: latest.validUntil,
          assessmentId: latest.assessmentId,
        });
      // the requests it fulfils close, and what raised them is told (a visit's reassessment follow-up)
      if (isLatest) await closeOpenRequests(ctx, trx, scope, row.person_id, row.id, at);
      await recordAudit(trx, scope, {
        action: 'assessment.approve',
        entityType: 'assessment',
        entityId: row.id,
        regionCode: row.region_code,
        detail: { personId: row.person_id, version: set.version, level: row.final_level, latest: isLatest, supersedes: row.supersedes_id },
      });
      return { ...row, ...set };
    }),
  );
  return viewOf(ctx, ctx.db, scope, row);
}

// ---- reads ----

export interface ListQuery {
  page: number;
  pageSize: number;
  status?: 'draft' | 'submitted' | 'reviewed';
  personId?: number;
  regionCode?: string;
  filter: 'all' | 'mine' | 'cosign' | 'review' | 'conflicts';
}

/** Assessments in the viewer's area, newest first (an assessor: theirs only), filtered; audited with the persons shown. */
export async function listAssessments(ctx: AppContext, scope: Scope, q: ListQuery): Promise<Page<AssessmentSummary>> {
  requireAction(scope, 'assessments.read');
  let s = scope;
  if (q.regionCode) {
    const r = ctx.regions.get(q.regionCode);
    if (!r) throw new AppError('REGION_UNKNOWN', { region: q.regionCode });
    s = narrowScope(scope, r.code, r.prefix);
  }
  const me = scope.userId ?? -1;
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = trx.selectFrom('assessments').where(inRegion(s, 'assessments.region_code'));
      if (isAssessor(scope)) base = base.where((eb) => eb.or([eb('assessor1_id', '=', me), eb('assessor2_id', '=', me)]));
      if (q.status) base = base.where('status', '=', q.status);
      if (q.personId) base = base.where('person_id', '=', q.personId);
      if (q.filter === 'mine') base = base.where((eb) => eb.or([eb('assessor1_id', '=', me), eb('assessor2_id', '=', me)]));
      if (q.filter === 'cosign') base = base.where('status', '=', 'submitted').where('cosigned_at', 'is', null).where('assessor2_id', '=', me);
      if (q.filter === 'review') base = base.where('status', '=', 'submitted').where('cosigned_at', 'is not', null);
      if (q.filter === 'conflicts')
        base = base.where(({ exists, selectFrom }) =>
          exists(selectFrom('assessment_conflicts as k').select('k.id').whereRef('k.assessment_id', '=', 'assessments.id').where('k.resolved_at', 'is', null)),
        );
      const { n } = await base.select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const { summary } = await labelsFor(ctx, trx, rows);
      return { items: rows.map(summary), total: Number(n), page: q.page, pageSize: q.pageSize };
    },
    (r) => ({
      action: 'assessment.list',
      entityType: 'assessment',
      persons: r.items.map((i) => i.personId),
      detail: { filter: q.filter, count: r.items.length },
    }),
  );
}

/** One assessment, unsealed, with what the viewer may do with it; audited. */
export async function getAssessment(ctx: AppContext, scope: Scope, id: number): Promise<AssessmentView> {
  requireAction(scope, 'assessments.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => viewOf(ctx, trx, scope, await visibleRow(trx, scope, id)),
    (v) => ({ action: 'assessment.read', entityType: 'assessment', entityId: v.id, regionCode: v.regionCode, persons: [v.personId] }),
  );
}

/** The stale edits kept beside an assessment, newest first. */
export async function assessmentConflicts(ctx: AppContext, scope: Scope, id: number) {
  requireAction(scope, 'assessments.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await visibleRow(trx, scope, id);
      const rows = await trx.selectFrom('assessment_conflicts').selectAll().where('assessment_id', '=', id).orderBy('id', 'desc').execute();
      const names = await displayNames(
        trx,
        rows.map((r) => r.by_user),
      );
      return {
        row,
        items: rows.map((c) => ({
          id: c.id,
          assessmentId: c.assessment_id,
          baseVersion: c.base_version,
          serverVersion: c.server_version,
          by: { id: c.by_user, name: names.get(c.by_user) ?? `#${c.by_user}` },
          at: c.at,
          draft: JSON.parse(ctx.cipher.decrypt(c.payload_enc)) as Draft,
          resolvedAt: c.resolved_at,
          resolution: c.resolution as 'kept_server' | 'reapplied' | null,
        })),
      };
    },
    (r) => ({
      action: 'assessment.read',
      entityType: 'assessment',
      entityId: id,
      regionCode: r.row.region_code,
      persons: [r.row.person_id],
      detail: { conflicts: r.items.length },
    }),
  ).then((r) => ({ items: r.items }));
}

/** The first assessor closes a conflict: the stored version kept, or the edit re-entered on it ('reapplied'). */
export async function resolveConflict(ctx: AppContext, scope: Scope, conflictId: number, resolution: 'kept_server' | 'reapplied') {
  requireAction(scope, 'assessments.write');
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('assessment_conflicts').selectAll().where('id', '=', conflictId).executeTakeFirst();
    if (!c) throw notFound('conflict');
    const row = await visibleRow(trx, scope, c.assessment_id).catch(() => {
      throw notFound('conflict');
    });
    if (row.assessor1_id !== scope.userId) throw new AppError('ASSESSMENT_NOT_ASSESSOR1');
    if (c.resolved_at !== null) throw new AppError('CONFLICT_RESOLVED');
    const at = nowIso();
    const r = await trx
      .updateTable('assessment_conflicts')
      .set({ resolved_by: scope.userId, resolved_at: at, resolution })
      .where('id', '=', c.id)
      .where('resolved_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT_RESOLVED');
    await recordAudit(trx, scope, {
      action: 'assessment.resolve_conflict',
      entityType: 'assessment_conflict',
      entityId: c.id,
      regionCode: row.region_code,
      detail: { assessmentId: row.id, resolution, personId: row.person_id },
    });
    return { ok: true };
  });
}

/**
 * The second-assessor picker: active assessors in the viewer's area, and those of the regions above
 * it (a county's assessment organisation), whose area includes the viewer's persons too.
 */
export async function listAssessors(ctx: AppContext, scope: Scope): Promise<{ items: AssessorOption[] }> {
  requireAction(scope, 'assessments.read');
  const above = ctx.regions
    .path(scope.regionCode)
    .map((r) => r.code)
    .filter((c) => c !== scope.regionCode);
  const users = await activeUsersOfRole(ctx.db, 'assessor', scope.regionPrefix, above);
  return { items: users.map((u) => ({ id: u.id, name: u.name, regionCode: u.regionCode, regionName: ctx.regions.get(u.regionCode)?.name ?? u.regionCode })) };
}

/** The profile's section: the current level (and whether it has expired), the LTC grade, when due, an open request, the records. */
export async function personCapability(ctx: AppContext, scope: Scope, personId: number): Promise<PersonCapabilityReply> {
  requireAction(scope, 'assessments.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const latest = await latestReviewed(trx, personId);
      const ltc = (await ltcGrades(trx, [personId])).get(personId) ?? null;
      const [cols] = (await personColumns(trx, ['capability_due', 'birth_date', 'region_code'], [personId])) as {
        capability_due: string | null;
        birth_date: string;
        region_code: string;
      }[];
      const req = await trx
        .selectFrom('assessment_requests')
        .selectAll()
        .where('person_id', '=', personId)
        .where('closed_at', 'is', null)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      let q = trx.selectFrom('assessments').selectAll().where('person_id', '=', personId);
      if (isAssessor(scope)) {
        const me = scope.userId ?? -1;
        q = q.where((eb) => eb.or([eb('assessor1_id', '=', me), eb('assessor2_id', '=', me)]));
      }
      const rows = await q.orderBy('reference_date', 'desc').orderBy('id', 'desc').limit(100).execute();
      const { summary } = await labelsFor(ctx, trx, rows);
      return {
        current: latest ? { ...latest, expired: latest.validUntil < today() } : null,
        ltc,
        // the same due date as the due list's (an 80+ elder never assessed: due from their 80th birthday)
        due: cols ? scheduledDue({ birthDate: cols.birth_date, due: cols.capability_due }, scheduleOf(ctx, cols.region_code), today()) : null,
        openRequest: req ? { id: req.id, reason: req.reason, note: req.note, requestedAt: req.requested_at } : null,
        assessments: rows.map(summary),
      };
    },
    () => ({ action: 'assessment.capability_read', entityType: 'assessment', persons: [personId], detail: { personId } }),
  );
}

// ---- the public check of a printed report ----

const NOT_FOUND_REPLY = { found: false, nameMasked: null, referenceDate: null, finalLevel: null, instrument: null, state: null, validUntil: null } as const;

/** What the public page answers for a report's code: enough to check a paper, nothing more. Audited as anonymous. */
export async function verifyReport(ctx: AppContext, code: string, ip: string | null) {
  const wanted = code.trim().toUpperCase();
  return auditedRead(
    ctx.db,
    anonymousScope('verify', ip),
    async (trx) => {
      const row = await trx.selectFrom('assessments').selectAll().where('verify_code', '=', wanted).where('status', '=', 'reviewed').executeTakeFirst();
      if (!row) return { reply: { ...NOT_FOUND_REPLY }, row: null };
      const name = (await personLabels(trx, [row.person_id])).get(row.person_id)?.name ?? '';
      const latest = await latestReviewed(trx, row.person_id);
      const state: 'current' | 'superseded' | 'expired' =
        latest?.assessmentId !== row.id ? 'superseded' : (row.valid_until ?? '') < today() ? 'expired' : 'current';
      const chars = [...name];
      return {
        row,
        reply: {
          found: true,
          nameMasked: chars.length ? chars[0] + '*'.repeat(Math.max(1, chars.length - 1)) : '',
          referenceDate: row.reference_date,
          finalLevel: row.final_level as AssessmentView['finalLevel'],
          instrument: INSTRUMENTS[row.instrument_version]?.id ?? row.instrument_version,
          state,
          validUntil: row.valid_until,
        },
      };
    },
    (r) => ({
      action: 'assessment.verify',
      entityType: 'assessment',
      entityId: r.row?.id,
      regionCode: r.row?.region_code ?? null,
      persons: r.row ? [r.row.person_id] : [],
      detail: { found: r.row !== null },
    }),
  ).then((r) => r.reply);
}
