import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import type { CheckView, ChecksReply, FacilityView } from './facilities.schema.js';
import { facilityRows } from './facilities.service.js';
import { standardsOf, type FacilityStandards } from './facilities.settings.js';
import type { FacilityRow } from './facilities.tables.js';
import { residentFacts } from './residents.js';
import { workingOn } from './staff.js';

/**
 * A facility's checks against the seeds' standards, every figure from the jurisdiction's setting
 * (facilities.settings.ts, where each figure's source paragraph is written):
 * - nursing_share: nursing-type beds ÷ beds of an institution ≥ the minimum (000 §5, 001, 004 §8);
 * - staffing: caregivers (FTE, from the roster) ≥ what the residents' ASSESSED disablement requires
 *   (002 §14 / 001 专栏5), for 特困供养机构 (or every institution, as set);
 * - grade: a private institution doing government work is graded at least 二级 (000 §17, 004 §15);
 * - social_workers: social workers (FTE) per 100 beds (001 target table item 16).
 * Each answers pass / fail / not_applicable with the figures and the rule in both languages.
 */

const pct = (x: number) => Math.round(x * 10) / 10;
const fteText = (hundredths: number) => String(Math.round(hundredths) / 100);
/** The civil date after a YYYY-MM-DD date. */
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function nursingShare(f: FacilityRow, beds: { total: number; nursing: number; dementia: number }, s: FacilityStandards): CheckView {
  const rule = {
    zh: `养老机构护理型床位占比不低于 ${s.nursingBedShareMinPct}%${s.dementiaCountsAsNursing ? '（认知症照护床位计入护理型）' : ''}（启东第5条、如皋规划指标6：75%；常州第8条：80%）`,
    en: `Nursing-type beds at least ${s.nursingBedShareMinPct} % of an institution’s beds${s.dementiaCountsAsNursing ? ' (dementia beds count as nursing-type)' : ''} (Qidong §5, Rugao target 6: 75 %; Changzhou §8: 80 %)`,
  };
  const nursing = beds.nursing + (s.dementiaCountsAsNursing ? beds.dementia : 0);
  if (f.kind !== 'institution' || beds.total === 0)
    return {
      key: 'nursing_share',
      status: 'not_applicable',
      rule,
      figures: { zh: f.kind !== 'institution' ? '非养老机构，不适用' : '尚无床位', en: f.kind !== 'institution' ? 'Not an institution' : 'No beds yet' },
      values: { beds: beds.total, nursingBeds: nursing },
    };
  const share = (nursing * 100) / beds.total;
  const ok = nursing * 100 >= s.nursingBedShareMinPct * beds.total;
  return {
    key: 'nursing_share',
    status: ok ? 'pass' : 'fail',
    rule,
    figures: {
      zh: `床位 ${beds.total} 张，其中护理型 ${nursing} 张，占 ${pct(share)}%（要求不低于 ${s.nursingBedShareMinPct}%）`,
      en: `${beds.total} beds, ${nursing} nursing-type: ${pct(share)} % (at least ${s.nursingBedShareMinPct} % required)`,
    },
    values: { beds: beds.total, nursingBeds: nursing, sharePct: pct(share), minPct: s.nursingBedShareMinPct },
  };
}

interface Counted {
  residents: { disablement: string; assessed: boolean; tekun: boolean }[];
  staff: { role: string; fte_pct: number; started_on: string; ended_on: string | null }[];
}

/** Caregivers required by the residents' tiers, in hundredths of an FTE, rounded as the setting says. */
export function requiredCaregivers(counts: number[], tiers: FacilityStandards['staffingTiers'], rounding: FacilityStandards['rounding']): number {
  if (rounding === 'per_tier') return tiers.reduce((sum, t, i) => sum + Math.ceil(counts[i]! / t.perCaregiver), 0);
  // Σ n_i / r_i rounded up once, in exact integer arithmetic over the common multiple of the ratios
  const l = tiers.reduce((m, t) => lcm(m, t.perCaregiver), 1);
  const units = tiers.reduce((sum, t, i) => sum + counts[i]! * (l / t.perCaregiver), 0);
  return Math.ceil(units / l);
}
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

function staffing(f: FacilityRow, c: Counted, s: FacilityStandards, on: string): CheckView {
  const tierWords = (en: boolean) => s.staffingTiers.map((t) => `${en ? t.label.en : t.label.zh} 1:${t.perCaregiver}`).join(en ? ', ' : '、');
  const rule = {
    zh: `护理人员按入住老人经评估的失能程度配备：${tierWords(false)}（${s.rounding === 'sum' ? '各档相加后向上取整' : '各档分别向上取整'}；${s.partTimeByFte ? '兼职按折算全职计' : '兼职按人头计'}）（南浔第14条；如皋专栏5）`,
    en: `Care staff by the residents’ assessed disablement: ${tierWords(true)} (${s.rounding === 'sum' ? 'tiers summed, then rounded up' : 'each tier rounded up'}; ${s.partTimeByFte ? 'part-timers by FTE' : 'part-timers as heads'}) (Nanxun §14; Rugao plan, box 5)`,
  };
  const applies = f.kind === 'institution' && (s.staffingAppliesTo === 'institutions' || f.hardship_home === 1);
  if (!applies)
    return {
      key: 'staffing',
      status: 'not_applicable',
      rule,
      figures: { zh: '非特困供养机构，不适用', en: 'Not a hardship home (a home for the destitute): not applicable' },
      values: {},
    };
  const counted = s.residentsCounted === 'tekun_only' && f.hardship_home === 1 ? c.residents.filter((r) => r.tekun) : c.residents;
  const counts = s.staffingTiers.map((t) => counted.filter((r) => t.levels.includes(r.disablement as never)).length);
  const unassessed = counted.filter((r) => !r.assessed).length;
  const required = requiredCaregivers(counts, s.staffingTiers, s.rounding);
  const have = c.staff
    .filter((m) => s.caregiverRoles.includes(m.role as never) && workingOn(m, on))
    .reduce((sum, m) => sum + (s.partTimeByFte ? m.fte_pct : 100), 0);
  const ok = have >= required * 100;
  // caregivers who have given notice: they work and count through their last working day, not after it
  const leaving = c.staff.filter((m) => s.caregiverRoles.includes(m.role as never) && workingOn(m, on) && m.ended_on !== null);
  const firstLast = leaving.map((m) => m.ended_on!).sort()[0];
  const after = firstLast
    ? c.staff
        .filter((m) => s.caregiverRoles.includes(m.role as never) && workingOn(m, nextDay(firstLast)))
        .reduce((sum, m) => sum + (s.partTimeByFte ? m.fte_pct : 100), 0)
    : have;
  const leavingFte = leaving.filter((m) => m.ended_on === firstLast).reduce((sum, m) => sum + (s.partTimeByFte ? m.fte_pct : 100), 0);
  const notice = firstLast
    ? {
        zh: `；其中 ${fteText(leavingFte)} 人已办离职（最后工作日 ${firstLast}），此后实有 ${fteText(after)} 人${after < required * 100 && ok ? '，将不达标' : ''}`,
        en: `; ${fteText(leavingFte)} leaving (last working day ${firstLast}), ${fteText(after)} after that${after < required * 100 && ok ? ', short' : ''}`,
      }
    : { zh: '', en: '' };
  const tiers = (en: boolean) => s.staffingTiers.map((t, i) => `${en ? t.label.en : t.label.zh} ${counts[i]}${en ? '' : ' 人'}`).join(en ? ', ' : '、');
  return {
    key: 'staffing',
    status: ok ? 'pass' : 'fail',
    rule,
    figures: {
      zh: `在住 ${counted.length} 人（${tiers(false)}${unassessed ? `；其中 ${unassessed} 人无有效能力评估，按长护险等级或未失能计` : ''}）；应配护理员 ${required} 人，实有 ${fteText(have)} 人${notice.zh}`,
      en: `${counted.length} residents (${tiers(true)}${unassessed ? `; ${unassessed} without an assessment in force, counted by their LTC grade or as not disabled` : ''}); ${required} caregivers required, ${fteText(have)} on the roster${notice.en}`,
    },
    values: {
      residents: counted.length,
      required,
      caregiversFte: have / 100,
      unassessed,
      ...Object.fromEntries(s.staffingTiers.map((t, i) => [`tier_${t.key}`, counts[i]!])),
    },
  };
}

function grade(f: FacilityRow, s: FacilityStandards): CheckView {
  const rule = {
    zh: `承担政府基本养老服务的民办养老机构须达到${['一', '二', '三', '四', '五'][s.governmentWorkMinGrade - 1]}级以上（启东第17条、常州第15条）`,
    en: `Private institutions doing government-purchased work must be grade ${s.governmentWorkMinGrade} or above (Qidong §17, Changzhou §15)`,
  };
  const applies = f.kind === 'institution' && f.government_work === 1 && s.governmentWorkOwnerships.includes(f.ownership as never);
  if (!applies)
    return {
      key: 'grade',
      status: 'not_applicable',
      rule,
      figures:
        f.kind !== 'institution'
          ? { zh: '非养老机构，不适用', en: 'Not an institution: not applicable' }
          : f.government_work !== 1
            ? { zh: '未承担政府购买服务，不适用', en: 'Does no government-purchased work: not applicable' }
            : f.ownership === 'public'
              ? { zh: '公办机构，不适用', en: 'A public institution: not applicable' }
              : { zh: '该所有制不适用', en: 'Not applicable to this ownership' },
      values: {},
    };
  const g = f.grade !== null && /^[1-5]$/.test(f.grade) ? Number(f.grade) : 0;
  return {
    key: 'grade',
    status: g >= s.governmentWorkMinGrade ? 'pass' : 'fail',
    rule,
    figures: {
      zh: g ? `现为${['一', '二', '三', '四', '五'][g - 1]}级，要求不低于${['一', '二', '三', '四', '五'][s.governmentWorkMinGrade - 1]}级` : '尚未评定等级',
      en: g ? `Grade ${g}; at least ${s.governmentWorkMinGrade} required` : 'Not rated',
    },
    values: { grade: g, minGrade: s.governmentWorkMinGrade },
  };
}

function socialWorkers(f: FacilityRow, beds: number, c: Counted, s: FacilityStandards, on: string): CheckView {
  const rule = {
    zh: `每百张养老机构床位配备社会工作者不少于 ${s.socialWorkersPer100Beds} 人（按折算全职计）（如皋规划指标16）`,
    en: `At least ${s.socialWorkersPer100Beds} social worker(s) per 100 institution beds, by FTE (Rugao target 16)`,
  };
  if (f.kind !== 'institution' || beds === 0)
    return {
      key: 'social_workers',
      status: 'not_applicable',
      rule,
      figures: { zh: '非养老机构或尚无床位，不适用', en: 'Not an institution, or no beds' },
      values: {},
    };
  const have = c.staff.filter((m) => m.role === 'social_worker' && workingOn(m, on)).reduce((sum, m) => sum + m.fte_pct, 0);
  // required in hundredths of an FTE: beds × per100 (per 100 beds, ×100 hundredths)
  const required = beds * s.socialWorkersPer100Beds;
  return {
    key: 'social_workers',
    status: have >= required ? 'pass' : 'fail',
    rule,
    figures: {
      zh: `床位 ${beds} 张，应配社会工作者 ${fteText(required)} 人，实有 ${fteText(have)} 人`,
      en: `${beds} beds: ${fteText(required)} social workers required, ${fteText(have)} on the roster`,
    },
    values: { beds, required: required / 100, socialWorkersFte: have / 100 },
  };
}

/** The checks of one facility on a date (default today). The caller has checked the viewer's scope. */
export async function facilityChecks(db: Executor, ctx: AppContext, facilityId: number, on: string = today()): Promise<ChecksReply> {
  const f = await db.selectFrom('facilities').selectAll().where('id', '=', facilityId).executeTakeFirst();
  if (!f) throw new AppError('FACILITY_NOT_FOUND', { id: String(facilityId) });
  return (await checksOfMany(db, ctx, [f], on)).get(facilityId)!;
}

/**
 * The checks of many facilities at once: one grouped read each of beds, stays, staff and the
 * residents' facts for a chunk of facilities, not one round of queries per facility (the bureau's
 * list reads every facility of the county).
 */
export async function checksOfMany(db: Executor, ctx: AppContext, rows: readonly FacilityRow[], on: string = today()): Promise<Map<number, ChecksReply>> {
  // each facility under the standards where it is (its county's, else its city's)
  const standards = new Map<string, ReturnType<typeof standardsOf>>();
  const standardsAt = (regionCode: string) => {
    let s = standards.get(regionCode);
    if (!s) {
      s = standardsOf(ctx, regionCode);
      standards.set(regionCode, s);
    }
    return s;
  };
  const out = new Map<number, ChecksReply>();
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const ids = chunk.map((f) => f.id);
    const bedRows = await db
      .selectFrom('facility_beds')
      .select(['facility_id', 'type', (eb) => eb.fn.countAll<number>().as('n')])
      .where('facility_id', 'in', ids)
      .where('retired_on', 'is', null)
      .groupBy(['facility_id', 'type'])
      .execute();
    const stays = await db
      .selectFrom('facility_stays')
      .select(['facility_id', 'person_id'])
      .where('facility_id', 'in', ids)
      .where('since', '<=', on)
      .where((eb) => eb.or([eb('until_date', 'is', null), eb('until_date', '>', on)]))
      .execute();
    const facts = await residentFacts(
      ctx,
      db,
      stays.map((x) => x.person_id),
      on,
    );
    const staff = await db
      .selectFrom('facility_staff')
      .select(['facility_id', 'role', 'fte_pct', 'started_on', 'ended_on'])
      .where('facility_id', 'in', ids)
      .execute();
    const group = <T extends { facility_id: number }>(list: readonly T[]) => {
      const m = new Map<number, T[]>();
      for (const x of list) {
        const g = m.get(x.facility_id);
        if (g) g.push(x);
        else m.set(x.facility_id, [x]);
      }
      return m;
    };
    const bedsBy = group(bedRows);
    const staysBy = group(stays);
    const staffBy = group(staff);
    for (const f of chunk) {
      const s = standardsAt(f.region_code);
      const by = (t: string) => Number(bedsBy.get(f.id)?.find((b) => b.type === t)?.n ?? 0);
      const beds = { total: by('ordinary') + by('nursing') + by('dementia'), nursing: by('nursing'), dementia: by('dementia') };
      const c: Counted = {
        residents: (staysBy.get(f.id) ?? []).flatMap((x) => {
          const r = facts.get(x.person_id);
          return r ? [r] : [];
        }),
        staff: staffBy.get(f.id) ?? [],
      };
      out.set(f.id, { facilityId: f.id, on, items: [nursingShare(f, beds, s), staffing(f, c, s, on), grade(f, s), socialWorkers(f, beds.total, c, s, on)] });
    }
  }
  return out;
}

/** The facilities of the viewer's area that fail a check today, with the failing checks (the bureau's list). */
export async function failingFacilities(ctx: AppContext, scope: Scope): Promise<{ facility: FacilityView; failing: CheckView[] }[]> {
  requireAction(scope, 'facilities.read');
  const views = (await facilityRows(ctx, scope, {})).filter((f) => f.active);
  const checks = await failingChecks(
    ctx,
    views.map((f) => f.id),
  );
  return views.flatMap((f) => {
    const failing = checks.get(f.id) ?? [];
    return failing.length ? [{ facility: { ...f, failing: failing.map((x) => x.key) }, failing }] : [];
  });
}

/** The failing checks of each facility today. */
async function failingChecks(ctx: AppContext, ids: readonly number[]): Promise<Map<number, CheckView[]>> {
  const rows: FacilityRow[] = [];
  for (let i = 0; i < ids.length; i += 500)
    rows.push(
      ...(await ctx.db
        .selectFrom('facilities')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  const out = new Map<number, CheckView[]>();
  for (const [id, r] of await checksOfMany(ctx.db, ctx, rows))
    out.set(
      id,
      r.items.filter((c) => c.status === 'fail'),
    );
  return out;
}

/** The keys of the failing checks of each facility (for the list's status column). */
export async function failingKeys(ctx: AppContext, ids: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const [id, failing] of await failingChecks(ctx, ids))
    out.set(
      id,
      failing.map((c) => c.key),
    );
  return out;
}
