import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound } from '../../platform/errors.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../platform/time.js';
import { yuanToFen, type Catalogue, type Parameter } from './catalogue.loader.js';
import type { Executor } from '../../db/database.js';
import { valueOn, type ParamOverride } from './engine.js';
import { FACTS } from './facts.js';
import { listOverrides, overridesFor, toOverride } from './catalogue.repository.js';
import { runParameterGuards } from './parameter-guards.js';
import { catalogueOf as catalogueInForceAt } from './catalogue.settings.js';
import { jurisdictionsFor, mayChangeCatalogue } from './jurisdictions.js';
import { amountWords, ruleWords } from './rule-words.js';

function catalogueOf(ctx: AppContext, jurisdiction: string, effective?: string): Catalogue {
  const versions = ctx.catalogues.versions(jurisdiction);
  const cat = effective ? versions.find((c) => c.effective === effective) : versions.at(-1);
  if (!cat) throw notFound('catalogue');
  return cat;
}

/** The catalogue as the console shows it: items with their rules, parameters with their history. */
export async function viewCatalogue(ctx: AppContext, scope: Scope, jurisdiction: string, effective?: string) {
  requireAction(scope, 'catalogue.read');
  const cat = catalogueOf(ctx, jurisdiction, effective);
  const mine = jurisdictionsFor(ctx, scope);
  const rows = await listOverrides(ctx.db, jurisdiction);
  const overrides = rows.map(toOverride);
  const on = today();
  // parameters print with the value in force today, as the parameter table beside the items does
  const current = Object.fromEntries([...cat.parameters.values()].map((p) => [p.name, valueOn(p, overrides, on)?.value ?? null]));
  return {
    jurisdiction: cat.jurisdiction,
    title: cat.title,
    effective: cat.effective,
    source: cat.source,
    notes: cat.notes,
    file: cat.file,
    sha256: cat.sha256,
    population: cat.population.src,
    partial: cat.partial,
    // in force in the viewer's own jurisdiction (a city officer's city, which may run none)
    active: jurisdiction === catalogueInForceAt(ctx, scope.regionCode),
    versions: ctx.catalogues.versions(jurisdiction).map((c) => c.effective),
    jurisdictions: ctx.catalogues.jurisdictions().map((j) => ({
      jurisdiction: j,
      title: ctx.catalogues.latest(j)!.title,
      partial: ctx.catalogues.latest(j)!.partial,
      // in force in one of the jurisdictions the viewer works in
      inUse: mine.some((m) => m.catalogue === j),
    })),
    // where it is in force among the jurisdictions the viewer works in
    inForceIn: mine.filter((j) => j.catalogue === jurisdiction).map((j) => ({ code: j.code, name: j.name })),
    mayChange: mayChangeCatalogue(ctx, scope, jurisdiction),
    items: cat.items.map((it) => ({
      id: it.id,
      no: it.no,
      local: it.local,
      target: it.target,
      name: it.name,
      content: it.content,
      types: it.types,
      department: it.department ?? null,
      when: it.when,
      rule: it.rule.src,
      sentence: ruleWords(cat, it, current),
      amountSentence: amountWords(cat, it, current),
      source: it.source,
      note: it.note ?? null,
      exclusive: it.exclusive ?? null,
      benefit: {
        kind: it.benefit.kind,
        amount: it.benefit.amount?.src ?? null,
        percent: it.benefit.percent?.src ?? null,
        quota: it.benefit.quota ?? null,
        insurer: it.benefit.insurer ?? null,
      },
      params: [
        ...new Set([
          ...it.rule.params,
          ...(it.benefit.amount?.params ?? []),
          ...(it.benefit.percent?.params ?? []),
          ...(it.benefit.insurer ? [it.benefit.insurer] : []),
        ]),
      ],
    })),
    parameters: [...cat.parameters.values()].map((p) => ({
      name: p.name,
      label: p.label,
      type: p.type,
      unit: p.unit,
      current: valueOn(p, overrides, on),
      values: p.values,
      overrides: rows
        .filter((r) => r.name === p.name)
        .map((r) => ({ from: r.valid_from, value: JSON.parse(r.value) as number | string, note: r.note, setBy: r.set_by_name, setAt: r.set_at })),
    })),
    facts: FACTS.map((f) => ({ name: f.name, label: f.label, labelEn: f.labelEn, type: f.type.t, values: f.values ?? null })),
  };
}

export interface SetParameterInput {
  jurisdiction: string;
  name: string;
  from: string;
  /** yuan for money parameters, a whole number for int ones, text for text ones */
  value: string | number;
  note: string;
}

/**
 * An administrator sets a parameter from a date on. The past is never rewritten: the date must be
 * later than any value already set for that parameter, and later than every month whose payment
 * roll has been approved.
 */
export async function setParameter(ctx: AppContext, scope: Scope, input: SetParameterInput) {
  requireAction(scope, 'catalogue.set_parameter');
  // a county sets its own catalogue's figures, not another county's
  if (!mayChangeCatalogue(ctx, scope, input.jurisdiction))
    throw new AppError('CATALOGUE_NOT_YOURS', { catalogue: ctx.catalogues.latest(input.jurisdiction)?.title ?? input.jurisdiction });
  const { param, value } = parseParameterChange(ctx, input);
  if (!input.note.trim()) throw new AppError('PARAM_NOTE_REQUIRED');

  return ctx.db.transaction().execute(async (trx) => {
    const existing = await checkParameterChange(ctx, trx, input, param.label);
    const at = nowIso();
    await trx
      .insertInto('parameter_values')
      .values({
        jurisdiction: input.jurisdiction,
        name: input.name,
        valid_from: input.from,
        value: JSON.stringify(value),
        note: input.note.trim(),
        set_by: scope.userId ?? 0,
        set_by_name: scope.username,
        set_at: at,
      })
      .execute();
    const before = valueOn(param, existing, input.from);
    await recordAudit(trx, scope, {
      action: 'catalogue.set_parameter',
      entityType: 'parameter',
      entityId: `${input.jurisdiction}/${input.name}`,
      fields: [input.name],
      detail: { from: input.from, value, before: before?.value ?? null, note: input.note.trim() },
    });
    return { name: input.name, from: input.from, value };
  });
}

/** The parameter and its value in stored form (fen for money), or the reason it is refused. */
export function parseParameterChange(ctx: AppContext, input: Omit<SetParameterInput, 'note'>): { param: Parameter; value: number | string } {
  const cat = catalogueOf(ctx, input.jurisdiction);
  const param = cat.parameters.get(input.name);
  if (!param) throw new AppError('PARAMETER_NOT_FOUND', { name: input.name });
  if (!isCivilDate(input.from)) throw new AppError('PARAM_DATE_FORMAT', { date: input.from });
  const first = ctx.catalogues.versions(input.jurisdiction)[0]!.effective;
  if (input.from < first) throw new AppError('PARAM_DATE_BEFORE_CATALOGUE', { first });
  let value: number | string;
  if (param.type === 'money') {
    const fen = yuanToFen(input.value);
    if (typeof fen === 'string') throw new AppError('PARAM_AMOUNT_FORMAT', { value: String(input.value) });
    if (fen < 0) throw new AppError('PARAM_AMOUNT_NEGATIVE');
    value = fen;
  } else if (param.type === 'int') {
    const n = Number(input.value);
    if (!Number.isInteger(n)) throw new AppError('PARAM_INTEGER', { value: String(input.value) });
    value = n;
  } else {
    value = String(input.value).trim();
    if (!value) throw new AppError('PARAM_EMPTY');
  }
  return { param, value };
}

/**
 * The past is never rewritten: a new value starts after every value already set for the
 * parameter, and passes the guards later modules add (entitlements: after every month with an
 * approved payment roll, entitlements/paid-months.ts). Returns the values already set.
 */
export async function checkParameterChange(
  ctx: AppContext,
  db: Executor,
  input: { jurisdiction: string; name: string; from: string },
  label: string,
): Promise<ParamOverride[]> {
  const existing = (await overridesFor(db, input.jurisdiction)).filter((o) => o.name === input.name);
  const later = existing.find((o) => o.from >= input.from);
  if (later) {
    throw new AppError('PARAM_PERIOD_SET', { parameter: label, from: later.from });
  }
  // the modules on the right add their own checks (the rolls: never into a paid month)
  await runParameterGuards(ctx, db, input);
  return existing;
}
