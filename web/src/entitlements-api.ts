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
  personsTotal: number;
  personsDone: number;
  granted: number;
  changes: number;
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
export type ChangeKind = 'new' | 'ended' | 'amount';
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

export type RollStatus = 'draft' | 'submitted' | 'returned' | 'approved';
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
}
export interface RollDetail {
  roll: Roll;
  lines: RollLine[];
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
  pensionType: string;
  veteranCategory: string;
  specialContribution: boolean;
  medicalInsured: boolean;
  vagrant: boolean;
}
