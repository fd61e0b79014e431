import { z } from 'zod';
import { okReply, paging } from '../../platform/paging.js';
import { profileSchema, words } from '../catalogue/catalogue.schema.js';
import { OFFICER_PAUSE_REASONS, PAUSE_REASONS } from './pause-reasons.js';

/** A jurisdiction's region code; absent: the viewer's own jurisdiction. */
const jurisdictionCode = z
  .string()
  .regex(/^\d{6,12}$/, '地区代码应为 6 至 12 位数字')
  .optional();
export const startRunBody = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间应为 YYYY-MM'), jurisdiction: jurisdictionCode });
export const runsQuery = z.object({ ...paging, jurisdiction: jurisdictionCode });
export const impactQuery = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间应为 YYYY-MM'), jurisdiction: jurisdictionCode });
/** The place the public self-check and catalogue are about (a county's or a village's code). */
export const publicPlaceQuery = z.object({ place: jurisdictionCode });
export const parameterImpactBody = z.object({
  jurisdiction: z.string().min(1).max(40),
  name: z.string().min(1).max(60),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD'),
  value: z.union([z.string().max(100), z.number()]),
});
export const changesQuery = z.object({
  ...paging,
  kind: z.enum(['new', 'ended', 'amount', 'verify']).optional(),
  itemId: z.string().max(20).optional(),
  handled: z.enum(['true', 'false']).optional(),
});
export const handleBody = z.object({ handled: z.boolean() });
export const rollsQuery = z.object({
  runId: z.coerce.number().int().positive().optional(),
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  status: z.enum(['draft', 'submitted', 'returned', 'approved']).optional(),
  itemId: z.string().max(20).optional(),
});
export const rollQuery = z.object({ ...paging, pageSize: z.coerce.number().int().min(1).max(500).default(50) });
export const noteBody = z.object({ note: z.string().max(500).default('') });
export const lineParams = z.object({ id: z.coerce.number().int().positive(), personId: z.coerce.number().int().positive() });
export const lineBody = z.object({ excluded: z.boolean(), remark: z.string().max(200).default('') });
export const rosterParams = z.object({ id: z.coerce.number().int().positive(), itemId: z.string().regex(/^[a-z]+-[0-9]+[a-z]?$/) });
/** The public self-check form: a hypothetical profile, optionally for another month. */
export const selfCheckBody = profileSchema.extend({
  /** where the person lives (a county's, town's or village's code): its catalogue is the one read */
  place: jurisdictionCode,
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
});

/* ---- answers of the entitlement API (runs, changes, duties, rosters, rolls, self-check) ---- */

/**
 * The values of the status and kind columns (text in the database). The answers name them, so the
 * console can word each; a route whose service types them as plain strings checks its answer
 * with the schema's parse before replying.
 */
export const runStatus = z.enum(['running', 'finished', 'failed']);
/** pending: being written by a running run, never listed or shown */
export const rollStatus = z.enum(['pending', 'draft', 'submitted', 'returned', 'approved', 'superseded']);
export const changeKind = z.enum(['new', 'ended', 'amount', 'verify']);
export type RunStatus = z.infer<typeof runStatus>;
export type RollStatus = z.infer<typeof rollStatus>;
/** regular: a month's payment; backpay (补发) and recovery (追回): differences found for earlier months */
export const rollKind = z.enum(['regular', 'backpay', 'recovery']);
export type RollKind = z.infer<typeof rollKind>;
export type ChangeKind = z.infer<typeof changeKind>;

/** A fact's or parameter's value as rules see it. */
export const factValue = z.union([z.boolean(), z.number(), z.string(), z.array(z.union([z.number(), z.string()])).readonly()]);
export type FactValue = z.infer<typeof factValue>;

/** One step of an explanation: a sub-expression, its value, its parts, the names it read. */
export interface Trace {
  text: string;
  value: FactValue | null;
  parts?: Trace[];
  uses?: Record<string, FactValue | null>;
}
export const trace: z.ZodType<Trace> = z
  .object({
    text: z.string(),
    value: factValue.nullable(),
    get parts() {
      return z.array(trace).optional();
    },
    uses: z.record(z.string(), factValue.nullable()).optional(),
  })
  .meta({ id: 'Trace' });

/** A jurisdiction as runs name it: its region code and name. */
const jurisdictionRef = z.object({ code: z.string(), name: z.string() });

export const run = z.object({
  id: z.number(),
  /** the jurisdiction whose people the run evaluates (a county, or a city for the items it pays) */
  jurisdiction: jurisdictionRef,
  period: z.string(),
  status: runStatus,
  previousRunId: z.number().nullable(),
  /** the jurisdiction's totals: null for an officer of a town or village, who sees `progress` only */
  personsTotal: z.number().nullable(),
  personsDone: z.number().nullable(),
  granted: z.number().nullable(),
  changes: z.number().nullable(),
  /** its rows to verify (待核实), listed with the changes but not counted in them; null for an officer of a town or village, and on a person's page */
  verify: z.number().nullable(),
  /** 0-100 */
  progress: z.number(),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  message: z.string().nullable(),
  /** why the run no longer matches the parameters in force for its month, or null */
  stale: z.string().nullable(),
});
export const runsReply = z.object({
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** the catalogue the jurisdiction runs now */
  jurisdiction: z.string(),
  region: jurisdictionRef,
  title: z.string(),
  /** the catalogue lists only the items its document defines */
  partial: z.boolean(),
  /** whether the viewer may start this jurisdiction's runs (its own bureau; a city officer watches its counties') */
  mayStart: z.boolean(),
  items: z.array(run),
});
/** The jurisdictions a viewer works with that run a catalogue (the runs and catalogue pages' picker). */
export const jurisdictionsReply = z.object({
  items: z.array(
    z.object({ code: z.string(), name: z.string(), level: z.string(), catalogue: z.string(), title: z.string().nullable(), partial: z.boolean() }),
  ),
});
export const startedRunReply = z.object({ id: z.number(), period: z.string(), status: z.string(), personsTotal: z.number() });

const benefitKind = z.enum(['cash_monthly', 'discount', 'service', 'insurance', 'priority']);
const schedule = z.enum(['monthly', 'birthday', 'chongyang']);
const calendar = z.object({ period: z.string(), chongyang: z.string(), chongyangInPeriod: z.boolean() });
const usedParam = z.object({
  value: z.union([z.number(), z.string(), z.null()]),
  from: z.string(),
  to: z.string().nullable(),
  source: z.string(),
  sourceEn: z.string().optional(),
});

export const runDetailReply = z.object({
  run,
  catalogue: z.object({ jurisdiction: z.string(), title: z.string(), effective: z.string(), sha256: z.string() }),
  calendar,
  params: z.array(usedParam.extend({ name: z.string(), label: z.string(), type: z.enum(['money', 'int', 'text']) })),
  changeCounts: z.array(z.object({ kind: changeKind, n: z.number(), handled: z.number() })),
  items: z.array(z.object({ id: z.string(), no: z.string(), name: z.string(), kind: benefitKind, when: schedule })),
});

export const change = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  regionName: z.string(),
  townName: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  kind: changeKind,
  from: z.string().nullable(),
  to: z.string().nullable(),
  status: z.string(),
  closedOn: z.string().nullable(),
  birthDate: z.string(),
  handled: z.boolean(),
  /** verify (待核实): the facts that are unknown for the person, which the item's rule reads */
  missing: z.array(z.string()),
});
export const changesReply = z.object({
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** whether the viewer follows this list up (the jurisdiction's own people; a city reads a county's) */
  mayHandle: z.boolean(),
  items: z.array(change),
});
export const handledReply = z.object({ id: z.number(), handled: z.boolean() });

export const duty = z.object({
  itemId: z.string(),
  no: z.string(),
  name: z.string(),
  when: schedule,
  kind: benefitKind,
  count: z.number(),
  insurer: z.string().nullable(),
  note: z.string(),
});
export const dutiesReply = z.object({ period: z.string(), calendar, duties: z.array(duty) });

export const rosterRow = z.object({
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  sex: z.string(),
  birthDate: z.string(),
  regionName: z.string(),
  townName: z.string(),
});
export const rosterReply = z.object({
  item: z.object({ id: z.string(), name: z.string() }),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  items: z.array(rosterRow),
});

/* ---- payment rolls ---- */
export const rollAction = z.enum(['edit', 'submit', 'approve', 'return', 'export']);
export const rerunInfo = z.object({
  fromRollId: z.number(),
  fromStatus: rollStatus,
  added: z.number(),
  removed: z.number(),
  amount: z.number(),
  heldGone: z.number(),
  at: z.string(),
});
export const roll = z.object({
  id: z.number(),
  runId: z.number(),
  period: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  townCode: z.string(),
  townName: z.string(),
  status: rollStatus,
  /** regular, or a difference roll: backpay (补发) or recovery (追回) */
  kind: rollKind,
  lines: z.number(),
  totalFen: z.number(),
  madeBy: z.string().nullable(),
  madeAt: z.string().nullable(),
  checkedBy: z.string().nullable(),
  checkedAt: z.string().nullable(),
  note: z.string().nullable(),
  /** the roll of a re-run that replaced this one */
  replacedBy: z.number().nullable(),
  /** set when this roll replaced a worked-on one: what changed */
  rerun: rerunInfo.nullable(),
  stale: z.string().nullable(),
  /** what the viewer may do now, decided by the server */
  actions: z.array(rollAction),
  /** why a checker is not offered 审核通过 on this submitted roll: they made it, or it is out of date */
  checkBlocked: z.enum(['maker', 'stale']).nullable(),
});
export const rollsReply = z.object({
  items: z.array(roll),
  totals: z.object({ rolls: z.number(), lines: z.number(), totalFen: z.number() }),
});
export const rollLine = z.object({
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  regionName: z.string(),
  amountFen: z.number(),
  standardFen: z.number(),
  excluded: z.boolean(),
  remark: z.string().nullable(),
  /** why the line is paused (pauses.ts: no_account, abroad…), null when paid or held back by hand; and in words */
  pause: z.string().nullable(),
  pauseText: z.string().nullable(),
  /** e.g. the amount of a held-back line changed with a re-run */
  note: z.object({ kind: z.literal('amount_changed'), fromFen: z.number(), toFen: z.number() }).nullable(),
  /** a difference roll's line: each month it covers, what was due and paid, and why (in the viewer's language) */
  months: z.array(z.object({ month: z.string(), dueFen: z.number(), paidFen: z.number(), reasons: z.array(z.string()) })).nullable(),
});
export const rerunChange = z.object({
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  regionName: z.string(),
  kind: z.enum(['added', 'removed', 'amount', 'held_gone']),
  oldFen: z.number().nullable(),
  newFen: z.number().nullable(),
  remark: z.string().nullable(),
});
export const rollDetailReply = z.object({
  roll,
  lines: z.array(rollLine),
  rerunChanges: z.array(rerunChange),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});
export const lineEditedReply = okReply;

/* ---- what re-running a month or changing a parameter would touch ---- */
export const runImpactReply = z.object({
  period: z.string(),
  running: z.number().nullable(),
  rolls: z.array(
    z.object({
      id: z.number(),
      itemId: z.string(),
      itemName: z.string(),
      townCode: z.string(),
      townName: z.string(),
      status: rollStatus,
      lines: z.number(),
      totalFen: z.number(),
      heldLines: z.number(),
      effect: z.enum(['kept', 'carried', 'replaced']),
    }),
  ),
});
export const parameterImpactReply = z.object({
  staleRuns: z.array(z.object({ id: z.number(), period: z.string(), reason: z.string().nullable(), alreadyStale: z.boolean(), openRolls: z.number() })),
});

/* ---- decisions explained, the self-check ---- */
export const itemExplanation = z.object({
  id: z.string(),
  granted: z.boolean(),
  value: z.number().nullable(),
  schedule: z.object({ when: schedule, fires: z.boolean(), note: z.string() }),
  rule: trace,
  amount: trace.nullable(),
  excludedBy: z.string().nullable(),
  /** the rule held but the amount or percent works out to 0: not granted */
  zero: z.boolean(),
  /** due but undecided (待核实): the facts its rule reads that are unknown */
  missing: z.array(z.string()),
  params: z.record(z.string(), usedParam),
});
export const explanation = z.object({
  period: z.string(),
  catalogue: z.object({ jurisdiction: z.string(), effective: z.string(), sha256: z.string() }),
  population: trace,
  facts: z.record(z.string(), factValue.nullable()),
  items: z.array(itemExplanation),
});
/** value: fen, percent or 1; null while the standard it reads is not set (self-check only) */
export const entitlement = z.object({ id: z.string(), no: z.string(), name: z.string(), kind: benefitKind, value: z.number().nullable(), text: z.string() });
export const whatIf = z.object({
  fact: z.string(),
  label: z.string(),
  from: factValue.nullable(),
  to: factValue,
  toLabel: z.string(),
  gained: z.array(entitlement),
  lost: z.array(entitlement),
  changed: z.array(z.object({ id: z.string(), name: z.string(), from: z.string(), to: z.string() })),
});
export const itemMeta = z.object({
  id: z.string(),
  no: z.string(),
  name: z.string(),
  target: z.string(),
  kind: benefitKind,
  source: z.string(),
  types: z.array(z.string()),
  rule: z.string(),
  /** who the item is for, in words (catalogue/rule-words.ts): what the public self-check shows instead of `rule` */
  sentence: words,
});
export const selfCheckReply = z.object({
  period: z.string(),
  catalogue: z.object({ jurisdiction: z.string(), title: z.string(), effective: z.string() }),
  entitlements: z.array(entitlement),
  explanation,
  whatIf: z.array(whatIf),
  /** parameters still unset: amounts that read them are shown as "standard not yet set" */
  unset: z.array(z.string()),
  items: z.array(itemMeta),
});
const personEntitlementsIn = z.object({
  /** the jurisdiction and catalogue these decisions are of */
  jurisdiction: jurisdictionRef.extend({ title: z.string() }),
  decision: z.object({ run, explanation: explanation.nullable(), items: z.array(itemMeta) }).nullable(),
  now: selfCheckReply,
});
/**
 * A person's entitlements in their own jurisdiction (the county's catalogue), and in `above`, those
 * of the jurisdictions above it that run a catalogue of their own (the city's items).
 */
export const personEntitlementsReply = personEntitlementsIn.extend({ above: z.array(personEntitlementsIn) });
export const publicCatalogueReply = z.object({
  title: z.string(),
  effective: z.string(),
  county: z.string(),
  partial: z.boolean(),
  items: z.array(z.object({ id: z.string(), no: z.string(), name: z.string(), target: z.string(), content: z.string(), types: z.array(z.string()) })),
});

export type Run = z.infer<typeof run>;
export type RunList = z.infer<typeof runsReply>;
export type StartedRun = z.infer<typeof startedRunReply>;
export type RunDetail = z.infer<typeof runDetailReply>;
export type RunItemMeta = RunDetail['items'][number];
export type Change = z.infer<typeof change>;
export type ChangeList = z.infer<typeof changesReply>;
export type Duty = z.infer<typeof duty>;
export type Duties = z.infer<typeof dutiesReply>;
export type RosterRow = z.infer<typeof rosterRow>;
export type Roster = z.infer<typeof rosterReply>;
export type RollAction = z.infer<typeof rollAction>;
export type RerunInfo = z.infer<typeof rerunInfo>;
export type Roll = z.infer<typeof roll>;
export type RollList = z.infer<typeof rollsReply>;
export type RollLine = z.infer<typeof rollLine>;
export type RerunChange = z.infer<typeof rerunChange>;
export type RollDetail = z.infer<typeof rollDetailReply>;
export type RunImpact = z.infer<typeof runImpactReply>;
export type ParameterImpact = z.infer<typeof parameterImpactReply>;
export type ItemExplanation = z.infer<typeof itemExplanation>;
export type Explanation = z.infer<typeof explanation>;
export type Entitlement = z.infer<typeof entitlement>;
export type WhatIf = z.infer<typeof whatIf>;
export type ItemMeta = z.infer<typeof itemMeta>;
export type SelfCheckResult = z.infer<typeof selfCheckReply>;
export type PersonEntitlements = z.infer<typeof personEntitlementsReply>;

/** A person's payments (the profile's 发放记录): each roll line, newest month first. */
export const paymentHistoryReply = z.object({
  items: z.array(
    z.object({
      rollId: z.number(),
      period: z.string(),
      itemId: z.string(),
      itemName: z.string(),
      kind: rollKind,
      status: rollStatus,
      standardFen: z.number(),
      amountFen: z.number(),
      excluded: z.boolean(),
      remark: z.string().nullable(),
      /** approved and not held back */
      settled: z.boolean(),
      months: z.array(z.object({ month: z.string(), dueFen: z.number(), paidFen: z.number(), reasons: z.array(z.string()) })).nullable(),
    }),
  ),
});
export type PaymentHistory = z.infer<typeof paymentHistoryReply>;
export type PublicCatalogue = z.infer<typeof publicCatalogueReply>;
export type Jurisdictions = z.infer<typeof jurisdictionsReply>;
export type PublicPlaces = z.infer<typeof publicPlacesReply>;
/** The places the public pages ask for first: each county running a catalogue (its own or its city's). */
export const publicPlacesReply = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string(), parent: z.string().nullable(), title: z.string() })),
});
export type SelfCheckBody = z.input<typeof selfCheckBody>;

/* ---- paused entitlements (pauses.ts) ---- */
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const pauseReason = z.enum(OFFICER_PAUSE_REASONS);
export const setPauseBody = z.object({
  reason: pauseReason,
  /** cash item ids it covers; empty or absent: every cash item */
  items: z.array(z.string().min(1).max(40)).max(50).nullable().default(null),
  since: month,
  note: z.string().max(500),
});
export const liftPauseBody = z.object({ backpay: z.boolean(), note: z.string().max(500) });
export const pauseView = z.object({
  id: z.number(),
  personId: z.number(),
  reason: pauseReason,
  reasonText: z.string(),
  items: z.array(z.string()).nullable(),
  note: z.string(),
  since: z.string(),
  setByName: z.string(),
  setAt: z.string(),
  liftedByName: z.string().nullable(),
  liftedAt: z.string().nullable(),
  liftNote: z.string().nullable(),
  backpay: z.boolean().nullable(),
});
export const personPausesReply = z.object({ items: z.array(pauseView), noAccount: z.boolean() });
export const pausedQuery = z.object({
  period: month.optional(),
  reason: z.enum([...PAUSE_REASONS, 'held']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const pausedReply = z.object({
  period: z.string(),
  items: z.array(
    z.object({
      personId: z.number(),
      name: z.string(),
      idMasked: z.string(),
      regionCode: z.string(),
      regionName: z.string(),
      reasons: z.array(z.string()),
      reasonText: z.string(),
      remark: z.string().nullable(),
      items: z.array(z.object({ itemId: z.string(), itemName: z.string(), standardFen: z.number(), rollId: z.number().nullable() })),
      dueFen: z.number(),
      since: z.string(),
      pauseId: z.number().nullable(),
    }),
  ),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** persons per reason, before the reason filter */
  counts: z.record(z.string(), z.number()),
});
export type PausedQueue = z.infer<typeof pausedReply>;
export type PersonPauses = z.infer<typeof personPausesReply>;
export type PauseView = z.infer<typeof pauseView>;

/** `full=true` asks for full IDs (roles that may reveal), as the register's exports; anything else is the masked export. */
const exportFullFlag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');
/** The change list's filters without paging: the export holds every row (up to the cap). */
export const changesExportQuery = changesQuery.omit({ page: true, pageSize: true }).extend({ full: exportFullFlag });
/** The paused list's filters without paging. */
export const pausedExportQuery = pausedQuery.omit({ page: true, pageSize: true });
