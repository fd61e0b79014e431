import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { userScope, type Scope } from '../../platform/scope.js';
import { ageOn, today } from '../../platform/time.js';
import { GBT_42195_2022 } from '../assessment/instrument/gbt-42195-2022.js';
import { assign } from '../assessment/assignments.js';
import { cosignAssessment, submitAssessment, syncAssessment } from '../assessment/assessments.service.js';
import { takeOverReviewedAssessments, type TakenOverAssessment } from '../assessment/takeover.js';
import { addDays } from '../assessment/schedule.js';
import { populationBatch } from '../register/people.js';
import { activeUsersOfRole } from '../users/accounts.js';
import { mulberry32, seedBits } from './generator.js';

type Rng = ReturnType<typeof mulberry32>;

/**
 * The demo county's capability assessments, so that its 80+ coverage, due list and the levels its
 * disability items read are not empty on the first start:
 * - reviewed assessments of earlier months taken over from "the previous system" (about seven in
 *   ten 80+ elders, half of those under 80 with a long-term-care grade, a few others on request),
 *   their reference dates spread over the 16 months before last month, so some are due soon, some overdue and a
 *   few lapsed; each person's level follows their long-term-care grade where they have one;
 * - and, through the same functions the console calls, work in progress in town 1: people assigned
 *   to assessor1, a draft, one waiting for the second assessor's co-signature and one for review.
 */

/** A 1×1 PNG: the demo's (and tests') signatures. */
export const SIGNATURE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const ITEMS = GBT_42195_2022.indicators.flatMap((i) => i.items.map((x) => ({ code: x.code, max: x.options[0]!.score })));

/** Answers adding up to `total`: every item at its best, then points taken off items at random. */
export function answersFor(total: number, rng: Rng): Record<string, number> {
  const a: Record<string, number> = Object.fromEntries(ITEMS.map((i) => [i.code, i.max]));
  let off = 90 - total;
  while (off > 0) {
    const item = ITEMS[Math.floor(rng() * ITEMS.length)]!;
    if (a[item.code]! > 0) {
      a[item.code]!--;
      off--;
    }
  }
  return a;
}

/** A total for someone of this long-term-care grade (none: mostly intact, some mildly impaired). */
function totalFor(ltc: string | null, rng: Rng): number {
  const within = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  if (ltc === 'severe') return rng() < 0.3 ? within(8, 29) : within(30, 45);
  if (ltc === 'moderate') return within(46, 65);
  if (ltc === 'mild') return within(66, 89);
  return rng() < 0.7 ? 90 : within(74, 89);
}

export async function seedDemoAssessments(ctx: AppContext, scope: Scope, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const rng = mulberry32(seedBits(seed) ^ 0x5a55e55);
  const on = today();
  const county = ctx.regions.get(scope.regionCode)!;
  const assessors = await activeUsersOfRole(ctx.db, 'assessor', '');
  const reviewers = await activeUsersOfRole(ctx.db, 'bureau_admin', '');
  const local = assessors.find((a) => a.regionCode !== county.code);
  // by id: assessor2 before assessor3, as the README names them
  const countyWide = assessors.filter((a) => a.regionCode === county.code).sort((a, b) => a.id - b.id);
  if (!local || countyWide.length < 2 || !reviewers.length) return;
  const reviewer = reviewers[0]!;

  const records: TakenOverAssessment[] = [];
  const overdueInTown: number[] = [];
  for (let cursor = 0; ;) {
    const batch = await populationBatch(ctx.handle, ['id', 'birth_date', 'region_code', 'ltc_grade', 'status'], cursor, on, 5000);
    if (!batch.length) break;
    for (const [id, birth, region, ltc, status] of batch as [number, string, string, string | null, string][]) {
      cursor = id;
      if (status !== 'active') continue;
      const age = ageOn(birth, on);
      const share = age >= 80 ? 0.72 : ltc ? 0.5 : 0.03;
      const inTown = region.startsWith(ctx.regions.get(local.regionCode)!.prefix);
      if (rng() >= share) {
        if (age >= 80 && inTown) overdueInTown.push(id);
        continue;
      }
      // before last month: the demo's two runs see the same levels (new ones come from the console)
      const daysAgo = 62 + Math.floor(rng() * (age >= 80 ? 430 : 700));
      const referenceDate = addDays(on, -daysAgo);
      if (referenceDate < birth) continue;
      const [a1, a2] = inTown ? [local.id, countyWide[0]!.id] : [countyWide[0]!.id, countyWide[1]!.id];
      records.push({
        personId: id,
        referenceDate,
        place: rng() < 0.9 ? 'home' : 'hospital',
        reason: age >= 80 ? (rng() < 0.6 ? 'periodic' : 'first') : 'request',
        assessor1Id: a1,
        assessor2Id: a2,
        reviewerId: reviewer.id,
        reviewedAt: `${addDays(referenceDate, Math.min(3, daysAgo))}T02:00:00.000Z`,
        answers: answersFor(totalFor(ltc, rng), rng),
        basic: { dementia: age >= 85 && rng() < 0.04, informant: { name: '', relation: '本人' } },
      });
    }
  }
  const t = Date.now();
  await takeOverReviewedAssessments(ctx, scope, records, '演示：原评估系统导入');
  log(`  capability assessments: ${records.length} reviewed, taken over in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // work in progress in town 1, through the console's own functions
  const town = ctx.regions.get(local.regionCode)!;
  const officer = userScope({ id: reviewer.id, username: 'demo', role: 'bureau_admin' }, { code: county.code, prefix: county.prefix }, null);
  const people = overdueInTown.slice(0, 15);
  if (people.length < 3) return;
  await assign(ctx, officer, { personIds: people, assessorId: local.id, note: '演示：本月入户评估' });
  const me = userScope({ id: local.id, username: 'assessor1', role: 'assessor' }, { code: town.code, prefix: town.prefix }, null, { assignedOnly: true });
  const second = userScope({ id: countyWide[0]!.id, username: 'assessor2', role: 'assessor' }, { code: county.code, prefix: county.prefix }, null, {
    assignedOnly: true,
  });
  const draft = (personId: number, answers: Record<string, number>, signed: boolean) =>
    syncAssessment(ctx, me, {
      clientId: randomUUID(),
      baseVersion: null,
      personId,
      instrumentVersion: GBT_42195_2022.version,
      referenceDate: on,
      place: 'home',
      reason: 'first',
      assessor2Id: countyWide[0]!.id,
      supersedesId: null,
      correctionReason: null,
      answers,
      basic: { informant: { name: '', relation: '本人' } },
      health: {},
      notes: '',
      signatures: signed ? { assessor1: SIGNATURE, elder: { image: SIGNATURE, signer: 'elder', name: '本人' } } : { assessor1: null, elder: null },
    } as never);
  const half = Object.fromEntries(Object.entries(answersFor(70, rng)).slice(0, 12));
  await draft(people[0]!, half, false);
  const waiting = await draft(people[1]!, answersFor(58, rng), true);
  await submitAssessment(ctx, me, waiting.assessment.id, waiting.assessment.version);
  const ready = await draft(people[2]!, answersFor(38, rng), true);
  const submitted = await submitAssessment(ctx, me, ready.assessment.id, ready.assessment.version);
  await cosignAssessment(ctx, second, submitted.id, { version: submitted.version, signature: SIGNATURE });
  log(`  assessments in progress: ${people.length} people assigned to assessor1, a draft, one to co-sign, one to review`);
}
