import type { ChangeKind, RollKind, RollStatus, RunStatus } from '../modules/entitlements/entitlements.schema.js';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table types. Booleans are stored as 0/1 integers and dates as ISO text on both databases. */
export interface RegionTable {
  code: string;
  name: string;
  /** province | city | county | town | village */
  level: string;
  /** town | street | village | community (the finer kind of a level) */
  kind: string;
  parent_code: string | null;
  /** The significant part of the code: every descendant's code starts with it. */
  prefix: string;
}

export interface PersonTable {
  id: Generated<number>;
  id_hash: string;
  id_enc: string;
  id_masked: string;
  name: string;
  sex: string;
  birth_date: string;
  region_code: string;
  hukou_local: number;
  phone_enc: string | null;
  phone_masked: string | null;
  status: string;
  closed_on: string | null;
  hardship: string;
  living_alone: number;
  empty_nest: number;
  left_behind: number;
  solitary: number;
  special_family: number;
  disability_grade: number | null;
  disability_kind: string | null;
  ltc_grade: string | null;
  pension_type: string | null;
  veteran_category: string | null;
  special_contribution: number;
  /** 参加基本医疗保险: 1 insured, 0 not known to be */
  medical_insured: number;
  /** 流浪乞讨救助对象 */
  vagrant: number;
  chronic_diseases: string | null;
  last_checkup: string | null;
  /**
   * The latest reviewed capability assessment (GB/T 42195-2022), written by the assessment module
   * through register/capability.ts: its final level, reference date, when the next one is due and
   * until when this level counts, and its id. All null: never assessed.
   */
  capability_level: string | null;
  capability_on: string | null;
  capability_due: string | null;
  capability_until: string | null;
  capability_assessment_id: number | null;
  /** JSON: field -> [source, asOf, importId] */
  provenance: string;
  /**
   * JSON: source department -> "<data date>:<keyed digest>" of the row it last delivered for this
   * person (register/012-source-digests). A file delivering the same row again with the same date
   * is passed over without merging. Null: nothing recorded yet.
   */
  source_digests: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonHistoryTable {
  id: Generated<number>;
  person_id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  source: string;
  as_of: string;
  /** the date the change applies from when its file said so (生效日期), else null: from as_of (register/001-history-effective) */
  effective_on: string | null;
  import_id: number | null;
  at: string;
}

export interface AttributeConflictTable {
  id: Generated<number>;
  person_id: number;
  field: string;
  current_value: string | null;
  current_source: string;
  current_as_of: string;
  incoming_value: string | null;
  incoming_source: string;
  incoming_as_of: string;
  import_id: number | null;
  status: string;
  resolved_by: number | null;
  resolved_at: string | null;
  created_at: string;
}

export interface ImportTable {
  id: Generated<number>;
  source: string;
  file_name: string;
  file_sha256: string;
  format: string;
  encoding: string;
  as_of: string;
  status: string;
  rows_total: number;
  rows_bad: number;
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  closed: number;
  message: string | null;
  imported_by: number | null;
  region_code: string;
  started_at: string;
  finished_at: string | null;
  /** apply's progress: the last row committed, and the fields changed so far (JSON) — migration 006 */
  applied_through: Generated<number>;
  applied_fields: Generated<string | null>;
}

export interface ImportErrorTable {
  id: Generated<number>;
  import_id: number;
  row_no: number;
  column_name: string | null;
  value: string | null;
  /** the reason in Chinese as written when stored (the only wording of rows stored before 009) */
  reason: string;
  /** stable code of the reason (imports/row-reasons.ts) */
  code: string;
  /** the reason's parameters, JSON; null for rows stored before 009 */
  params: string | null;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  region_code: string;
  /** unused since 007-login-guard (back-off is per username and address, in login_guard) */
  failed_logins: Generated<number>;
  /** unused since 007-login-guard */
  locked_until: Generated<string | null>;
  active: number;
  created_at: string;
  /** the organisation whose staff the user is (users/001-organisation; no foreign key until organisations exist) */
  organisation_id: Generated<number | null>;
  /** 1 while the user must change a password an administrator set (users/002-must-change-password) */
  must_change_password: Generated<number>;
}

/** Login back-off: one row per (username, client address) and one per client address. */
export interface LoginGuardTable {
  key: string;
  username: string | null;
  ip: string;
  /** failures since first_at */
  failures: number;
  first_at: string;
  locked_until: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  ip: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: number | null;
  actor: string;
  role: string | null;
  ip: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  region_code: string | null;
  fields: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

export interface CatalogueVersionTable {
  id: Generated<number>;
  jurisdiction: string;
  effective: string;
  sha256: string;
  file: string;
  text: string;
  recorded_at: string;
}

export interface ParameterValueTable {
  id: Generated<number>;
  jurisdiction: string;
  name: string;
  valid_from: string;
  /** JSON: fen for money, a number for int, a string for text */
  value: string;
  note: string;
  set_by: number;
  set_by_name: string;
  set_at: string;
}

export interface EntitlementRunTable {
  id: Generated<number>;
  /** the catalogue's name (catalogues/<name>/) */
  jurisdiction: string;
  /** the jurisdiction whose people the run evaluates: a county's region code, or a city's for the items the city pays */
  region_code: Generated<string>;
  period: string;
  catalogue_version_id: number;
  params: string;
  fact_names: string;
  /** running | finished | failed */
  status: RunStatus;
  lock_key: string | null;
  previous_run_id: number | null;
  persons_total: number;
  persons_done: number;
  granted: number;
  changes: number;
  started_by: number | null;
  started_by_name: string;
  started_at: string;
  finished_at: string | null;
  message: string | null;
}

/** Background work of every kind (platform/jobs.ts). */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  key: string;
  /** 'kind:key' while running, NULL once ended: one running job per key */
  lock_key: string | null;
  /** running | finished | failed */
  status: 'running' | 'finished' | 'failed';
  /** 'host:pid' of the process executing the job */
  runner: string | null;
  /** when that process last committed progress */
  heartbeat_at: string | null;
  done: number;
  total: number;
  /** JSON: what the job needs to resume */
  state: string;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface DecisionTable {
  run_id: number;
  person_id: number;
  region_code: string;
  facts: string;
  outcome: string;
}

/** One row per person and item a run granted, with the decision (the outcome JSON, queryable per item). */
export interface DecisionItemTable {
  run_id: number;
  item_id: string;
  region_code: string;
  person_id: number;
  /** the outcome's value: an amount in fen, a percent, or 1 for a benefit without one */
  value: number;
}

export interface DecisionChangeTable {
  id: Generated<number>;
  run_id: number;
  person_id: number;
  region_code: string;
  item_id: string;
  /** new | ended | amount | verify (待核实: undecided, a fact its rule reads is unknown) */
  kind: ChangeKind;
  old_value: number | null;
  new_value: number | null;
  /** verify: the unknown facts, comma-separated */
  missing: string | null;
  handled_by: number | null;
  handled_at: string | null;
}

export interface PaymentRollTable {
  id: Generated<number>;
  run_id: number;
  period: string;
  item_id: string;
  item_name: string;
  town_code: string;
  /** pending (a running run's) | draft | submitted | approved | returned | superseded */
  status: RollStatus;
  lines: number;
  total_fen: number;
  made_by: number | null;
  made_by_name: string | null;
  made_at: string | null;
  checked_by: number | null;
  checked_by_name: string | null;
  checked_at: string | null;
  note: string | null;
  /** the roll of a later run of the same month that replaced this one (status superseded) */
  replaced_by: Generated<number | null>;
  /** JSON RerunInfo: the roll this one replaced and what changed, when that roll had been worked on */
  rerun: Generated<string | null>;
  /** JSON array of the ids of users who edited the lines: makers, who may not check the roll */
  editors: Generated<string | null>;
  /** regular (the month's payment) | backpay (补发) | recovery (追回): differences found for earlier months */
  kind: Generated<RollKind>;
}

/** Per line of a difference roll, each month it covers (entitlements/differences.ts). */
export interface DifferenceMonthTable {
  roll_id: number;
  person_id: number;
  item_id: string;
  /** YYYY-MM */
  month: string;
  due_fen: number;
  paid_fen: number;
  /** JSON DifferenceReason[] */
  reasons: string;
}

/** Per person, how a re-run's roll differs from the worked-on roll it replaced. */
export interface RollRerunChangeTable {
  id: Generated<number>;
  roll_id: number;
  person_id: number;
  region_code: string;
  /** added | removed | amount | held_gone */
  kind: 'added' | 'removed' | 'amount' | 'held_gone';
  old_fen: number | null;
  new_fen: number | null;
  remark: string | null;
}

export interface RollLineTable {
  roll_id: number;
  person_id: number;
  region_code: string;
  amount_fen: number;
  standard_fen: number;
  excluded: number;
  remark: string | null;
  /** set by a re-run: e.g. the amount of a held-back line changed */
  note: Generated<string | null>;
  /** why the line is paused (entitlements/pauses.ts PauseReason); NULL when paid or held back by hand */
  pause: Generated<string | null>;
  /** the officer's pause (payment_pauses.id) that paused it */
  pause_id: Generated<number | null>;
}

/** A pause an officer set on a person's payments (暂停发放), kept when lifted. */
export interface PaymentPauseTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  reason: string;
  /** JSON array of the cash item ids it covers; NULL: every cash item */
  items: string | null;
  note: string;
  /** YYYY-MM: the first month it applies to */
  since: string;
  set_by: number | null;
  set_by_name: string;
  set_at: string;
  lifted_by: number | null;
  lifted_by_name: string | null;
  lifted_at: string | null;
  lift_note: string | null;
  /** chosen when lifted: 1 when the months it paused are paid back */
  backpay: number | null;
}

/** A jurisdiction's setting, one row per change (append-only); the latest row is in force. */
export interface JurisdictionSettingTable {
  id: Generated<number>;
  jurisdiction_code: string;
  name: string;
  /** JSON */
  value: string;
  note: string;
  set_by: number | null;
  set_by_name: string;
  set_at: string;
}

export interface Database {
  regions: RegionTable;
  persons: PersonTable;
  person_history: PersonHistoryTable;
  attribute_conflicts: AttributeConflictTable;
  imports: ImportTable;
  import_errors: ImportErrorTable;
  users: UserTable;
  sessions: SessionTable;
  login_guard: LoginGuardTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  settings: SettingTable;
  catalogue_versions: CatalogueVersionTable;
  parameter_values: ParameterValueTable;
  entitlement_runs: EntitlementRunTable;
  decisions: DecisionTable;
  decision_items: DecisionItemTable;
  decision_changes: DecisionChangeTable;
  payment_rolls: PaymentRollTable;
  roll_lines: RollLineTable;
  payment_pauses: PaymentPauseTable;
  roll_rerun_changes: RollRerunChangeTable;
  difference_months: DifferenceMonthTable;
  jurisdiction_settings: JurisdictionSettingTable;
  jobs: JobTable;
}

export type PersonRow = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type RegionRow = Selectable<RegionTable>;
export type UserRow = Selectable<UserTable>;
export type ImportRow = Selectable<ImportTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type RunRow = Selectable<EntitlementRunTable>;
export type JobRow = Selectable<JobTable>;
export type RollRow = Selectable<PaymentRollTable>;
export type ParameterValueRow = Selectable<ParameterValueTable>;
