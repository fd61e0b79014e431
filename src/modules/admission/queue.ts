import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/tables.js';
import type { Facts } from '../../lib/rules/compile.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { personFacts } from '../catalogue/person-rules.js';
import { facilityById } from '../facilities/directory.js';
import { personColumns } from '../register/history.queries.js';
import { admissionSettingsOf, type AdmissionSettings } from './admission.settings.js';
import { compileRanking, type Placement, type RankedApplicant, type Ranking } from './ranking.js';

/**
 * Recomputing a queue (one facility, one bed type) inside the transaction of what changed it: an
 * application arriving, leaving (withdrawn, admitted, declined), a declined offer sending its
 * family to the back, or the daily refresh (facts change). Every open application (waiting or
 * offered) is placed by rule (ranking.ts) from its person's facts today; the positions, tiers and
 * preference that changed are written, each change of place gets a row with its reason in words,
 * and one audit entry records the reordering (counts, no persons). On PostgreSQL the facility's
 * queues are locked for the transaction (two arrivals at once would both count from the same
 * order).
 */
export type QueueEvent =
  | { cause: 'arrived'; id: number }
  | { cause: 'left'; id: number; why: 'withdrawn' | 'admitted' | 'declined' }
  | { cause: 'declined_back'; id: number }
  | { cause: 'refresh' };

export const QUEUE_LOCK = 19_002;
export const OPEN = ['waiting', 'offered'] as const;

type W = { zh: string; en: string };

export interface Placed extends RankedApplicant {
  personId: number;
  status: string;
  position: number | null;
  oldTier: number | null;
  oldPreferred: boolean;
  tierKey: string | null;
}

/** The facts today of the given people, for a ranking's rules (through the register's public function). */
export async function factsOf(
  ctx: AppContext,
  db: Executor,
  ranking: { facts: ReadonlySet<string> },
  personIds: readonly number[],
): Promise<Map<number, Facts>> {
  const on = today();
  const f = personFacts(on.slice(0, 7), (code) => ctx.regions.get(code)?.kind === 'community', ranking.facts);
  const rows = await personColumns(db, f.columns, personIds);
  const out = new Map<number, Facts>();
  for (const r of rows) out.set(r.id as number, r.status === 'active' ? f.build(f.columns.map((c) => r[c])) : {});
  return out;
}

/** The queue in order, placed by rule (no writes). */
export async function placeQueue(
  ctx: AppContext,
  db: Executor,
  ranking: Ranking,
  settings: AdmissionSettings,
  facilityId: number,
  bedType: string,
): Promise<Placed[]> {
  const rows = await db
    .selectFrom('admission_applications')
    .select(['id', 'person_id', 'queue_on', 'status', 'position', 'tier', 'preferred'])
    .where('facility_id', '=', facilityId)
    .where('bed_type', '=', bedType)
    .where('status', 'in', [...OPEN])
    .execute();
  const facts = await factsOf(
    ctx,
    db,
    ranking,
    rows.map((r) => r.person_id),
  );
  const none: Placement = { tier: null, rank: settings.tiers.length, preferred: false };
  const placed: Placed[] = rows.map((r) => {
    const f = facts.get(r.person_id);
    const p = f ? ranking.place(f) : none;
    return {
      id: r.id,
      personId: r.person_id,
      queueOn: r.queue_on,
      status: r.status,
      position: r.position,
      oldTier: r.tier,
      oldPreferred: r.preferred === 1,
      ...p,
      tierKey: p.tier === null ? null : settings.tiers[p.tier]!.key,
    };
  });
  placed.sort(ranking.compare);
  return placed;
}

const moveWords = (n: number, back: boolean): W =>
  back ? { zh: `您后移${n}位`, en: `you move back ${n} place${n > 1 ? 's' : ''}` } : { zh: `您前移${n}位`, en: `you move up ${n} place${n > 1 ? 's' : ''}` };

const LEFT: Record<'withdrawn' | 'admitted' | 'declined', W> = {
  withdrawn: { zh: '排在您前面的申请人已撤回申请', en: 'An applicant ahead of you withdrew' },
  admitted: { zh: '排在您前面的申请人已入住', en: 'An applicant ahead of you was admitted' },
  declined: { zh: '排在您前面的申请人放弃入住', en: 'An applicant ahead of you declined the bed' },
};

/**
 * The reason one application's place changed, in words. `other` is the application the event is
 * about (the one that arrived or left), when it is not this one.
 */
export function reasonFor(e: QueueEvent, me: Placed, from: number | null, to: number, other: Placed | null, s: AdmissionSettings): W {
  const delta = from === null ? 0 : Math.abs(to - from);
  const back = from !== null && to > from;
  const move = moveWords(delta, back);
  const tierLabel = (p: Placed) => (p.tier === null ? { zh: '一般申请人', en: 'general applicant' } : s.tiers[p.tier]!.label);
  if (from === null) {
    const t = tierLabel(me);
    return {
      zh: `申请已进入轮候（${t.zh}${me.preferred ? '，同等条件下优先' : ''}），排在第${to}位`,
      en: `The application joined the queue (${t.en}${me.preferred ? ', preferred among equals' : ''}) at place ${to}`,
    };
  }
  if (e.cause !== 'refresh' && e.id === me.id && e.cause === 'declined_back') {
    return {
      zh: `您放弃了提供的床位，按规定排到本优先级末尾，现排在第${to}位`,
      en: `You declined the bed offered and go to the back of your tier, now at place ${to}`,
    };
  }
  if (me.tier !== me.oldTier || me.preferred !== me.oldPreferred) {
    const t = tierLabel(me);
    return {
      zh: `您的情况变化：现属于“${t.zh}”${me.preferred ? '，同等条件下优先' : ''}，${move.zh}`,
      en: `Your circumstances changed: now “${t.en}”${me.preferred ? ', preferred among equals' : ''}; ${move.en}`,
    };
  }
  if (e.cause === 'arrived' && other) {
    const who: W =
      other.rank < me.rank
        ? { zh: '一位更高优先级的申请人加入', en: 'An applicant of a higher priority joined' }
        : other.preferred && !me.preferred
          ? { zh: '一位同一优先级且属于同等条件下优先对象的申请人加入', en: 'An applicant of the same priority who is preferred among equals joined' }
          : { zh: '一位同一优先级、申请日期更早的申请人加入', en: 'An applicant of the same priority who applied earlier joined' };
    return { zh: `${who.zh}，${move.zh}`, en: `${who.en}; ${move.en}` };
  }
  if (e.cause === 'left') return { zh: `${LEFT[e.why].zh}，${move.zh}`, en: `${LEFT[e.why].en}; ${move.en}` };
  if (e.cause === 'declined_back')
    return {
      zh: `排在您前面的申请人放弃入住并排到其优先级末尾，${move.zh}`,
      en: `An applicant ahead of you declined and went to the back of their tier; ${move.en}`,
    };
  return { zh: `其他申请人的情况或轮候排序规则变化，${move.zh}`, en: `Other applicants' circumstances or the queue rules changed; ${move.en}` };
}

/** Words of an application leaving the queue (its own last change row). */
export const LEAVING: Record<'withdrawn' | 'admitted' | 'declined' | 'elsewhere', W> = {
  elsewhere: { zh: '已入住其他机构，申请自动撤回，退出轮候', en: 'Admitted to another institution: the application was withdrawn and left the queue' },
  withdrawn: { zh: '申请已撤回，退出轮候', en: 'The application was withdrawn and left the queue' },
  admitted: { zh: '已入住，退出轮候', en: 'Admitted: left the queue' },
  declined: { zh: '放弃入住，退出轮候', en: 'Declined the bed: left the queue' },
};

export interface RequeueCounts {
  open: number;
  moved: number;
}

/**
 * The queue rules of a facility: those of the jurisdiction the facility is in (its county's, or
 * the city's it inherits), one set for everyone in its queue wherever they live. `fallbackRegion`
 * when the facility is not found (a tracking miss explains nobody's placement all the same).
 */
export async function queueSettingsOf(ctx: AppContext, db: Executor, facilityId: number, fallbackRegion = ''): Promise<AdmissionSettings> {
  const f = await facilityById(db, facilityId);
  return admissionSettingsOf(ctx, f?.regionCode ?? fallbackRegion);
}

/** Rows per statement (well under both databases' parameter limits). */
const CHUNK = 1000;

/**
 * Recomputes one queue in `trx`. `leaving` (the application that left, already closed by the
 * caller) gets its own change row to no place.
 */
export async function requeue(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  facilityId: number,
  bedType: string,
  e: QueueEvent,
  leaving?: { id: number; from: number | null; why: 'withdrawn' | 'admitted' | 'declined' | 'elsewhere' },
): Promise<RequeueCounts> {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${QUEUE_LOCK}::int, ${facilityId}::int)`.execute(trx);
  const settings = await queueSettingsOf(ctx, trx, facilityId);
  const ranking = compileRanking(settings);
  const placed = await placeQueue(ctx, trx, ranking, settings, facilityId, bedType);
  const at = nowIso();
  const other = e.cause === 'refresh' ? null : (placed.find((p) => p.id === e.id) ?? null);
  const updates: [number, number, number | null, string | null, number][] = [];
  const changes: {
    application_id: number;
    from_position: number | null;
    to_position: number | null;
    cause: string;
    reason_zh: string;
    reason_en: string;
    at: string;
  }[] = [];
  placed.forEach((p, i) => {
    const to = i + 1;
    if (p.position !== to || p.tier !== p.oldTier || p.preferred !== p.oldPreferred) updates.push([p.id, to, p.tier, p.tierKey, p.preferred ? 1 : 0]);
    if (p.position !== to) {
      const w = reasonFor(e, p, p.position, to, other && other.id !== p.id ? other : null, settings);
      changes.push({ application_id: p.id, from_position: p.position, to_position: to, cause: causeOf(e, p), reason_zh: w.zh, reason_en: w.en, at });
    }
  });
  if (leaving) {
    const w = LEAVING[leaving.why];
    changes.push({ application_id: leaving.id, from_position: leaving.from, to_position: null, cause: leaving.why, reason_zh: w.zh, reason_en: w.en, at });
  }
  await writePlaces(trx, updates, at);
  await ctx.handle.insertMany(trx, 'admission_position_changes', changes);
  const moved = changes.filter((c) => c.from_position !== null && c.to_position !== null).length;
  if (changes.length || e.cause !== 'refresh') {
    await recordAudit(trx, scope, {
      action: 'admission.reorder',
      entityType: 'admission_queue',
      entityId: `${facilityId}:${bedType}`,
      fields: ['position'],
      detail: { facilityId, bedType, cause: e.cause, open: placed.length, moved, changes: changes.length },
    });
  }
  return { open: placed.length, moved };
}

function causeOf(e: QueueEvent, p: Placed): string {
  if (p.position === null) return 'joined';
  if (p.tier !== p.oldTier || p.preferred !== p.oldPreferred) return 'facts';
  return e.cause === 'left' ? e.why : e.cause;
}

/**
 * The new places as one UPDATE … FROM a VALUES list per chunk (both databases run it). The rows are
 * taken in id order and each statement is bounded by its chunk's id range, so that SQLite walks that
 * range of the primary key rather than the whole table for every chunk.
 */
async function writePlaces(trx: Transaction<Database>, rows: [number, number, number | null, string | null, number][], at: string): Promise<void> {
  rows.sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const values = sql.join(
      chunk.map(
        ([id, pos, tier, key, pref]) =>
          sql`(cast(${id} as integer), cast(${pos} as integer), cast(${tier} as integer), cast(${key} as text), cast(${pref} as integer))`,
      ),
    );
    await sql`with v(id, position, tier, tier_key, preferred) as (values ${values})
      update admission_applications set position = v.position, tier = v.tier, tier_key = v.tier_key, preferred = v.preferred, updated_at = ${at}
      from v where admission_applications.id = v.id and admission_applications.id between ${chunk[0]![0]} and ${chunk.at(-1)![0]}`.execute(trx);
  }
}
