/** The shapes of the catalogue and entitlement API (src/modules/catalogue, src/modules/entitlements). */

export type FactValue = boolean | number | string | readonly (number | string)[];
export type ParamType = 'money' | 'int' | 'text';
export type BenefitKind = 'cash_monthly' | 'discount' | 'service' | 'insurance' | 'priority';
export type Schedule = 'monthly' | 'birthday' | 'chongyang';

export interface CatalogueItem {
  id: string;
  no: string;
  local: boolean;
  target: string;
  name: string;
  content: string;
  types: string[];
  department: string | null;
  when: Schedule;
  rule: string;
  source: string;
  note: string | null;
  exclusive: { group: string; rank: number } | null;
  benefit: { kind: BenefitKind; amount: string | null; percent: string | null; quota: string | null; insurer: string | null };
  params: string[];
}
export interface UsedParam {
  value: number | string | null;
  from: string;
  to: string | null;
  source: string;
}
export interface ParameterOverride {
  from: string;
  value: number | string | null;
  note: string;
  setBy: string;
  setAt: string;
}
export interface CatalogueParameter {
  name: string;
  label: string;
  type: ParamType;
  unit: string | null;
  current: UsedParam | null;
  values: UsedParam[];
  overrides: ParameterOverride[];
}
export interface FactInfo {
  name: string;
  label: string;
  labelEn: string;
  type: 'int' | 'bool' | 'enum' | string;
  values: Record<string, string> | null;
}
export interface CatalogueView {
  jurisdiction: string;
  title: string;
  effective: string;
  source: string;
  notes: string[];
  file: string;
  sha256: string;
  population: string;
  active: boolean;
  versions: string[];
  jurisdictions: { jurisdiction: string; title: string }[];
  items: CatalogueItem[];
  parameters: CatalogueParameter[];
  facts: FactInfo[];
}

export type RunStatus = 'running' | 'finished' | 'failed';
export interface Run {
  id: number;
  period: string;
  status: RunStatus;
  previousRunId: number | null;
  /** the jurisdiction's totals: null for an officer of a town or village, who sees `progress` only */
  personsTotal: number | null;
  personsDone: number | null;
  granted: number | null;
  changes: number | null;
  /** 0-100 */
  progress: number;
  /** why the run no longer matches the parameters in force for its month, or null */
  stale: string | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  message: string | null;
}
export interface RunList {
  jurisdiction: string;
  title: string;
  items: Run[];
}
export interface RunItemMeta {
  id: string;
  no: string;
  name: string;
  kind: BenefitKind;
  when: Schedule;
}
export interface RunDetail {
  run: Run;
  catalogue: { jurisdiction: string; title: string; effective: string; sha256: string };
  calendar: { period: string; chongyang: string; chongyangInPeriod: boolean };
  params: (UsedParam & { name: string; label: string; type: ParamType })[];
  changeCounts: { kind: ChangeKind; n: number; handled: number }[];
  items: RunItemMeta[];
}
/** verify (待核实): undecided, a fact the item's rule reads is unknown */
export type ChangeKind = 'new' | 'ended' | 'amount' | 'verify';
export interface Change {
  id: number;
  personId: number;
  name: string;
  idMasked: string;
  regionName: string;
  townName: string;
  itemId: string;
  itemName: string;
  kind: ChangeKind;
  from: string | null;
  to: string | null;
  status: string;
  closedOn: string | null;
  birthDate: string;
  handled: boolean;
  /** verify: the unknown facts */
  missing?: string[];
}
export interface Duty {
  itemId: string;
  no: string;
  name: string;
  when: Schedule;
  kind: BenefitKind;
  count: number;
  insurer: string | null;
  note: string;
}
export interface Duties {
  period: string;
  calendar: RunDetail['calendar'];
  duties: Duty[];
}
export interface RosterRow {
  personId: number;
  name: string;
  idMasked: string;
  sex: 'M' | 'F';
  birthDate: string;
  regionName: string;
  townName: string;
}

export type RollStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'superseded';
export type RollAction = 'edit' | 'submit' | 'approve' | 'return' | 'export';
export interface RerunInfo { fromRollId: number; fromStatus: RollStatus; added: number; removed: number; amount: number; heldGone: number; at: string }
export interface Roll {
  id: number;
  runId: number;
  period: string;
  itemId: string;
  itemName: string;
  townCode: string;
  townName: string;
  status: RollStatus;
  lines: number;
  totalFen: number;
  madeBy: string | null;
  madeAt: string | null;
  checkedBy: string | null;
  checkedAt: string | null;
  note: string | null;
  /** the roll of a re-run that replaced this one */
  replacedBy: number | null;
  /** set when this roll replaced a worked-on one: what changed */
  rerun: RerunInfo | null;
  stale: string | null;
  /** what the viewer may do now, decided by the server */
  actions: RollAction[];
  /** why a checker is not offered 审核通过 on this submitted roll: they made it, or it is out of date */
  checkBlocked: 'maker' | 'stale' | null;
}
export interface RollList {
  items: Roll[];
  totals: { rolls: number; lines: number; totalFen: number };
}
export interface RollLine {
  personId: number;
  name: string;
  idMasked: string;
  regionName: string;
  amountFen: number;
  standardFen: number;
  excluded: boolean;
  remark: string | null;
  /** e.g. the amount of a held-back line changed with a re-run */
  note: { kind: 'amount_changed'; fromFen: number; toFen: number } | null;
}
export interface RerunChange {
  personId: number;
  name: string;
  idMasked: string;
  regionName: string;
  kind: 'added' | 'removed' | 'amount' | 'held_gone';
  oldFen: number | null;
  newFen: number | null;
  remark: string | null;
}
export interface RunImpact {
  period: string;
  running: number | null;
  rolls: { id: number; itemName: string; townName: string; status: RollStatus; lines: number; totalFen: number; heldLines: number; effect: 'kept' | 'carried' | 'replaced' }[];
}
export interface ParameterImpact {
  staleRuns: { id: number; period: string; reason: string | null; alreadyStale: boolean; openRolls: number }[];
}
export interface RollDetail {
  roll: Roll;
  lines: RollLine[];
  rerunChanges: RerunChange[];
  page: number;
  pageSize: number;
  total: number;
}

/** One step of an explanation (engine Trace): a sub-expression, its value, its parts or the names it read. */
export interface Trace {
  text: string;
  value: FactValue | null;
  parts?: Trace[];
  uses?: Record<string, FactValue | null>;
}
export interface ItemExplanation {
  id: string;
  granted: boolean;
  /** due but undecided (待核实): the unknown facts its rule reads */
  missing?: string[];
  value: number | null;
  schedule: { when: Schedule; fires: boolean; note: string };
  rule: Trace;
  amount: Trace | null;
  excludedBy: string | null;
  /** the rule held but the amount or percent works out to 0: not granted */
  zero?: boolean;
  params: Record<string, UsedParam>;
}
export interface Explanation {
  period: string;
  catalogue: { jurisdiction: string; effective: string; sha256: string };
  population: Trace;
  facts: Record<string, FactValue>;
  items: ItemExplanation[];
}
export interface Entitlement {
  id: string;
  no: string;
  name: string;
  kind: BenefitKind;
  value: number;
  text: string;
}
export interface WhatIf {
  fact: string;
  label: string;
  from: FactValue;
  to: FactValue;
  toLabel: string;
  gained: Entitlement[];
  lost: Entitlement[];
  changed: { id: string; name: string; from: string; to: string }[];
}
export interface ItemMeta {
  id: string;
  no: string;
  name: string;
  target: string;
  kind: BenefitKind;
  source: string;
  types: string[];
  rule: string;
}
export interface SelfCheckResult {
  period: string;
  catalogue: { jurisdiction: string; title: string; effective: string };
  entitlements: Entitlement[];
  explanation: Explanation;
  whatIf: WhatIf[];
  unset: string[];
  items: ItemMeta[];
}
export interface PersonEntitlements {
  decision: { run: Run; explanation: Explanation | null; items: ItemMeta[] } | null;
  now: SelfCheckResult;
}
/** The public self-check form, as profileSchema (src/modules/catalogue/catalogue.schema.ts) takes it. */
export interface SelfCheckProfile {
  birthDate: string;
  sex: 'M' | 'F';
  hukouLocal: boolean;
  urban: boolean;
  hardship: string;
  living: string[];
  specialFamily: boolean;
  disabilityGrade: number;
  disabilityKind: string;
  ltcGrade: string;
  /** facts the person does not know (only those declared as possibly unknown) */
  unknown?: string[];
  pensionType: string;
  veteranCategory: string;
  specialContribution: boolean;
  medicalInsured: boolean;
  vagrant: boolean;
}
