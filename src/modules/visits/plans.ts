import { sql, type ExpressionBuilder, type Insertable, type Transaction } from 'kysely';
import type { Database, JobRow, RegionRow } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import {
  createJob,
  defineJob,
  executeJob,
  latestJob,
  latestJobOfKind,
  RUNNER,
  runJob,
  runnerGone,
  runningJob,
  SimulatedCrash,
  type JobControl,
} from '../../platform/jobs.js';
import { auditedRead } from '../../platform/reads.js';
import { everywhere, inRegion, narrowScope, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, nowIso, today } from '../../platform/time.js';
import { personFacts } from '../catalogue/person-rules.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted, populationBatch, type PersonLabel } from '../register/people.js';
import { currentWorkers, visitorOnly } from './assignments.js';
import { raiseEscalations } from './escalation.js';
import { compilePlans, heldConditions, planRuleWords, ruleFacts } from './plan-rules.js';
import type { MembersQuery, MembersReply, PersonPlanReply, PlansReply, RateReply } from './plans.schema.js';
import { ratePercent, visitRate, visitRateByRegion } from './rate.js';
import { visitSettingsOf, type VisitPlan } from './visits.settings.js';
import type { VisitDueTable, VisitPlanMemberTable } from './visits.tables.js';
import { dayNumber, plusDays, windowOf } from './windows.js';

/**
 * The plans' refresh: everyone on the register against the jurisdiction's plan rules, in person id
 * order and in batches, as a resumable job (platform/jobs.ts; kind 'visit_plans_refresh', key the
 * civil date refreshed for). Per batch, in one transaction with the job's cursor:
 *
 * - membership: a person is in the first plan whose compiled rule is true (unknown is not true); an
 *   open member who no longer meets any rule leaves ('rule'), one who meets another plan's first
 *   leaves ('plan_changed') and joins that one, one no longer on the register leaves ('closed');
 * - dues: one for each open member for the plan window containing the day (unique person, window
 *   start and plan: a second refresh writes nothing); a leaver's open dues whose window has not
 *   ended are cancelled;
 * - missed: the batch's open dues whose window ended before the day (through the partial index of
 *   open dues, migration 002), in the same transaction as the batch.
 * Then escalation.ts raises the escalations, and one audit entry (the system's, with the counts
 * and no persons) records the refresh. On PostgreSQL a refresh that wrote many dues analyses
 * visit_dues after (stale statistics made the overdue reads slow). Only the changes are written: most people's plan is the same as yesterday's.
 */
export const REFRESH_JOB = 'visit_plans_refresh';

export interface RefreshCounts {
  /** open members after the refresh */
  members: number;
  joined: number;
  left: number;
  /** of those who left, how many joined another plan */
  changed: number;
  /** dues created for the current windows */
  dues: number;
  /** open dues of leavers cancelled */
  cancelled: number;
  missed: number;
  escalations: number;
}

interface RefreshState {
  phase: 'members' | 'missed' | 'escalate';
  cursor: number;
  counts: RefreshCounts;
  /** who asked for it (the audit entry's name) */
  by: string;
  /** the batches mark their persons' missed dues (jobs started before that leave it to the 'missed' phase) */
  batchMissed?: boolean;
}

const zero = (): RefreshCounts => ({ members: 0, joined: 0, left: 0, changed: 0, dues: 0, cancelled: 0, missed: 0, escalations: 0 });

/** The person facts the plans read (catalogue/person-rules.ts personFacts). */
export const planFacts = personFacts;

/** Rows written by a refresh above which PostgreSQL's statistics of the table are renewed. */
const ANALYZE_AFTER = 20_000;

/** Tests of resumption: stop dead (as a killed process would) after this many batches committed. */
export const refreshTuning: { crashAfterBatches?: number } = {};

defineJob<RefreshState>({
  kind: REFRESH_JOB,
  work: (ctx, control) => execute(ctx, control),
});

export interface StartedRefresh {
  jobId: number;
  /** resolves when the refresh has ended here (a failure is recorded in the job) */
  done: Promise<void>;
}

/**
 * Starts (the route) the refresh for `on`: a new job, or the day's job whose process is gone,
 * resumed from its cursor. A refresh of the day running elsewhere: VISIT_REFRESH_BUSY.
 */
export async function startRefresh(ctx: AppContext, scope: Scope, on: string = today()): Promise<StartedRefresh> {
  requireAction(scope, 'visits.refresh');
  const job = await claimOrCreate(ctx, on, scope.username);
  return { jobId: job.id, done: executeJob(ctx, job.id) };
}

/** The daily refresh (and the command line's): runs the day's refresh to its end and returns its counts. */
export async function refreshPlans(ctx: AppContext, on: string): Promise<RefreshCounts> {
  const job = await claimOrCreate(ctx, on, 'system');
  await runJob(ctx, job.id);
  const row = (await latestJob(ctx.db, REFRESH_JOB, on))!;
  return (JSON.parse(row.state) as RefreshState).counts;
}

async function claimOrCreate(ctx: AppContext, on: string, by: string): Promise<JobRow> {
  const running = await runningJob(ctx.db, REFRESH_JOB, on);
  if (running) {
    // its process is gone (or is this one, which carries it on or joins it): resume from its cursor
    if (running.runner === RUNNER || runnerGone(running.runner, running.heartbeat_at)) return running;
    throw new AppError('VISIT_REFRESH_BUSY', { on, id: running.id });
  }
  try {
    return await createJob<RefreshState>(ctx.db, REFRESH_JOB, on, { total: 0, state: { phase: 'members', cursor: 0, counts: zero(), by, batchMissed: true } });
  } catch (e) {
    // two starts at once: the loser's insert fails on the unique lock key
    const busy = await runningJob(ctx.db, REFRESH_JOB, on);
    if (busy) throw new AppError('VISIT_REFRESH_BUSY', { on, id: busy.id });
    throw e;
  }
}

/** The latest refresh (the plans page): when, how it ended and its counts; null before the first. */
export async function lastRefresh(ctx: AppContext): Promise<(RefreshCounts & { at: string; on: string; status: string; jobId: number }) | null> {
  const row = await latestJobOfKind(ctx.db, REFRESH_JOB);
  if (!row) return null;
  const state = JSON.parse(row.state) as RefreshState;
  return { ...zero(), ...state.counts, at: row.finished_at ?? row.heartbeat_at ?? row.created_at, on: row.key, status: row.status, jobId: row.id };
}

type MemberInsert = Insertable<VisitPlanMemberTable>;
type DueInsert = Insertable<VisitDueTable>;
/** An open member as the batch reads it: [id, person_id, plan_key, region_code, joined_on]. */
type Open = [number, number, string, string, string];

/** A jurisdiction's plans as the refresh applies them. */
interface PlanSet {
  plans: ReturnType<typeof compilePlans>;
  planByKey: Map<string, VisitPlan>;
  rolling: boolean;
  fixedWindow: Map<string, ReturnType<typeof windowOf>>;
}

async function execute(ctx: AppContext, control: JobControl<RefreshState>): Promise<void> {
  const on = control.job.key;
  const state = control.state;
  const counts = { ...zero(), ...state.counts };
  // each person against their own jurisdiction's plans (their county's, or the city's it inherits)
  const planSets = new Map<string, PlanSet>();
  const setOfRegion = new Map<string, PlanSet>();
  const planSetOf = (regionCode: string): PlanSet => {
    let set = setOfRegion.get(regionCode);
    if (set) return set;
    const j = ctx.regions.jurisdictionOf(regionCode)?.code ?? '';
    set = planSets.get(j);
    if (!set) {
      const settings = visitSettingsOf(ctx, j);
      const plans = compilePlans(settings.plans);
      set = {
        plans,
        planByKey: new Map(plans.map((p) => [p.plan.key, p.plan])),
        rolling: settings.week === 'rolling',
        // the window of each plan containing `on` (rolling weeks depend on the member: computed per member)
        fixedWindow: new Map(settings.plans.map((p) => [p.key, windowOf(on, p.frequency, settings.week)])),
      };
      planSets.set(j, set);
    }
    setOfRegion.set(regionCode, set);
    return set;
  };
  // every jurisdiction a region belongs to: the facts are read for all their plans
  for (const r of ctx.regions.all()) planSetOf(r.code);
  if (!planSets.size) planSetOf('');
  const isUrban = (code: string) => ctx.regions.isUrban(code);
  const facts = planFacts(on.slice(0, 7), isUrban, new Set([...planSets.values()].flatMap((s) => s.plans.flatMap((p) => p.facts))));
  const { build, columns: COLUMNS, status: STATUS, region: REGION } = facts;
  const noParams = {};
  const anyRolling = [...planSets.values()].some((s) => s.rolling);
  const dayOn = dayNumber(on);
  const batchSize = ctx.config.runBatchSize;
  const created = nowIso();
  let cursor = state.cursor;
  let done = control.job.done;

  if (state.phase === 'members') {
    for (;;) {
      const rows = await populationBatch(ctx.handle, COLUMNS, cursor, on, batchSize);
      const last = rows.length === batchSize ? (rows[rows.length - 1]![0] as number) : null;
      const openRows = (await ctx.handle.selectArrays(
        inRange(
          ctx.db.selectFrom('visit_plan_members').select(['id', 'person_id', 'plan_key', 'region_code', 'joined_on']).where('left_on', 'is', null),
          'person_id',
          cursor,
          last,
        ).compile(),
      )) as Open[];
      const open = new Map<number, Open>();
      for (const m of openRows) open.set(m[1], m);

      // the dues of the current windows already there: person → [plan_key, window_start, status, id]
      const duesNow = new Map<number, [string, string, string, number][]>();
      const dueRows = (await ctx.handle.selectArrays(
        inRange(
          ctx.db
            .selectFrom('visit_dues')
            .select(['person_id', 'plan_key', 'window_start', 'status', 'id'])
            // by the person range (the unique index): `|| ''` keeps SQLite's planner, once the
            // table is analysed, from skip-scanning the region index over everyone's current dues
            .where(sql<string>`window_end || ''`, '>=', on)
            .where('window_start', '<=', on),
          'person_id',
          cursor,
          last,
        ).compile(),
      )) as [number, string, string, string, number][];
      for (const d of dueRows) {
        const list = duesNow.get(d[0]);
        if (list) list.push([d[1], d[2], d[3], d[4]]);
        else duesNow.set(d[0], [[d[1], d[2], d[3], d[4]]]);
      }
      // rolling weeks: the day after each member's last counted visit
      const lastDone = new Map<number, string>();
      if (anyRolling) {
        const q = inRange(
          ctx.db
            .selectFrom('visit_dues')
            .select(['member_id', (eb) => eb.fn.max('done_on').as('d')])
            .where('status', '=', 'done')
            .groupBy('member_id'),
          'person_id',
          cursor,
          last,
        );
        for (const r of await q.execute()) if (r.d) lastDone.set(r.member_id, r.d);
      }

      const leave: Record<'rule' | 'plan_changed' | 'closed', Open[]> = { rule: [], plan_changed: [], closed: [] };
      const joins: MemberInsert[] = [];
      /** [member id, person id, the person's region now] */
      const moved: [number, number, string][] = [];
      const dues: DueInsert[] = [];
      const reopen: [number, number][] = [];
      /** persons who joined (their member id is known after the insert) with their window */
      const joinDues: { person: number; region: string; key: string; set: PlanSet }[] = [];
      let members = 0;

      const needDue = (set: PlanSet, memberId: number | null, person: number, region: string, key: string, joinedOn: string) => {
        const plan = set.planByKey.get(key)!;
        let w = set.fixedWindow.get(key)!;
        if (set.rolling && plan.frequency === 'weekly') {
          const after = memberId === null ? undefined : lastDone.get(memberId);
          const anchor = after ? plusDays(after, 1) : joinedOn;
          // visited today: the next window starts tomorrow
          if (dayNumber(anchor) > dayOn) return;
          w = windowOf(on, 'weekly', 'rolling', anchor);
        }
        const have = duesNow.get(person);
        if (have) {
          for (const d of have) {
            if (d[0] !== key || d[1] !== w.start) continue;
            // the person left and came back within the window: their cancelled due counts again
            if (d[2] === 'cancelled' && memberId !== null) reopen.push([d[3], memberId]);
            return;
          }
        }
        if (memberId === null) {
          joinDues.push({ person, region, key, set });
          return;
        }
        dues.push({
          member_id: memberId,
          person_id: person,
          region_code: region,
          plan_key: key,
          window_start: w.start,
          window_end: w.end,
          due_date: w.end,
          high_risk: plan.highRisk ? 1 : 0,
          status: 'open',
          event_id: null,
          done_on: null,
          created_at: created,
        });
      };

      for (const r of rows) {
        const person = r[0] as number;
        const region = r[REGION] as string;
        const set = planSetOf(region);
        let target: string | null = null;
        const active = r[STATUS] === 'active';
        if (active) {
          const f = build(r);
          for (const p of set.plans) {
            if (p.test(f, noParams) === true) {
              target = p.plan.key;
              break;
            }
          }
        }
        const cur = open.get(person);
        if (cur) open.delete(person);
        if (cur && cur[2] === target) {
          members++;
          if (cur[3] !== region) moved.push([cur[0], person, region]);
          needDue(set, cur[0], person, region, target, cur[4]);
          continue;
        }
        if (cur) leave[!active ? 'closed' : target === null ? 'rule' : 'plan_changed'].push(cur);
        if (target !== null) {
          const plan = set.planByKey.get(target)!;
          members++;
          joins.push({
            person_id: person,
            region_code: region,
            plan_key: target,
            frequency: plan.frequency,
            modes: JSON.stringify(plan.modes),
            high_risk: plan.highRisk ? 1 : 0,
            rule: plan.rule,
            joined_on: on,
            left_on: null,
            left_reason: null,
          });
          needDue(set, null, person, region, target, on);
        }
      }
      // open members no longer in the population (closed before the day, or gone from the register)
      for (const m of open.values()) leave.closed.push(m);

      const leavers = [...leave.rule, ...leave.plan_changed, ...leave.closed];
      const nextCursor = rows.length ? (rows[rows.length - 1]![0] as number) : cursor;
      const next = { ...counts };
      await ctx.db.transaction().execute(async (trx) => {
        // first: the claim (on PostgreSQL this locks the job's row against another runner)
        await control.progress(trx, { done, state: { ...state, phase: 'members', cursor, counts } });
        for (const reason of ['rule', 'plan_changed', 'closed'] as const) {
          const ids = leave[reason].map((m) => m[0]);
          for (let i = 0; i < ids.length; i += 500) {
            await trx
              .updateTable('visit_plan_members')
              .set({ left_on: on, left_reason: reason })
              .where('id', 'in', ids.slice(i, i + 500))
              .execute();
          }
        }
        let cancelled = 0;
        for (let i = 0; i < leavers.length; i += 500) {
          const chunk = leavers.slice(i, i + 500);
          // by person first: the dues' index is on the person (there is none on the member)
          const res = await trx
            .updateTable('visit_dues')
            .set({ status: 'cancelled' })
            .where(
              'person_id',
              'in',
              chunk.map((m) => m[1]),
            )
            .where(
              'member_id',
              'in',
              chunk.map((m) => m[0]),
            )
            .where('status', '=', 'open')
            .where('window_end', '>=', on)
            .executeTakeFirst();
          cancelled += Number(res.numUpdatedRows);
        }
        for (const [id, person, region] of moved) {
          await trx.updateTable('visit_plan_members').set({ region_code: region }).where('id', '=', id).execute();
          await trx
            .updateTable('visit_dues')
            .set({ region_code: region })
            .where('person_id', '=', person)
            .where('member_id', '=', id)
            .where('status', '=', 'open')
            .execute();
        }
        await ctx.handle.insertMany(trx, 'visit_plan_members', joins);
        if (joinDues.length) {
          // the new members' ids: the open memberships that started today in this range
          const ids = new Map<number, number>();
          const q = inRange(
            trx.selectFrom('visit_plan_members').select(['id', 'person_id']).where('left_on', 'is', null).where('joined_on', '=', on),
            'person_id',
            cursor,
            last,
          );
          for (const m of await q.execute()) ids.set(m.person_id, m.id);
          for (const j of joinDues) {
            const plan = j.set.planByKey.get(j.key)!;
            const w = j.set.rolling && plan.frequency === 'weekly' ? windowOf(on, 'weekly', 'rolling', on) : j.set.fixedWindow.get(j.key)!;
            dues.push({
              member_id: ids.get(j.person)!,
              person_id: j.person,
              region_code: j.region,
              plan_key: j.key,
              window_start: w.start,
              window_end: w.end,
              due_date: w.end,
              high_risk: plan.highRisk ? 1 : 0,
              status: 'open',
              event_id: null,
              done_on: null,
              created_at: created,
            });
          }
        }
        for (const [id, member] of reopen) {
          await trx.updateTable('visit_dues').set({ status: 'open', member_id: member }).where('id', '=', id).where('status', '=', 'cancelled').execute();
        }
        if (ctx.handle.dialect === 'postgres') await insertDuesPg(trx, dues);
        else await ctx.handle.insertMany(trx, 'visit_dues', dues);
        // the batch's open dues whose window ended before the day: missed (by person, through the
        // partial index of open dues; the literal lets SQLite use it)
        const missed = await inRange(
          trx
            .updateTable('visit_dues')
            .set({ status: 'missed' })
            .where(sql<boolean>`status = 'open'`)
            .where('window_end', '<', on),
          'person_id',
          cursor,
          last,
        ).executeTakeFirst();
        next.missed += Number(missed.numUpdatedRows);
        next.cancelled += cancelled;
        next.dues += dues.length + reopen.length;
        next.joined += joins.length;
        next.left += leavers.length;
        next.changed += leave.plan_changed.length;
        next.members += members;
        // the cursor and counts committed with the batch they describe
        await control.progress(trx, { done: done + rows.length, state: { ...state, phase: 'members', cursor: nextCursor, counts: next } });
      });
      Object.assign(counts, next);
      cursor = nextCursor;
      done += rows.length;
      if (refreshTuning.crashAfterBatches !== undefined && --refreshTuning.crashAfterBatches <= 0) {
        refreshTuning.crashAfterBatches = undefined;
        throw new SimulatedCrash('visit plans refresh stopped after a batch');
      }
      if (last === null) break;
      // let requests in between batches
      await new Promise((r) => setImmediate(r));
    }
    await ctx.db.transaction().execute((trx) => control.progress(trx, { done, state: { ...state, phase: 'missed', cursor, counts } }));
    state.phase = 'missed';
  }

  if (state.phase === 'missed') {
    await ctx.db.transaction().execute(async (trx) => {
      // a job started before the batches marked their persons' missed dues: all at once here
      if (!state.batchMissed) {
        const res = await trx
          .updateTable('visit_dues')
          .set({ status: 'missed' })
          .where(sql<boolean>`status = 'open'`)
          .where('window_end', '<', on)
          .executeTakeFirst();
        counts.missed += Number(res.numUpdatedRows);
      }
      await control.progress(trx, { done, state: { ...state, phase: 'escalate', cursor, counts } });
    });
    state.phase = 'escalate';
  }

  if (ctx.handle.dialect === 'postgres') {
    // after a large change (a month's turn, a first refresh) the planner's statistics are stale:
    // the escalations' and the overdue reads' plans depend on them
    if (counts.dues + counts.missed + counts.cancelled > ANALYZE_AFTER) await sql`analyze visit_dues`.execute(ctx.db);
    if (counts.joined + counts.left > ANALYZE_AFTER) await sql`analyze visit_plan_members`.execute(ctx.db);
  }
  counts.escalations = await raiseEscalations(ctx, on);
  await ctx.db.transaction().execute(async (trx) => {
    await control.progress(trx, { done, total: done, state: { ...state, phase: 'escalate', cursor, counts } });
    await recordAudit(trx, everywhere(state.by), {
      action: 'visits.plans_refresh',
      entityType: 'visit_refresh',
      entityId: control.job.id,
      detail: { on, ...counts },
    });
    await control.finish(trx);
  });
}

/**
 * PostgreSQL: the batch's new dues in one statement of a column array each (unnest), not a VALUES
 * list of 60,000 parameters: far less to send, parse and plan (a month's turn inserts 500,000).
 */
async function insertDuesPg(trx: Transaction<Database>, dues: DueInsert[]): Promise<void> {
  if (!dues.length) return;
  const col = <T>(f: (d: DueInsert) => T) => dues.map(f);
  await sql`insert into visit_dues (member_id, person_id, region_code, plan_key, window_start, window_end, due_date, high_risk, status, event_id, done_on, created_at)
    select * from unnest(${col((d) => d.member_id)}::integer[], ${col((d) => d.person_id)}::integer[], ${col((d) => d.region_code)}::text[],
      ${col((d) => d.plan_key)}::text[], ${col((d) => d.window_start)}::text[], ${col((d) => d.window_end)}::text[], ${col((d) => d.due_date)}::text[],
      ${col((d) => d.high_risk)}::integer[], ${col((d) => d.status)}::text[], ${col((d) => d.event_id ?? null)}::integer[],
      ${col((d) => d.done_on ?? null)}::text[], ${col((d) => d.created_at)}::text[])`.execute(trx);
}

/** Restricts a query to person ids in (after, upTo] — upTo null: no upper bound (the last batch). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any select query over a table with the column
function inRange<Q extends { where: (...a: any[]) => Q }>(q: Q, column: string, after: number, upTo: number | null): Q {
  let out = q.where(sql.ref(column), '>', after);
  if (upTo !== null) out = out.where(sql.ref(column), '<=', upTo);
  return out;
}

// ---- what the plans' routes answer (plans.routes.ts) ----

const wordsCache = new Map<string, { zh: string; en: string }>();
/** A rule in words (cached: a list repeats the same few rules); the rule text itself if it no longer reads. */
export function ruleWords(rule: string): { zh: string; en: string } {
  let w = wordsCache.get(rule);
  if (!w) {
    try {
      w = planRuleWords(rule);
    } catch {
      w = { zh: rule, en: rule };
    }
    if (wordsCache.size > 200) wordsCache.clear();
    wordsCache.set(rule, w);
  }
  return w;
}

/** The plans in order with their rules in words and their open members in the viewer's region; the settings; the last refresh. */
export async function plansOverview(ctx: AppContext, scope: Scope): Promise<PlansReply> {
  requireAction(scope, 'visits.read');
  const s = visitSettingsOf(ctx, scope.regionCode);
  let q = ctx.db
    .selectFrom('visit_plan_members')
    .select(['plan_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('left_on', 'is', null)
    .where(inRegion(scope, 'visit_plan_members.region_code'));
  if (visitorOnly(scope)) q = q.where('person_id', 'in', assignedTo(scope));
  const counts = new Map((await q.groupBy('plan_key').execute()).map((r) => [r.plan_key, Number(r.n)]));
  return {
    plans: s.plans.map((p) => ({
      key: p.key,
      label: p.label,
      rule: p.rule,
      ruleWords: ruleWords(p.rule),
      frequency: p.frequency,
      modes: p.modes,
      highRisk: p.highRisk,
      source: p.source,
      members: counts.get(p.key) ?? 0,
    })),
    settings: { week: s.week, minMinutes: s.minMinutes, escalateAfter: s.escalateAfter, rateTargetPercent: s.rateTargetPercent },
    lastRefresh: await lastRefresh(ctx),
  };
}

/** The ids of the persons assigned to the viewer now (a grid worker's or volunteer's lists). */
function assignedTo(scope: Scope) {
  const me = scope.userId ?? -1;
  return (eb: ExpressionBuilder<Database, 'visit_plan_members'>) =>
    eb
      .selectFrom('visit_assignments')
      .select('visit_assignments.person_id')
      .where('visit_assignments.worker_id', '=', me)
      .where('visit_assignments.ended_at', 'is', null);
}

/** The viewer's region, or one of its regions named by a filter (404 outside it). */
export function regionOf(ctx: AppContext, scope: Scope, code: string | undefined): { scope: Scope; region: RegionRow | undefined } {
  if (code === undefined) return { scope, region: ctx.regions.get(scope.regionCode) ?? ctx.regions.top() };
  const region = ctx.regions.get(code);
  if (!region || !regionInScope(scope, region.code)) throw new AppError('VISIT_REGION_NOT_FOUND', { region: code });
  return { scope: narrowScope(scope, region.code, region.prefix), region };
}

/** Larger candidate lists are not searched by name (a county's members): narrow by region first. */
const SEARCH_MAX = 50_000;

/**
 * The open members of the plans in the viewer's region (a grid worker or volunteer: the persons
 * assigned to them), by region then person; audited with the persons shown.
 */
export async function listMembers(ctx: AppContext, scope: Scope, q: MembersQuery): Promise<MembersReply> {
  requireAction(scope, 'visits.read');
  const within = regionOf(ctx, scope, q.region).scope;
  // the plans of the jurisdictions the list covers (a city officer's: the city's and each county's)
  const keys = [...new Set(ctx.regions.jurisdictionsWithin(within.regionCode).flatMap((j) => visitSettingsOf(ctx, j.code).plans.map((p) => p.key)))];
  if (!keys.length) keys.push(...visitSettingsOf(ctx, within.regionCode).plans.map((p) => p.key));
  if (q.plan !== undefined && !keys.includes(q.plan)) throw new AppError('VISIT_PLAN_UNKNOWN', { plan: q.plan, plans: keys.join(', ') });
  const on = today();
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = trx.selectFrom('visit_plan_members').where('left_on', 'is', null).where(inRegion(within, 'visit_plan_members.region_code'));
      if (q.plan !== undefined) base = base.where('plan_key', '=', q.plan);
      if (visitorOnly(scope)) base = base.where('person_id', 'in', assignedTo(scope));
      const cols = ['person_id', 'region_code', 'plan_key', 'frequency', 'joined_on', 'rule'] as const;
      let rows;
      let total: number;
      let labels: Map<number, PersonLabel>;
      if (q.q === undefined) {
        total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        rows = total
          ? await base
              .select(cols)
              .orderBy('region_code')
              .orderBy('person_id')
              .limit(q.pageSize)
              .offset((q.page - 1) * q.pageSize)
              .execute()
          : [];
        labels = await personLabels(
          trx,
          rows.map((r) => r.person_id),
        );
      } else {
        const all = await base.select(cols).orderBy('region_code').orderBy('person_id').limit(SEARCH_MAX).execute();
        labels = await personLabels(
          trx,
          all.map((r) => r.person_id),
        );
        const needle = q.q;
        const hits = all.filter((r) => {
          const l = labels.get(r.person_id);
          return l !== undefined && (l.name.includes(needle) || l.idMasked.includes(needle));
        });
        total = hits.length;
        rows = hits.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
      }
      const workers = await currentWorkers(
        trx,
        rows.map((r) => r.person_id),
      );
      const items = rows.map((r) => {
        const l = labels.get(r.person_id);
        const w = workers.get(r.person_id);
        return {
          personId: r.person_id,
          name: l?.name ?? '',
          ...(l ? { idMasked: l.idMasked } : {}),
          regionCode: r.region_code,
          regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
          age: l ? ageOn(l.birthDate, on) : 0,
          planKey: r.plan_key,
          frequency: r.frequency as 'weekly' | 'monthly',
          joinedOn: r.joined_on,
          why: ruleWords(r.rule),
          worker: w ? { id: w.workerId, name: w.name } : null,
        };
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },
    (r) => ({
      action: 'visits.members_read',
      entityType: 'person',
      fields: ['name', 'idNumber', 'birthDate', 'visitPlan'],
      detail: { plan: q.plan ?? null, region: q.region ?? null, q: q.q ?? null, page: q.page, total: r.total },
      persons: r.items.map((i) => i.personId),
    }),
  );
}

/** A person's plan memberships (newest first) and their last 12 dues; audited. 404 outside the viewer's reach. */
export async function personVisitPlan(ctx: AppContext, scope: Scope, personId: number): Promise<PersonPlanReply> {
  requireAction(scope, 'visits.read');
  if (!(await personPermitted(ctx.db, scope, personId))) throw notFound('person');
  // a membership's plan as its jurisdiction names it (where the person was when they joined or last moved)
  const labelOf = (regionCode: string, key: string) => visitSettingsOf(ctx, regionCode).plans.find((p) => p.key === key)?.label ?? null;
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const ms = await trx.selectFrom('visit_plan_members').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
      const ds = await trx
        .selectFrom('visit_dues')
        .selectAll()
        .where('person_id', '=', personId)
        .orderBy('window_end', 'desc')
        .orderBy('id', 'desc')
        .limit(12)
        .execute();
      const memberships = ms.map((m) => ({
        id: m.id,
        planKey: m.plan_key,
        planLabel: labelOf(m.region_code, m.plan_key),
        frequency: m.frequency as 'weekly' | 'monthly',
        modes: JSON.parse(m.modes) as ('home' | 'phone' | 'video' | 'message')[],
        highRisk: m.high_risk === 1,
        regionCode: m.region_code,
        joinedOn: m.joined_on,
        leftOn: m.left_on,
        leftReason: m.left_reason as 'rule' | 'plan_changed' | 'closed' | null,
        rule: m.rule,
        ruleWords: ruleWords(m.rule),
      }));
      const current = memberships.find((m) => m.leftOn === null) ?? null;
      return {
        personId,
        current,
        why: current ? await whyInPlan(ctx, trx, personId, current.rule) : [],
        memberships,
        dues: ds.map((d) => ({
          id: d.id,
          planKey: d.plan_key,
          windowStart: d.window_start,
          windowEnd: d.window_end,
          dueDate: d.due_date,
          status: d.status as 'open' | 'done' | 'missed' | 'cancelled',
          doneOn: d.done_on,
          eventId: d.event_id,
          highRisk: d.high_risk === 1,
        })),
      };
    },
    () => ({ action: 'visits.person_plan_read', entityType: 'person', entityId: personId, fields: ['visitPlan', 'visitDues'], persons: [personId] }),
  );
}

/** What of the person's facts today makes the rule of their plan true (its conditions that hold, in words). */
async function whyInPlan(ctx: AppContext, db: Transaction<Database>, personId: number, rule: string): Promise<{ zh: string; en: string }[]> {
  const on = today();
  const f = planFacts(on.slice(0, 7), (code) => ctx.regions.get(code)?.kind === 'community', ruleFacts(rule));
  const [row] = await personColumns(db, f.columns, [personId]);
  if (!row) return [];
  return heldConditions(rule, f.build(f.columns.map((c) => row[c])));
}

/**
 * The month's visit rate (rate.ts, the one formula) over the viewer's region or a region of it,
 * with a row per child region (rows add up to the total; dues recorded on the region itself, not
 * a child, get a row of their own). A grid worker or volunteer: their own people's rate.
 */
export async function rateOfRegion(ctx: AppContext, scope: Scope, q: { month?: string; region?: string }): Promise<RateReply> {
  requireAction(scope, 'visits.read');
  const on = today();
  const month = q.month ?? on.slice(0, 7);
  const { scope: within, region } = regionOf(ctx, scope, q.region);
  const opts = visitorOnly(scope) ? { workerId: scope.userId ?? -1 } : {};
  const total = await visitRate(ctx.db, within, month, on, opts);
  const byCode = await visitRateByRegion(ctx.db, within, month, on, opts);
  const children = region ? ctx.regions.all().filter((r) => r.parent_code === region.code) : [];
  children.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const sums = new Map<string, { due: number; done: number }>();
  const own = { due: 0, done: 0 };
  for (const [code, c] of byCode) {
    const child = children.find((r) => code.startsWith(r.prefix));
    if (!child) {
      own.due += c.due;
      own.done += c.done;
      continue;
    }
    const s = sums.get(child.code) ?? { due: 0, done: 0 };
    s.due += c.due;
    s.done += c.done;
    sums.set(child.code, s);
  }
  const rows = children
    .filter((r) => regionInScope(within, r.code))
    .map((r) => {
      const c = sums.get(r.code) ?? { due: 0, done: 0 };
      return { regionCode: r.code, name: r.name, ...c, percent: ratePercent(c.done, c.due) };
    });
  if (own.due > 0 || !children.length) {
    const code = region?.code ?? within.regionCode;
    rows.push({ regionCode: code, name: region?.name ?? code, ...own, percent: ratePercent(own.done, own.due) });
  }
  return {
    month,
    on,
    targetPercent: visitSettingsOf(ctx, region?.code ?? within.regionCode).rateTargetPercent,
    regionCode: region?.code ?? within.regionCode,
    total,
    rows,
  };
}
