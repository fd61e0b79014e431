import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { recordCapability } from '../register/capability.js';
import { personColumns } from '../register/history.queries.js';
import { basicInfo, healthInfo, type AssessmentPlace, type AssessmentReason } from './assessment.schema.js';
import { scheduleOf, type AssessmentSchedule } from './assessment.settings.js';
import type { Insertable } from 'kysely';
import type { AssessmentTable } from './assessment.tables.js';
import { newVerifyCodes, scoreColumns, scoreOf, seal } from './assessments.service.js';
import { CURRENT_VERSION } from './instrument/index.js';
import { nextDue, validUntil } from './schedule.js';

/**
 * Reviewed assessments taken over from the system a county used before (paper forms keyed in, an
 * assessment organisation's own software): on the day a county starts, its 80+ coverage and the
 * levels its entitlements depend on are not zero. Each is scored again with the one scorer (a record
 * whose answers are incomplete or out of range is refused whole), gets its due and validity dates
 * from the jurisdiction's schedule and a verification code, and the latest per person goes on the
 * person's row. The demo county is seeded through it. One audit entry for the batch.
 */
export interface TakenOverAssessment {
  personId: number;
  referenceDate: string;
  place: AssessmentPlace;
  reason: AssessmentReason;
  assessor1Id: number;
  assessor2Id: number;
  reviewerId: number;
  /** when it was reviewed in the earlier system */
  reviewedAt: string;
  answers: Record<string, number>;
  basic?: Partial<ReturnType<typeof basicInfo.parse>>;
  health?: Partial<ReturnType<typeof healthInfo.parse>>;
  notes?: string;
}

const CHUNK = 500;

export async function takeOverReviewedAssessments(ctx: AppContext, scope: Scope, records: readonly TakenOverAssessment[], source: string): Promise<number> {
  // each person's county's schedule
  const schedules = new Map<string, AssessmentSchedule>();
  const scheduleAt = (regionCode: string) => {
    let s = schedules.get(regionCode);
    if (!s) {
      s = scheduleOf(ctx, regionCode);
      schedules.set(regionCode, s);
    }
    return s;
  };
  const on = today();
  await ctx.db.transaction().execute(async (trx) => {
    const persons = new Map<number, { region: string; birth: string }>();
    const ids = [...new Set(records.map((r) => r.personId))];
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const p of (await personColumns(trx, ['id', 'region_code', 'birth_date'], ids.slice(i, i + CHUNK))) as {
        id: number;
        region_code: string;
        birth_date: string;
      }[])
        persons.set(p.id, { region: p.region_code, birth: p.birth_date });
    const at = nowIso();
    const rows: Insertable<AssessmentTable>[] = [];
    for (const [i, r] of records.entries()) {
      const p = persons.get(r.personId);
      if (!p) throw new AppError('ASSESSMENT_TAKEOVER_INVALID', { row: i + 1, problem: { zh: '没有这个人', en: 'no such person' } });
      if (r.referenceDate > on || r.referenceDate < p.birth)
        throw new AppError('ASSESSMENT_TAKEOVER_INVALID', {
          row: i + 1,
          problem: { zh: `评估日期 ${r.referenceDate} 不合理`, en: `reference date ${r.referenceDate} is impossible` },
        });
      const content = { answers: r.answers, basic: basicInfo.parse(r.basic ?? {}), health: healthInfo.parse(r.health ?? {}), notes: r.notes ?? '' };
      const s = scoreOf(CURRENT_VERSION, content);
      if (s.issues.length)
        throw new AppError('ASSESSMENT_TAKEOVER_INVALID', {
          row: i + 1,
          problem: {
            zh: `答案不完整或超出范围（${s.issues.map((x) => x.item).join('、')}）`,
            en: `answers missing or out of range (${s.issues.map((x) => x.item).join(', ')})`,
          },
        });
      const schedule = scheduleAt(p.region);
      const due = nextDue(p.birth, r.referenceDate, schedule);
      rows.push({
        client_id: `takeover:${source}:${r.personId}:${r.referenceDate}`,
        person_id: r.personId,
        region_code: p.region,
        version: 1,
        instrument_version: CURRENT_VERSION,
        reference_date: r.referenceDate,
        place: r.place,
        reason: r.reason,
        status: 'reviewed',
        supersedes_id: null,
        correction_reason: null,
        assessor1_id: r.assessor1Id,
        assessor2_id: r.assessor2Id,
        cosigned_at: r.reviewedAt,
        submitted_at: r.reviewedAt,
        reviewer_id: r.reviewerId,
        reviewed_at: r.reviewedAt,
        review_note: `${source}`,
        content_enc: seal(ctx, content),
        signatures_enc: null,
        ...scoreColumns(s),
        next_due: due,
        valid_until: validUntil(due, schedule),
        verify_code: null,
        created_by: r.assessor1Id,
        created_at: at,
        updated_by: r.reviewerId,
        updated_at: at,
      });
    }
    const codes = await newVerifyCodes(trx, rows.length);
    rows.forEach((row, i) => (row.verify_code = codes[i]!));
    for (let i = 0; i < rows.length; i += CHUNK) await ctx.handle.insertMany(trx, 'assessments', rows.slice(i, i + CHUNK));
    // the latest per person among those taken over goes on the row, unless the row holds a later one
    const latest = new Map<number, Insertable<AssessmentTable>>();
    for (const row of rows) {
      const l = latest.get(row.person_id);
      if (!l || row.reference_date >= l.reference_date) latest.set(row.person_id, row);
    }
    const current = new Map<number, string | null>();
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const p of (await personColumns(trx, ['id', 'capability_on'], ids.slice(i, i + CHUNK))) as { id: number; capability_on: string | null }[])
        current.set(p.id, p.capability_on);
    const idOf = new Map<string, number>();
    for (let i = 0; i < rows.length; i += CHUNK)
      for (const r of await trx
        .selectFrom('assessments')
        .select(['id', 'client_id'])
        .where(
          'client_id',
          'in',
          rows.slice(i, i + CHUNK).map((r) => r.client_id),
        )
        .execute())
        idOf.set(r.client_id, r.id);
    for (const [personId, row] of latest) {
      const on = current.get(personId);
      if (on && on > row.reference_date) continue;
      await recordCapability(trx, personId, {
        level: row.final_level!,
        on: row.reference_date,
        due: row.next_due!,
        until: row.valid_until!,
        assessmentId: idOf.get(row.client_id)!,
      });
    }
    await recordAudit(trx, scope, {
      action: 'assessment.take_over',
      entityType: 'assessment',
      regionCode: scope.regionCode,
      detail: { source, assessments: records.length, persons: ids.length },
    });
  });
  return records.length;
}
