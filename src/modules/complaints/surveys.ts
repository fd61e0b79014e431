import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { everywhere, inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nextPeriod, nowIso, periodBounds, today } from '../../platform/time.js';
import { eventsOf } from '../care-events/care-events.service.js';
import { listFacilities } from '../facilities/directory.js';
import { personLabels } from '../register/people.js';
import { caregiverOfUser, providerNames } from '../services/providers.js';
import { complaintSettingsOf, type ComplaintSettings } from './complaints.settings.js';
import type { AnswerBody, DrawReply, ResultsReply, SurveyCall, SurveysQuery, SurveysReply } from './complaints.schema.js';
import type { SurveyCallRow } from './complaints.tables.js';
import { insertComplaint } from './intake.js';
import { complaintCountsByTarget, satisfactionByTarget, scorePercent } from './signals.js';

/**
 * Satisfaction surveys (服务对象满意度调查, 004 §15): each month a random sample of the recipients of
 * verified (confirmed) home-service events (care-events), per provider, is called back by an
 * officer or a hotline operator. The draw is reproducible: its seed is recorded, each candidate
 * event is ranked by sha256(seed|eventId), and per provider the first k are taken —
 * k = ceil(n × percent / 100), at least min(minPerProvider, n), at most maxPerProvider, one call
 * per recipient (their best-ranked event). A service's provider is its performer's (the caregiver's)
 * provider. A recipient who says the service was not given opens a complaint (category fraud,
 * about the provider), so it reaches the inbox, its deadline and the provider's credit rating.
 */

export interface Candidate {
  eventId: number;
  personId: number;
  regionCode: string;
  targetKind: 'provider' | 'facility';
  targetId: number;
  servedOn: string;
}

const rank = (seed: string, eventId: number) => createHash('sha256').update(`${seed}|${eventId}`).digest('hex');

/** The candidates a draw takes (pure: the same seed and candidates give the same sample). */
export function drawSample(seed: string, candidates: readonly Candidate[], s: ComplaintSettings['survey']): Candidate[] {
  const byTarget = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = `${c.targetKind}:${c.targetId}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), c]);
  }
  const out: Candidate[] = [];
  for (const key of [...byTarget.keys()].sort()) {
    const ranked = byTarget
      .get(key)!
      .map((c) => ({ c, r: rank(seed, c.eventId) }))
      .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
    const people = new Set<number>();
    const unique = ranked.filter(({ c }) => (people.has(c.personId) ? false : (people.add(c.personId), true))).map(({ c }) => c);
    const n = unique.length;
    const k = Math.min(n, s.maxPerProvider, Math.max(Math.min(s.minPerProvider, n), Math.ceil((n * s.percent) / 100 - 1e-9)));
    out.push(...unique.slice(0, k));
  }
  return out;
}

/** The month's verified home-service events in the jurisdiction of `regionCode` (a county; a city: all its counties'), each with its provider. */
export async function candidatesOf(ctx: AppContext, period: string, regionCode: string): Promise<Candidate[]> {
  const { start } = periodBounds(period);
  const end = periodBounds(nextPeriod(period)).start;
  const j = ctx.regions.jurisdictionOf(regionCode);
  const events = await eventsOf(ctx.db, { kind: 'service', status: 'confirmed', from: start, to: end, scope: j ? everywhereIn(j.code, j.prefix) : undefined });
  const providerOf = new Map<number, number | null>();
  const out: Candidate[] = [];
  for (const e of events) {
    if (!providerOf.has(e.performerId)) providerOf.set(e.performerId, (await caregiverOfUser(ctx.db, e.performerId))?.provider_id ?? null);
    const provider = providerOf.get(e.performerId);
    if (provider == null) continue;
    out.push({
      eventId: e.id,
      personId: e.personId,
      regionCode: e.regionCode,
      targetKind: 'provider',
      targetId: provider,
      servedOn: today(new Date(e.startedAt)),
    });
  }
  return out.sort((a, b) => a.eventId - b.eventId);
}

/** Of the given services, those a draw already calls back (only ever another jurisdiction's: a county's and its city's overlap). */
async function alreadyCalled(db: Executor, eventIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < eventIds.length; i += 500) {
    const rows = await db
      .selectFrom('survey_calls')
      .select('event_id')
      .where('event_id', 'in', eventIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(r.event_id);
  }
  return out;
}

function everywhereIn(code: string, prefix: string): Scope {
  return { ...everywhere('complaints-survey'), regionCode: code, regionPrefix: prefix };
}

/**
 * POST /api/complaints/surveys/draw: draws the month's sample of the viewer's jurisdiction once (a
 * second draw answers the first). A city officer's covers the city's counties; a service another
 * jurisdiction's draw already calls back (a county's, then the city's) is not called twice.
 */
export async function drawSurvey(ctx: AppContext, scope: Scope, period: string, seed: string = randomBytes(16).toString('hex')): Promise<DrawReply> {
  requireAction(scope, 'complaints.survey');
  if (period > today().slice(0, 7)) throw new AppError('SURVEY_PERIOD', { period });
  const j = ctx.regions.jurisdictionOf(scope.regionCode);
  const prefix = j?.prefix ?? '';
  const existing = await ctx.db.selectFrom('survey_draws').selectAll().where('period', '=', period).where('region_prefix', '=', prefix).executeTakeFirst();
  if (existing) {
    const p = JSON.parse(existing.params) as { candidates: number; drawn: number };
    return { id: existing.id, period, seed: existing.seed, drawn: p.drawn, candidates: p.candidates, created: false };
  }
  const s = complaintSettingsOf(ctx, j?.code ?? scope.regionCode).survey;
  const candidates = await candidatesOf(ctx, period, j?.code ?? scope.regionCode);
  const drawnSample = drawSample(seed, candidates, s);
  return ctx.db.transaction().execute(async (trx) => {
    const called = await alreadyCalled(
      trx,
      drawnSample.map((c) => c.eventId),
    );
    const sample = drawnSample.filter((c) => !called.has(c.eventId));
    const params = {
      percent: s.percent,
      minPerProvider: s.minPerProvider,
      maxPerProvider: s.maxPerProvider,
      candidates: candidates.length,
      drawn: sample.length,
    };
    const draw = await trx
      .insertInto('survey_draws')
      .values({ period, region_prefix: prefix, seed, params: JSON.stringify(params), drawn_by: scope.userId, drawn_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (sample.length)
      await ctx.handle.insertMany(
        trx,
        'survey_calls',
        sample.map((c) => ({
          draw_id: draw.id,
          event_id: c.eventId,
          person_id: c.personId,
          region_code: c.regionCode,
          target_kind: c.targetKind,
          target_id: c.targetId,
          served_on: c.servedOn,
          status: 'pending',
          answers: null,
          given: null,
          percent: null,
          note_enc: null,
          complaint_id: null,
          answered_by: null,
          answered_at: null,
          answered_on: null,
          via: null,
        })),
      );
    await recordAudit(trx, scope, {
      action: 'complaints.survey_draw',
      entityType: 'survey_draw',
      entityId: draw.id,
      regionCode: j?.code ?? null,
      detail: { period, seed, ...params },
    });
    return { id: draw.id, period, seed, drawn: sample.length, candidates: candidates.length, created: true };
  });
}

async function targetNames(db: Executor, rows: readonly Pick<SurveyCallRow, 'target_kind' | 'target_id'>[]): Promise<Map<string, string>> {
  const prov = [...new Set(rows.filter((r) => r.target_kind === 'provider').map((r) => r.target_id))];
  const fac = [...new Set(rows.filter((r) => r.target_kind === 'facility').map((r) => r.target_id))];
  const out = new Map<string, string>();
  for (const [id, name] of await providerNames(db, prov)) out.set(`provider:${id}`, name);
  if (fac.length) for (const f of await listFacilities(db, { ids: fac })) out.set(`facility:${f.id}`, f.name);
  return out;
}

/** GET /api/complaints/surveys: the calls to make and made (recipients by name and masked ID; audited). */
export function listSurveys(ctx: AppContext, scope: Scope, q: SurveysQuery): Promise<SurveysReply> {
  requireAction(scope, 'complaints.survey');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = trx
        .selectFrom('survey_calls')
        .innerJoin('survey_draws', 'survey_draws.id', 'survey_calls.draw_id')
        .where(inRegion(scope, 'survey_calls.region_code'));
      if (q.period) base = base.where('survey_draws.period', '=', q.period);
      if (q.status) base = base.where('survey_calls.status', '=', q.status);
      if (q.flagged === 'true') base = base.where('survey_calls.given', '=', 'no');
      const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
      const rows = await base
        .selectAll('survey_calls')
        .select('survey_draws.period')
        .orderBy('survey_calls.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const [labels, names] = await Promise.all([
        personLabels(
          trx,
          rows.map((r) => r.person_id),
        ),
        targetNames(trx, rows),
      ]);
      const items = rows.map((r): SurveyCall => ({
        id: r.id,
        period: r.period,
        eventId: r.event_id,
        person: { id: r.person_id, name: labels.get(r.person_id)?.name ?? '', idMasked: labels.get(r.person_id)?.idMasked ?? '' },
        regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
        target: { kind: r.target_kind as 'provider' | 'facility', id: r.target_id, name: names.get(`${r.target_kind}:${r.target_id}`) ?? String(r.target_id) },
        servedOn: r.served_on,
        status: r.status as SurveyCall['status'],
        given: r.given as SurveyCall['given'],
        answers: r.answers ? (JSON.parse(r.answers) as SurveyCall['answers']) : null,
        percent: r.percent,
        complaintId: r.complaint_id,
        answeredOn: r.answered_on,
      }));
      return { items, total, page: q.page, pageSize: q.pageSize, questions: complaintSettingsOf(ctx, scope.regionCode).survey.questions };
    },
    (r) => ({
      action: 'complaints.surveys_read',
      entityType: 'survey_call',
      detail: { ids: r.items.map((i) => i.id) },
      persons: r.items.map((i) => i.person.id),
    }),
  );
}

/** POST /api/complaints/surveys/:id/answer: what the recipient said (or that they could not be reached). */
export async function answerSurvey(
  ctx: AppContext,
  scope: Scope,
  id: number,
  body: AnswerBody,
): Promise<{ id: number; complaintId: number | null; percent: number | null }> {
  requireAction(scope, 'complaints.survey');
  if (body.outcome === 'answered' && body.given === undefined) throw new AppError('SURVEY_SCORES_REQUIRED');
  if (body.outcome === 'answered' && body.given === 'yes' && !body.answers) throw new AppError('SURVEY_SCORES_REQUIRED');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('survey_calls').selectAll().where('id', '=', id).where(inRegion(scope, 'survey_calls.region_code')).executeTakeFirst();
    if (!row) throw new AppError('SURVEY_CALL_NOT_FOUND', { id });
    if (row.status === 'answered') throw new AppError('SURVEY_CALL_ANSWERED', { id, at: row.answered_at ?? '' });
    const at = nowIso();
    const on = today();
    let complaintId: number | null = null;
    let percent: number | null = null;
    if (body.outcome === 'answered' && body.given === 'no') {
      const filed = await insertComplaint(ctx, trx, scope, {
        source: 'survey',
        sourceId: row.id,
        target: { kind: row.target_kind as 'provider' | 'facility', id: row.target_id, name: null, regionCode: row.region_code },
        category: 'fraud',
        text: `满意度回访：服务对象表示 ${row.served_on} 的服务（服务记录 ${row.event_id}）没有提供。Survey call: the recipient says the service of ${row.served_on} (event ${row.event_id}) was not given.${body.note ? `\n${body.note}` : ''}`,
        happenedOn: row.served_on,
        regionCode: row.region_code,
        contactName: null,
        contactPhone: null,
      });
      complaintId = filed.id;
    }
    if (body.outcome === 'answered' && body.given === 'yes' && body.answers) {
      const a = body.answers;
      percent = scorePercent([a.overall, a.punctuality, a.attitude, a.quality]);
    }
    await trx
      .updateTable('survey_calls')
      .set({
        status: body.outcome,
        given: body.outcome === 'answered' ? (body.given ?? null) : null,
        answers: body.outcome === 'answered' && body.given === 'yes' && body.answers ? JSON.stringify(body.answers) : null,
        percent,
        note_enc: body.note ? ctx.cipher.encrypt(body.note) : null,
        complaint_id: complaintId,
        answered_by: scope.userId,
        answered_at: at,
        answered_on: on,
        via: body.via,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'complaints.survey_answer',
      entityType: 'survey_call',
      entityId: id,
      regionCode: row.region_code,
      fields: body.note ? ['note'] : [],
      detail: { outcome: body.outcome, given: body.given ?? null, percent, complaint: complaintId, person: row.person_id },
    });
    return { id, complaintId, percent };
  });
}

/** GET /api/complaints/surveys/results: per provider or facility, satisfaction and complaints over a range. */
export async function surveyResults(ctx: AppContext, scope: Scope, range: { from: string; to: string }): Promise<ResultsReply> {
  requireAction(scope, 'complaints.read');
  const [sat, counts, notGiven] = await Promise.all([
    satisfactionByTarget(ctx.db, range),
    complaintCountsByTarget(ctx.db, range),
    ctx.db
      .selectFrom('survey_calls')
      .select(['target_kind', 'target_id', sql<number>`count(*)`.as('n')])
      .where('given', '=', 'no')
      .where('answered_on', '>=', range.from)
      .where('answered_on', '<=', range.to)
      .groupBy(['target_kind', 'target_id'])
      .execute(),
  ]);
  const ng = new Map(notGiven.map((r) => [`${r.target_kind}:${r.target_id}`, Number(r.n)]));
  const keys = [...new Set([...sat.keys(), ...counts.keys(), ...ng.keys()])];
  const parsed = keys.map((k) => ({ k, kind: k.split(':')[0] as 'provider' | 'facility', id: Number(k.split(':')[1]) }));
  const names = await targetNames(
    ctx.db,
    parsed.map((p) => ({ target_kind: p.kind, target_id: p.id })),
  );
  await ctx.db.transaction().execute((trx) => recordAudit(trx, scope, { action: 'complaints.survey_results_read', detail: range }));
  return {
    items: parsed
      .map((p) => ({
        target: { kind: p.kind, id: p.id, name: names.get(p.k) ?? String(p.id) },
        responses: sat.get(p.k)?.responses ?? 0,
        meanPercent: sat.get(p.k)?.meanPercent ?? 0,
        notGiven: ng.get(p.k) ?? 0,
        complaints: counts.get(p.k)?.received ?? 0,
        substantiated: counts.get(p.k)?.substantiated ?? 0,
      }))
      .sort((a, b) => a.target.name.localeCompare(b.target.name, 'zh')),
  };
}

/** The daily hook draws last month's sample of each county once the month has ended (idempotent). */
export async function drawLastMonth(ctx: AppContext, on: string): Promise<void> {
  const [y, m] = on.slice(0, 7).split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  for (const j of ctx.regions.counties()) await drawSurvey(ctx, everywhereIn(j.code, j.prefix), prev);
}
