import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, previousPeriod, today } from '../../platform/time.js';
import { eventsOf } from '../care-events/care-events.service.js';
import { personPermitted, personLabels } from '../register/people.js';
import { personColumns } from '../register/history.queries.js';
import { displayNames } from '../users/accounts.js';
import { FINDING_GROUPS, FINDINGS, FOLLOWUP_KINDS, type FindingGroup, type FollowupKind } from './findings.js';
import { visitRate } from './rate.js';
import type { FindingsReply, PersonVisitsReply, TodayItem, TodayReply } from './record.schema.js';
import { visitSettingsOf, type VisitMode } from './visits.settings.js';

/**
 * The worker's list for today (GET /api/visits/today) and what the phone caches offline with it;
 * the checklist (GET /api/visits/findings); a person's visits for the profile tab
 * (GET /api/persons/:id/visits).
 */

type Trx = Transaction<Database>;

/** How far back the list looks for a person's last visit and last missed window. */
const LOOKBACK_DAYS = 400;

const addDays = (on: string, days: number) => new Date(Date.parse(`${on}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const MODE_WORDS: Record<VisitMode, { zh: string; en: string }> = {
  home: { zh: '上门探访', en: 'Home visit' },
  phone: { zh: '电话探访', en: 'Phone call' },
  video: { zh: '视频探访', en: 'Video call' },
  message: { zh: '消息', en: 'Message' },
};

/** The persons on the viewer's list: a worker's or volunteer's assigned people; a village head's, the village's plan members. */
async function listedPersons(trx: Trx, scope: Scope): Promise<number[]> {
  if (scope.role === 'village_head') {
    const rows = await trx.selectFrom('visit_plan_members').select('person_id').where('left_on', 'is', null).where(inRegion(scope, 'region_code')).execute();
    return [...new Set(rows.map((r) => r.person_id))];
  }
  const rows = await trx
    .selectFrom('visit_assignments')
    .select('person_id')
    .where('worker_id', '=', scope.userId ?? -1)
    .where('ended_at', 'is', null)
    .where(inRegion(scope, 'region_code'))
    .execute();
  return [...new Set(rows.map((r) => r.person_id))];
}

const TAG_COLUMNS = ['living_alone', 'empty_nest', 'left_behind', 'solitary', 'special_family'] as const;

async function todayItems(ctx: AppContext, trx: Trx, scope: Scope, on: string): Promise<TodayItem[]> {
  const ids = await listedPersons(trx, scope);
  if (!ids.length) return [];
  const dues = await trx
    .selectFrom('visit_dues')
    .select(['id', 'member_id', 'person_id', 'plan_key', 'window_start', 'window_end', 'status', 'high_risk'])
    .where('person_id', 'in', ids)
    .where('window_end', '>=', addDays(on, -LOOKBACK_DAYS))
    .where('window_start', '<=', on)
    .where('status', '!=', 'cancelled')
    .orderBy('window_end', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const byPerson = new Map<number, typeof dues>();
  for (const d of dues) byPerson.set(d.person_id, [...(byPerson.get(d.person_id) ?? []), d]);

  type Due = (typeof dues)[number];
  const unvisited = (d: Due) => d.status === 'missed' || d.status === 'open';
  /** The last ended window left unvisited, and how many ended windows in a row before today were (newest first). */
  const missedRun = (list: Due[]): { window: { start: string; end: string } | null; inRow: number } => {
    const ended = list.filter((d) => d.window_end < on || d.status === 'missed');
    let inRow = 0;
    while (inRow < ended.length && unvisited(ended[inRow]!)) inRow++;
    const last = inRow > 0 ? ended[0]! : null;
    return { window: last ? { start: last.window_start, end: last.window_end } : null, inRow };
  };
  const chosen: { due: Due; status: TodayItem['status']; missed: ReturnType<typeof missedRun> }[] = [];
  const none = { window: null, inRow: 0 };
  for (const list of byPerson.values()) {
    const current = list.find((d) => d.window_start <= on && d.window_end >= on && d.status !== 'missed');
    const past = list.find((d) => d.window_end < on);
    const pastMissed = !!past && unvisited(past);
    if (current) {
      const status = current.status === 'done' ? 'done' : pastMissed ? 'missed' : 'open';
      chosen.push({ due: current, status, missed: status === 'missed' ? missedRun(list.filter((d) => d !== current)) : none });
    } else {
      // no due for this window yet (the plans not refreshed): the last one left open or missed
      const overdue = list.find(unvisited);
      if (overdue) {
        const status = overdue.window_end < on || overdue.status === 'missed' ? 'missed' : 'open';
        chosen.push({ due: overdue, status, missed: status === 'missed' ? missedRun(list.filter((d) => d.window_end <= overdue.window_end)) : none });
      }
    }
  }
  if (!chosen.length) return [];
  const personIds = chosen.map((c) => c.due.person_id);
  const members = new Map(
    (
      await trx
        .selectFrom('visit_plan_members')
        .select(['id', 'frequency', 'modes'])
        .where('id', 'in', [...new Set(chosen.map((c) => c.due.member_id))])
        .execute()
    ).map((m) => [m.id, m]),
  );
  const labels = await personLabels(trx, personIds);
  const columns = new Map(
    (await personColumns(trx, ['id', 'region_code', 'phone_masked', 'hardship', 'disability_grade', 'capability_level', ...TAG_COLUMNS], personIds)).map(
      (r) => [Number(r.id), r],
    ),
  );
  const lastVisits = new Map<number, { on: string; mode: string; findings: string[] }>();
  for (const e of await eventsOf(trx, { personIds, kind: 'visit', status: ['recorded', 'confirmed'], from: `${addDays(on, -LOOKBACK_DAYS)}T00:00:00Z` })) {
    if (!lastVisits.has(e.personId)) lastVisits.set(e.personId, { on: today(new Date(e.startedAt)), mode: e.mode, findings: e.findings });
  }

  const items: TodayItem[] = [];
  for (const { due, status, missed } of chosen) {
    const label = labels.get(due.person_id);
    const col = columns.get(due.person_id);
    if (!label || !col) continue;
    const member = members.get(due.member_id);
    // the plan and least minutes of the person's county
    const settings = visitSettingsOf(ctx, String(col.region_code));
    const plan = settings.plans.find((p) => p.key === due.plan_key);
    const modes = (member ? (JSON.parse(member.modes) as VisitMode[]) : (plan?.modes ?? [])).filter((m): m is VisitMode => m in MODE_WORDS);
    const tags: string[] = TAG_COLUMNS.filter((c) => Number(col[c]) === 1);
    if (col.hardship && col.hardship !== 'none') tags.push(`hardship:${String(col.hardship)}`);
    if (col.disability_grade) tags.push(`disability:${String(col.disability_grade)}`);
    items.push({
      dueId: due.id,
      personId: due.person_id,
      name: label.name,
      sex: label.sex,
      age: ageOn(label.birthDate, on),
      regionCode: String(col.region_code),
      regionName: ctx.regions.get(String(col.region_code))?.name ?? String(col.region_code),
      phoneMasked: (col.phone_masked as string | null) ?? null,
      tags,
      capabilityLevel: (col.capability_level as string | null) ?? null,
      planKey: due.plan_key,
      planLabel: plan?.label ?? { zh: due.plan_key, en: due.plan_key },
      frequency: (member?.frequency ?? plan?.frequency ?? 'monthly') as 'weekly' | 'monthly',
      modes,
      minMinutes: Object.fromEntries(modes.map((m) => [m, settings.minMinutes[m]])),
      windowStart: due.window_start,
      windowEnd: due.window_end,
      status,
      highRisk: due.high_risk === 1,
      missedWindow: missed.window,
      missedInRow: missed.inRow,
      lastVisit: lastVisits.get(due.person_id) ?? null,
    });
  }
  const order = { missed: 0, open: 1, done: 2 } as const;
  return items.sort(
    (a, b) => order[a.status] - order[b.status] || Number(b.highRisk) - Number(a.highRisk) || a.windowEnd.localeCompare(b.windowEnd) || a.personId - b.personId,
  );
}

/** GET /api/visits/today: the viewer's people with a due in the current window, missed ones first; audited naming them. */
export async function visitsToday(ctx: AppContext, scope: Scope): Promise<TodayReply> {
  requireAction(scope, 'visits.record');
  const on = today();
  const names = await displayNames(ctx.db, [scope.userId]);
  const worker = { id: scope.userId ?? 0, name: names.get(scope.userId ?? 0) ?? scope.username };
  const whose = scope.role === 'village_head' ? {} : { workerId: scope.userId ?? -1 };
  const rate = await visitRate(ctx.db, scope, on.slice(0, 7), on, whose);
  const lastMonth = previousPeriod(on.slice(0, 7));
  const rateLastMonth = { month: lastMonth, ...(await visitRate(ctx.db, scope, lastMonth, on, whose)) };
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => ({ on, worker, rate, rateLastMonth, items: await todayItems(ctx, trx, scope, on) }),
    (r) => ({ action: 'visit.today', regionCode: scope.regionCode, persons: r.items.map((i) => i.personId) }),
  );
}

/**
 * GET /api/visits/findings: the checklist, the follow-up kinds and the modes with their least minutes
 * (the viewer's jurisdiction's: a grid worker's county). Nobody's data.
 */
export function visitFindings(ctx: AppContext, scope: Scope): FindingsReply {
  const settings = visitSettingsOf(ctx, scope.regionCode);
  return {
    groups: (Object.keys(FINDING_GROUPS) as FindingGroup[]).map((key) => ({ key, label: FINDING_GROUPS[key] })),
    findings: FINDINGS.map((f) => ({ code: f.code, group: f.group, zh: f.zh, en: f.en, suggests: f.suggests })),
    // issue 18 (alarms-rules): a welfare check is raised by the platform, not from a visit
    followupKinds: (Object.keys(FOLLOWUP_KINDS) as FollowupKind[]).filter((key) => key !== 'welfare_check').map((key) => ({ key, label: FOLLOWUP_KINDS[key] })),
    modes: (Object.keys(MODE_WORDS) as VisitMode[]).map((key) => ({ key, label: MODE_WORDS[key], minMinutes: settings.minMinutes[key] })),
    photoMaxBytes: settings.photoMaxBytes,
  };
}

/** GET /api/persons/:id/visits: the person's visits (verified events) and dues, newest first; audited. */
export async function personVisits(ctx: AppContext, scope: Scope, personId: number): Promise<PersonVisitsReply> {
  requireAction(scope, 'visits.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const events = await eventsOf(trx, { personId, kind: 'visit', limit: 200 });
      const dues = await trx
        .selectFrom('visit_dues')
        .select(['id', 'plan_key', 'window_start', 'window_end', 'status', 'done_on', 'event_id'])
        .where('person_id', '=', personId)
        .orderBy('window_end', 'desc')
        .orderBy('id', 'desc')
        .limit(60)
        .execute();
      const closedBy = new Map<number, number>();
      for (const d of dues) if (d.event_id !== null) closedBy.set(d.event_id, d.id);
      const performers = await displayNames(
        trx,
        events.map((e) => e.performerId),
      );
      return {
        visits: events.map((e) => ({
          id: e.id,
          mode: e.mode,
          startedAt: e.startedAt,
          endedAt: e.endedAt,
          minutes: e.durationMinutes,
          performer: performers.has(e.performerId) ? { id: e.performerId, name: performers.get(e.performerId)! } : null,
          performerRole: e.performerRole,
          findings: e.findings,
          status: e.status,
          confirmedKind: e.confirmedKind,
          photos: e.photos,
          dueId: e.sourceId,
          counted: closedBy.has(e.id),
        })),
        dues: dues.map((d) => ({
          id: d.id,
          planKey: d.plan_key,
          windowStart: d.window_start,
          windowEnd: d.window_end,
          status: d.status as 'open' | 'done' | 'missed' | 'cancelled',
          doneOn: d.done_on,
          eventId: d.event_id,
        })),
      };
    },
    () => ({ action: 'visit.person_visits', entityType: 'person', entityId: personId, persons: [personId] }),
  );
}
