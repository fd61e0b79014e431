import { DEMO_COUNTY } from './regions.js';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { hashPassword } from '../../platform/auth.js';
import { userScope, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { openAccount } from '../timebank/accounts.js';
import { activeUsersOfRole, insertAccounts } from '../users/accounts.js';
import { assign } from '../visits/assignments.js';
import { openDuesOn, openMembers } from '../visits/dues.queries.js';
import { refreshPlans } from '../visits/plans.js';
import { recordVisit } from '../visits/record.js';
import { plusDays } from '../visits/windows.js';
import { mulberry32, seedBits } from './generator.js';
import { DEMO_PASSWORD, demoAccounts } from './seed.js';

type Rng = ReturnType<typeof mulberry32>;

/**
 * The demo county's visit programme, so that plans, lists, the monthly rate, overdue lists and an
 * escalation are there on the first start — made through the same functions the console calls:
 * - every village and community gets its grid worker (grid1 in village 1; `grid` + the village's
 *   code elsewhere, same password), who is assigned the village's plan members; in village 1 the
 *   volunteer vol1 takes a few of grid1's people, and has a time-bank account the hours of the visits
 *   the elders confirm on the phone go to;
 * - the plans are refreshed week by week over the last two weeks, and after each refresh the
 *   workers visit most of the open dues on a day of the window that has passed (home visits,
 *   phone and video calls of plausible lengths, findings from the checklist), so about nine in ten
 *   closed windows were visited in time;
 * - one high-risk elder of village 1 is not visited for the two weeks before this one, so the
 *   village head (head1) and the hotline find an escalation on the first day.
 */
export async function seedDemoVisits(ctx: AppContext, scope: Scope, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const rng = mulberry32(seedBits(seed) ^ 0x7151e5);
  const on = today();
  const t0 = Date.now();
  const workers = await villageWorkers(ctx);
  const officer = scope;
  // the volunteer's time-bank account, so that the hours of visits the elders confirm are deposited
  if (workers.volunteer) await openAccount(ctx, scope, { holder: { userId: workers.volunteer.id } });

  // two weeks back, then each week to today: the plans as they stood, then that week's visits
  const steps = [14, 7, 0].map((d) => plusDays(on, -d));
  let skipped: number | null = null;
  let visits = 0;
  for (const [i, day] of steps.entries()) {
    await refreshPlans(ctx, day);
    if (i === 0) {
      await assignVillages(ctx, officer, workers);
      skipped = await pickEscalated(ctx, workers);
    } else {
      // those who joined since: to their village's worker
      await assignVillages(ctx, officer, workers, true);
    }
    const last = i === steps.length - 1;
    for (const due of await openDuesOn(ctx.db, day, scope.regionPrefix)) {
      // the high-risk elder left unvisited for the two windows before this week's
      if (due.personId === skipped && !last && i >= steps.length - 3) continue;
      // closed windows: most were visited; this week's: a third so far
      if (rng() > (last ? 0.35 : 0.9)) continue;
      const worker = workers.byPerson.get(due.personId);
      if (!worker) continue;
      let start: Date;
      if (last) {
        // this week's so far: earlier today, inside the window
        start = new Date(Date.now() - (30 + Math.floor(rng() * 240)) * 60_000);
        if (today(start) < due.windowStart) continue;
      } else {
        const end = due.windowEnd < on ? due.windowEnd : plusDays(on, -1);
        if (end < due.windowStart || end < day) continue;
        const first = day > due.windowStart ? day : due.windowStart;
        const span = Math.max(0, (Date.parse(end) - Date.parse(first)) / 86_400_000);
        const date = plusDays(first, Math.floor(rng() * (span + 1)));
        // between 09:00 and 17:00 Beijing time (UTC+8)
        start = new Date(`${date}T${String(1 + Math.floor(rng() * 8)).padStart(2, '0')}:${String(Math.floor(rng() * 60)).padStart(2, '0')}:00Z`);
      }
      await visit(ctx, worker, due.personId, start, due.modes, rng);
      visits++;
    }
  }
  log(`  visits: ${visits} recorded over two weeks (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

interface Worker {
  id: number;
  username: string;
  role: 'grid_worker' | 'volunteer';
  regionCode: string;
}

interface Workers {
  /** village code → its grid worker */
  byVillage: Map<string, Worker>;
  volunteer: Worker | null;
  /** person → the worker who visits them (as assigned) */
  byPerson: Map<number, Worker>;
}

/** A grid worker per village and community: grid1 where it lives, one account per other village. */
async function villageWorkers(ctx: AppContext): Promise<Workers> {
  const existing = await activeUsersOfRole(ctx.db, 'grid_worker', '');
  const villages = ctx.regions.all().filter((r) => r.level === 'village' && r.code.startsWith(DEMO_COUNTY));
  const have = new Set(existing.map((w) => w.regionCode));
  const hash = await hashPassword(DEMO_PASSWORD);
  const missing = villages.filter((v) => !have.has(v.code));
  if (missing.length) {
    await insertAccounts(
      ctx.db,
      missing.map((v) => ({
        username: `grid${v.code.slice(-6)}`,
        role: 'grid_worker',
        displayName: `${v.name}网格员`,
        regionCode: v.code,
        passwordHash: hash,
      })),
      nowIso(),
    );
  }
  const all = await activeUsersOfRole(ctx.db, 'grid_worker', '');
  const named = new Map(demoAccounts().map((a) => [`${a.role}:${a.regionCode}`, a.username]));
  const username = (role: string, code: string) => named.get(`${role}:${code}`) ?? `grid${code.slice(-6)}`;
  const byVillage = new Map<string, Worker>();
  for (const w of all.sort((a, b) => a.id - b.id))
    if (!byVillage.has(w.regionCode))
      byVillage.set(w.regionCode, { id: w.id, username: username('grid_worker', w.regionCode), role: 'grid_worker', regionCode: w.regionCode });
  const vol = (await activeUsersOfRole(ctx.db, 'volunteer', ''))[0];
  return {
    byVillage,
    volunteer: vol ? { id: vol.id, username: username('volunteer', vol.regionCode), role: 'volunteer', regionCode: vol.regionCode } : null,
    byPerson: new Map(),
  };
}

/** Assigns each village's plan members to its worker (only the unassigned when `newOnly`); vol1 takes every eighth of its village's. */
async function assignVillages(ctx: AppContext, officer: Scope, workers: Workers, newOnly = false): Promise<void> {
  const members = await openMembers(ctx.db, officer.regionPrefix);
  const byWorker = new Map<number, number[]>();
  let n = 0;
  for (const m of members) {
    if (newOnly && workers.byPerson.has(m.personId)) continue;
    const grid = workers.byVillage.get(m.regionCode);
    if (!grid) continue;
    const vol = workers.volunteer && workers.volunteer.regionCode === m.regionCode && n++ % 8 === 7 && !m.highRisk ? workers.volunteer : null;
    const w = vol ?? grid;
    workers.byPerson.set(m.personId, w);
    byWorker.set(w.id, [...(byWorker.get(w.id) ?? []), m.personId]);
  }
  for (const [workerId, personIds] of byWorker) {
    for (let i = 0; i < personIds.length; i += 500) await assign(ctx, officer, { personIds: personIds.slice(i, i + 500), workerId, note: '演示数据' });
  }
}

/** The high-risk member of village 1 whose last two windows go unvisited (the escalation the demo shows). */
async function pickEscalated(ctx: AppContext, workers: Workers): Promise<number | null> {
  const village = demoAccounts().find((a) => a.username === 'grid1')!.regionCode;
  const grid1 = workers.byVillage.get(village);
  const members = await openMembers(ctx.db, village);
  return members.find((m) => m.highRisk && workers.byPerson.get(m.personId) === grid1)?.personId ?? null;
}

const FINDINGS_OK = ['health.ok', 'safety.ok', 'living.ok', 'needs.none'];
const FINDINGS_SOME = ['health.worse', 'health.mood', 'living.food', 'needs.meal', 'needs.cleaning', 'safety.gas', 'needs.medical'];

async function visit(ctx: AppContext, worker: Worker, personId: number, start: Date, modes: string[], rng: Rng): Promise<void> {
  const region = ctx.regions.get(worker.regionCode)!;
  const scope = userScope({ id: worker.id, username: worker.username, role: worker.role }, { code: region.code, prefix: region.prefix }, null, {
    organisationId: null,
    assignedOnly: worker.role === 'volunteer',
  });
  const r = rng();
  const mode = r < 0.6 && modes.includes('home') ? 'home' : r < 0.9 && modes.includes('phone') ? 'phone' : modes.includes('video') ? 'video' : modes[0]!;
  const minutes = mode === 'home' ? 12 + Math.floor(rng() * 35) : 6 + Math.floor(rng() * 12);
  // a visit of earlier today has ended by now
  const latest = Date.now() - 60_000;
  if (start.getTime() + minutes * 60_000 > latest) start = new Date(latest - minutes * 60_000);
  const end = new Date(start.getTime() + minutes * 60_000);
  const troubled = rng() < 0.12;
  const findings = troubled ? [FINDINGS_SOME[Math.floor(rng() * FINDINGS_SOME.length)]!] : FINDINGS_OK;
  await recordVisit(ctx, scope, {
    clientId: randomUUID(),
    personId,
    mode,
    startedAt: start.toISOString(),
    endedAt: end.toISOString(),
    findings,
    notes: null,
    // a volunteer's visits are confirmed by the elder on the phone: their hours go to the time bank
    confirmation: worker.role === 'volunteer' ? { kind: 'person', note: null } : null,
    followups: [],
  });
}
