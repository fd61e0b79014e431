import ExcelJS from 'exceljs';
import type { Executor } from '../../db/database.js';
import type { RegionRow, RunRow } from '../../db/tables.js';
import type { Locale } from '../../platform/errors.js';
import type { Catalogue } from '../catalogue/catalogue.loader.js';
import { recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { revealer } from '../../platform/reveal.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { can } from '../../platform/policy.js';
import { nowIso, today } from '../../platform/time.js';
import type { Profile } from '../catalogue/catalogue.schema.js';
import { overridesFor } from '../catalogue/catalogue.repository.js';
import { calendarFor, explain, paramsFor, withSourceWords, type PeriodCalendar } from '../catalogue/engine.js';
import { factBuilder, profileFacts } from '../catalogue/facts.js';
import type { Facts, Value } from '../../lib/rules/compile.js';
import { findById } from '../register/register.repository.js';
import { changeCounts, changes, countRuns, decisionFor, getRun, listRuns, previousRun, verifyCounts, type ChangeFilter } from './runs.repository.js';
import { runCatalogue, runParams } from './runs.service.js';
import { benefitText, selfCheck } from './self-check.js';
import { runStale, staleness, staleText } from './impact.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { isOwnBureau, jurisdictionFor, seesWhole, worksIn, worksInside } from '../catalogue/jurisdictions.js';
import { ruleWords } from '../catalogue/rule-words.js';
import { listedItems } from './listed-items.js';
import { withIdNumbers, withLabels } from './people.js';
import { personPermitted } from '../register/people.js';

/** A run of a jurisdiction the viewer works with (runOf), with the catalogue it used. */
async function runWithCatalogue(ctx: AppContext, scope: Scope, id: number): Promise<{ run: RunRow; cat: Catalogue }> {
  const run = await getRun(ctx.db, id);
  if (!run || !worksIn(ctx, scope, run.region_code)) throw notFound('run');
  return { run, cat: await runCatalogue(ctx, run) };
}

function presentRun(
  ctx: AppContext,
  scope: Scope,
  r: Pick<
    RunRow,
    | 'id'
    | 'region_code'
    | 'period'
    | 'status'
    | 'previous_run_id'
    | 'persons_total'
    | 'persons_done'
    | 'granted'
    | 'changes'
    | 'started_by_name'
    | 'started_at'
    | 'finished_at'
    | 'message'
  >,
  stale: string | null = null,
  /** its rows to verify (待核实), where counted: the runs list, a run's page */
  verify: number | null = null,
) {
  // Totals are the whole jurisdiction's: an officer of a town or village sees the progress only.
  const region = ctx.regions.get(r.region_code);
  const whole = region ? seesWhole(scope, region) : scope.role === 'system';
  const progress = r.persons_total > 0 ? Math.min(100, Math.floor((r.persons_done / r.persons_total) * 100)) : r.status === 'finished' ? 100 : 0;
  return {
    id: r.id,
    jurisdiction: { code: r.region_code, name: region?.name ?? r.region_code },
    period: r.period,
    status: r.status,
    previousRunId: r.previous_run_id,
    personsTotal: whole ? r.persons_total : null,
    personsDone: whole ? r.persons_done : null,
    granted: whole ? r.granted : null,
    changes: whole ? r.changes : null,
    verify: whole ? verify : null,
    progress,
    startedBy: r.started_by_name,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    message: r.message,
    stale,
  };
}

/** A jurisdiction's runs (`jurisdictionCode`, default the viewer's own: jurisdictionFor), newest first. */
export async function runs(ctx: AppContext, scope: Scope, page: number, pageSize: number, locale: Locale = 'zh-CN', jurisdictionCode?: string | null) {
  requireAction(scope, 'entitlements.read');
  const region = jurisdictionFor(ctx, scope, jurisdictionCode);
  const catalogue = catalogueOf(ctx, region.code);
  const rows = await listRuns(ctx.db, region.code, pageSize, (page - 1) * pageSize);
  const total = await countRuns(ctx.db, region.code);
  const stale = await staleness(ctx, rows);
  const latest = ctx.catalogues.latest(catalogue);
  const verify = await verifyCounts(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    total,
    page,
    pageSize,
    jurisdiction: catalogue,
    region: { code: region.code, name: region.name },
    title: latest?.title ?? '',
    partial: latest?.partial ?? false,
    // whether the viewer may start this jurisdiction's runs: its own bureau
    mayStart: isOwnBureau(scope, region),
    items: rows.map((r) => presentRun(ctx, scope, r, staleText(stale.get(r.id) ?? [], locale), verify.get(r.id) ?? 0)),
  };
}

export async function runDetail(ctx: AppContext, scope: Scope, id: number, locale: Locale = 'zh-CN') {
  requireAction(scope, 'entitlements.read');
  const { run, cat } = await runWithCatalogue(ctx, scope, id);
  const params = runParams(run);
  const cal = calendarFor(run.period);
  const counts = await changeCounts(ctx.db, scope, id);
  return {
    run: presentRun(ctx, scope, run, await runStale(ctx, run, locale), counts.find((c) => c.kind === 'verify')?.n ?? 0),
    catalogue: { jurisdiction: cat.jurisdiction, title: cat.title, effective: cat.effective, sha256: cat.sha256 },
    calendar: cal,
    params: Object.entries(params.used).map(([name, u]) => ({
      name,
      label: cat.parameters.get(name)?.label ?? name,
      type: cat.parameters.get(name)?.type ?? 'money',
      ...withSourceWords(u),
    })),
    changeCounts: counts,
    items: cat.items.map((i) => ({ id: i.id, no: i.no, name: i.name, kind: i.benefit.kind, when: i.when })),
  };
}

export async function changeList(ctx: AppContext, scope: Scope, runId: number, f: ChangeFilter & { page: number; pageSize: number }, locale: Locale = 'zh-CN') {
  requireAction(scope, 'entitlements.read');
  const { run, cat } = await runWithCatalogue(ctx, scope, runId);
  const region = ctx.regions.get(run.region_code);
  const q = changes(ctx.db, scope, runId, f);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await auditedRead(
    ctx.db,
    scope,
    async (trx) =>
      withLabels(
        trx,
        await changes(trx, scope, runId, f)
          .select([
            'decision_changes.id',
            'decision_changes.person_id',
            'decision_changes.item_id',
            'decision_changes.kind',
            'decision_changes.old_value',
            'decision_changes.new_value',
            'decision_changes.region_code',
            'decision_changes.handled_at',
            'decision_changes.missing',
          ])
          .orderBy('decision_changes.region_code')
          .orderBy('decision_changes.person_id')
          .orderBy('decision_changes.item_id')
          .limit(f.pageSize)
          .offset((f.page - 1) * f.pageSize)
          .execute(),
      ),
    (r) => ({
      action: 'entitlements.changes_read',
      entityType: 'run',
      entityId: runId,
      fields: ['name', 'idNumber', 'birthDate'],
      detail: { kind: f.kind ?? null, item: f.itemId ?? null, page: f.page },
      persons: r.map((x) => x.person_id),
    }),
  );
  const item = (id: string) => cat.items.find((i) => i.id === id);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    // who follows the list up: the jurisdiction's own people, with the action (the city reads a county's)
    mayHandle:
      (scope.role === 'system' || (scope.role !== 'anonymous' && can(scope.role, 'entitlements.handle_change'))) && (!region || worksInside(scope, region)),
    items: rows.map((r) => {
      const it = item(r.item_id);
      return {
        id: r.id,
        personId: r.person_id,
        name: r.person.name,
        idMasked: r.person.idMasked,
        regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
        townName: ctx.regions.town(r.region_code)?.name ?? '',
        itemId: r.item_id,
        itemName: it?.name ?? r.item_id,
        kind: r.kind,
        from: r.old_value === null || !it ? null : benefitText(it, r.old_value, locale),
        to: r.new_value === null || !it ? null : benefitText(it, r.new_value, locale),
        status: r.person.status,
        closedOn: r.person.closedOn,
        birthDate: r.person.birthDate,
        handled: r.handled_at !== null,
        missing: r.missing ? r.missing.split(',') : [],
      };
    }),
  };
}

/** An officer marks a change followed up (family notified, payment set up or stopped). */
export async function handleChange(ctx: AppContext, scope: Scope, id: number, handled: boolean) {
  requireAction(scope, 'entitlements.handle_change');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('decision_changes')
      .selectAll()
      .where('id', '=', id)
      .where(inRegion(scope, 'decision_changes.region_code'))
      .executeTakeFirst();
    if (!row || !(await personPermitted(trx, scope, row.person_id, { regionChecked: true }))) throw notFound('change');
    // a county's changes are followed up inside the county; the city above reads them
    const run = await getRun(trx, row.run_id);
    const region = run && ctx.regions.get(run.region_code);
    if (region && !worksInside(scope, region)) throw new AppError('CHANGE_NOT_YOURS', { name: region.name });
    await trx
      .updateTable('decision_changes')
      .set({ handled_by: handled ? scope.userId : null, handled_at: handled ? nowIso() : null })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'entitlements.handle_change',
      entityType: 'person',
      entityId: row.person_id,
      regionCode: row.region_code,
      detail: { change: id, item: row.item_id, kind: row.kind, handled },
    });
    return { id, handled };
  });
}

function factsFrom(names: string[], values: Value[]): Facts {
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

/**
 * A person's decisions: in the latest finished run (with the explanation rebuilt from the facts
 * and parameter versions stored with it), and now, from today's register, with what-ifs.
 */
export async function personEntitlements(ctx: AppContext, scope: Scope, personId: number, locale: Locale = 'zh-CN') {
  requireAction(scope, 'entitlements.read');
  // the person and their decisions (their county's, and the city's where it runs items of its own)
  // are read with the audit entry of the read, in one transaction
  const { person, found } = await auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const p = await findById(trx, scope, personId);
      if (!p) throw notFound('person');
      const found: { region: RegionRow; catalogue: string; latest: RunRow | undefined; row: Awaited<ReturnType<typeof decisionFor>> }[] = [];
      for (const region of ctx.regions.jurisdictionChain(p.region_code)) {
        const catalogue = catalogueOf(ctx, region.code);
        if (!catalogue) continue;
        const latest = await previousRun(trx, region.code, '9999-12');
        found.push({ region, catalogue, latest, row: latest ? await decisionFor(trx, scope, latest.id, personId) : undefined });
      }
      return { person: p, found };
    },
    (r) => ({ action: 'entitlements.person_read', entityType: 'person', entityId: personId, regionCode: r.person.region_code, persons: [personId] }),
  );
  const parts = [];
  for (const f of found) {
    let decision = null;
    if (f.latest) {
      const cat = await runCatalogue(ctx, f.latest);
      const facts = f.row ? factsFrom(JSON.parse(f.latest.fact_names) as string[], JSON.parse(f.row.facts) as Value[]) : null;
      decision = {
        run: presentRun(ctx, scope, f.latest),
        explanation: facts ? explain(cat, f.latest.period, runParams(f.latest), facts, locale) : null,
        items: itemsMeta(cat),
      };
    }
    const period = today().slice(0, 7);
    const cat = ctx.catalogues.forPeriod(f.catalogue, period);
    const params = paramsFor(cat, period, await overridesFor(ctx.db, f.catalogue));
    const facts = factBuilder(period, (code) => ctx.regions.get(code)?.kind === 'community')(person);
    parts.push({
      jurisdiction: { code: f.region.code, name: f.region.name, title: cat.title },
      decision,
      now: { ...selfCheck(cat, period, params, facts, locale), items: itemsMeta(cat) },
    });
  }
  const [own, ...above] = parts;
  if (!own) throw notFound('jurisdiction');
  return { ...own, above };
}

function itemsMeta(cat: Catalogue) {
  return cat.items.map((i) => ({
    id: i.id,
    no: i.no,
    name: i.name,
    target: i.target,
    kind: i.benefit.kind,
    source: i.source,
    types: i.types,
    rule: i.rule.src,
    sentence: ruleWords(cat, i, {}),
  }));
}

/**
 * The catalogue the public self-check reads for a place (any region code: a village's is its
 * county's): the nearest jurisdiction on its path that runs one. Without a place, the platform's
 * only such jurisdiction; with several, the place must be said (SELF_CHECK_PLACE).
 */
export function publicCatalogue(ctx: AppContext, place?: string): string {
  if (place) {
    if (!ctx.regions.get(place)) throw new AppError('SELF_CHECK_PLACE', { place });
    for (const j of ctx.regions.jurisdictionChain(place)) {
      const c = catalogueOf(ctx, j.code);
      if (c) return c;
    }
    throw new AppError('SELF_CHECK_PLACE', { place });
  }
  const counties = ctx.regions.counties();
  // a platform with no region tree yet answers with the deployment's catalogue
  if (!counties.length) return ctx.config.catalogue;
  const all = new Set(counties.map((j) => catalogueOf(ctx, j.code)).filter(Boolean));
  if (all.size === 1) return [...all][0]!;
  throw new AppError('SELF_CHECK_PLACE', { place: '' });
}

/**
 * The public self-check (养老顾问): a hypothetical profile typed in by anyone. It reads the
 * catalogue and parameters and writes nothing: no audit, no log of the profile.
 */
export async function publicSelfCheck(ctx: AppContext, profile: Profile & { period?: string; place?: string }, locale: Locale = 'zh-CN') {
  const period = profile.period ?? today().slice(0, 7);
  const jurisdiction = publicCatalogue(ctx, profile.place);
  const cat = ctx.catalogues.forPeriod(jurisdiction, period);
  const params = paramsFor(cat, period, await overridesFor(ctx.db, jurisdiction));
  const facts = profileFacts(period, profile.urban === true, profile);
  return { ...selfCheck(cat, period, params, facts, locale), items: itemsMeta(cat) };
}

/**
 * Calendar duties and rosters of a run: who has a non-monthly or insurance item this month
 * (80th-birthday greetings, 重阳 centenarian visits, each insurer's roster).
 */
export async function duties(ctx: AppContext, scope: Scope, runId: number, locale: Locale = 'zh-CN') {
  requireAction(scope, 'entitlements.read');
  const { run, cat } = await runWithCatalogue(ctx, scope, runId);
  const params = runParams(run);
  const cal = calendarFor(run.period);
  const listed = listedItems(cat);
  const lists = cat.items.filter((i) => listed.has(i.id));
  const out = [];
  for (const it of lists) {
    const n = await rosterQuery(ctx.db, scope, run.id, it.id)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out.push({
      itemId: it.id,
      no: it.no,
      name: it.name,
      when: it.when,
      kind: it.benefit.kind,
      count: Number(n.n),
      insurer: it.benefit.insurer ? (params.values[it.benefit.insurer] as string | null) : null,
      note: dutyNote(it.when, cal, locale),
    });
  }
  return { period: run.period, calendar: cal, duties: out };
}

function dutyNote(when: string, cal: PeriodCalendar, locale: Locale): string {
  if (locale === 'en') {
    if (when === 'chongyang')
      return `Double Ninth Festival: ${cal.chongyang}${cal.chongyangInPeriod ? ' (this month)' : ' (not this month: no list this period)'}`;
    return when === 'birthday' ? 'birthdays this month' : 'insured this period';
  }
  if (when === 'chongyang') return `重阳节：${cal.chongyang}${cal.chongyangInPeriod ? '（本月）' : '（不在本月，本期无名单）'}`;
  return when === 'birthday' ? '本月过生日者' : '本期参保名单';
}

function rosterQuery(db: Executor, scope: Scope, runId: number, itemId: string) {
  // the run's decisions per item, written with the decisions (decision_items), in their key's order
  return db
    .selectFrom('decision_items as decisions')
    .where('decisions.run_id', '=', runId)
    .where('decisions.item_id', '=', itemId)
    .where(inRegion(scope, 'decisions.region_code'));
}

export async function roster(ctx: AppContext, scope: Scope, runId: number, itemId: string, page: number, pageSize: number) {
  requireAction(scope, 'entitlements.read');
  const { cat } = await runWithCatalogue(ctx, scope, runId);
  const it = cat.items.find((i) => i.id === itemId);
  if (!it) throw new AppError('ITEM_NOT_FOUND', { item: itemId });
  if (!listedItems(cat).has(it.id)) throw new AppError('ITEM_NOT_LISTED', { item: itemId });
  const total = Number(
    (
      await rosterQuery(ctx.db, scope, runId, itemId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await auditedRead(
    ctx.db,
    scope,
    async (trx) =>
      withLabels(
        trx,
        await rosterQuery(trx, scope, runId, itemId)
          .select(['decisions.person_id', 'decisions.region_code'])
          .orderBy('decisions.region_code')
          .orderBy('decisions.person_id')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
      ),
    (r) => ({
      action: 'entitlements.roster_read',
      entityType: 'run',
      entityId: runId,
      fields: ['name', 'idNumber', 'sex', 'birthDate'],
      detail: { item: itemId, page },
      persons: r.map((x) => x.person_id),
    }),
  );
  return {
    item: { id: it.id, name: it.name },
    total,
    page,
    pageSize,
    items: rows.map((r) => ({
      personId: r.person_id,
      name: r.person.name,
      idMasked: r.person.idMasked,
      sex: r.person.sex,
      birthDate: r.person.birthDate,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      townName: ctx.regions.town(r.region_code)?.name ?? '',
    })),
  };
}

/** A roster as XLSX for the insurer or the visiting team: full IDs, so reveal-capable roles only, audited. */
export async function exportRoster(ctx: AppContext, scope: Scope, runId: number, itemId: string): Promise<{ fileName: string; body: Buffer }> {
  requireAction(scope, 'entitlements.read');
  const reveal = revealer(ctx.cipher, scope);
  const { run, cat } = await runWithCatalogue(ctx, scope, runId);
  const it = cat.items.find((i) => i.id === itemId);
  if (!it) throw new AppError('ITEM_NOT_FOUND', { item: itemId });
  if (!listedItems(cat).has(it.id)) throw new AppError('ITEM_NOT_LISTED', { item: itemId });
  const insurer = it.benefit.insurer ? String(runParams(run).values[it.benefit.insurer] ?? '') : '';
  return ctx.db.transaction().execute(async (trx) => {
    // inside the transaction, on it: a query on ctx.db here waited for this transaction forever (issue 12)
    const rows = await withIdNumbers(
      trx,
      await rosterQuery(trx, scope, runId, itemId)
        .select(['decisions.person_id', 'decisions.region_code'])
        .orderBy('decisions.region_code')
        .orderBy('decisions.person_id')
        .execute(),
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(it.name.slice(0, 31));
    ws.columns = [{ width: 6 }, { width: 10 }, { width: 21 }, { width: 6 }, { width: 12 }, { width: 12 }, { width: 14 }, { width: 20 }];
    ws.mergeCells('A1:H1');
    const [y, m] = run.period.split('-');
    ws.getCell('A1').value = `${ctx.regions.get(run.region_code)?.name ?? ''}${y}年${Number(m)}月${it.name}名单${insurer ? `（承保机构：${insurer}）` : ''}`;
    ws.getCell('A1').font = { bold: true, size: 14 };
    ws.addRow([]);
    ws.addRow(['序号', '姓名', '身份证号', '性别', '出生日期', '镇街', '村社区', '备注']).font = { bold: true };
    rows.forEach((r, i) =>
      ws.addRow([
        i + 1,
        r.person.name,
        reveal(r.person.idEnc),
        r.person.sex === 'F' ? '女' : '男',
        r.person.birthDate,
        ctx.regions.town(r.region_code)?.name ?? '',
        ctx.regions.get(r.region_code)?.name ?? '',
        '',
      ]),
    );
    ws.addRow(['合计', `${rows.length} 人`]).font = { bold: true };
    await recordAudit(trx, scope, {
      action: 'entitlements.export_roster',
      entityType: 'run',
      entityId: runId,
      fields: ['idNumber'],
      detail: { item: itemId, lines: rows.length },
    });
    return { fileName: `${run.period}-${it.name}-名单.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
  });
}
