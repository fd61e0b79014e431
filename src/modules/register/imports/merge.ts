import type { NewPerson, PersonRow, PersonUpdate } from '../../../db/tables.js';
import type { FieldCipher, Sealed } from '../../../platform/crypto.js';
import { mask } from '../../../platform/mask.js';
import { conflictKey, type NewConflict, type NewHistory } from '../register.repository.js';
import { fields, type FieldKey } from '../sources/fields.js';
import { cardColumns, maskCard } from '../sources/payee.js';
import type { ParsedRow } from './row-parser.js';

/**
 * How one department row changes one person. The rules of provenance:
 * - a field nobody has supplied yet takes the value;
 * - the same source with a newer (or equal) data date updates it, keeping the old value in history;
 * - the same source with an older data date is stale and changes nothing;
 * - another source with a different value is a conflict for an officer to resolve: never
 *   silently overwritten, and reported once however often the same file is imported.
 */
export interface MergeContext {
  source: string;
  asOf: string;
  importId: number;
  now: string;
  cipher: FieldCipher;
  /** source department and data date of an earlier import */
  importOf(id: number): { source: string; asOf: string } | undefined;
}

/**
 * field → the import that supplied its value. The import record carries the source department
 * and the data date, so each person stores one small number per field.
 */
export type Provenance = Record<string, number>;

/** Fields that describe the row rather than the person, or that the ID already fixes. */
const NOT_MERGED: ReadonlySet<FieldKey> = new Set(['sex', 'birthDate', 'statusDate', 'effectiveFrom']);

function columnsFor(field: FieldKey, value: string | null, cipher: FieldCipher): Partial<PersonRow> {
  if (field === 'phone') return value ? { phone_enc: cipher.encrypt(value), phone_masked: mask('phone', value) } : { phone_enc: null, phone_masked: null };
  if (field === 'payeeCard') return cardColumns(value, cipher);
  return fields[field].toColumns?.(value) ?? {};
}

function currentValue(field: FieldKey, p: PersonRow, cipher: FieldCipher): string | null {
  if (field === 'phone') return p.phone_enc ? cipher.decrypt(p.phone_enc) : null;
  if (field === 'payeeCard') return p.payee_card_enc ? cipher.decrypt(p.payee_card_enc) : null;
  return fields[field].fromPerson?.(p) ?? null;
}

/** What history and conflicts keep of a value: sensitive ones only masked. */
function kept(field: FieldKey, value: string | null): string | null {
  if (field === 'payeeCard' && value) return maskCard(value);
  return field === 'phone' && value ? mask('phone', value) : value;
}

function statusColumns(row: Pick<ParsedRow, 'values'>, ctx: MergeContext): Partial<PersonRow> {
  const status = row.values.status;
  if (status === undefined) return {};
  return { status: status ?? 'active', closed_on: status && status !== 'active' ? (row.values.statusDate ?? ctx.asOf) : null };
}

/**
 * A row's values as one text, the input of its keyed digest (Sealer): the same values in any
 * column order give the same text.
 */
export function rowText(values: ParsedRow['values']): string {
  return JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * What a person keeps of the row a source last delivered (persons.source_digests): the data date
 * and the row's keyed digest. Equal for the same row delivered again with the same date.
 */
export function sourceDigest(asOf: string, sealed: Sealed): string | null {
  return sealed[3] === null ? null : `${asOf}:${sealed[3]}`;
}

const digestDate = (d: string) => d.slice(0, d.indexOf(':'));

/** `sealed`: the row's lookup hash, encrypted ID and phone, and digest, computed in bulk by the caller. */
export function newPerson(row: ParsedRow, ctx: MergeContext, sealed: Sealed): NewPerson {
  const [idHash, idEnc, phoneEnc] = sealed;
  const digest = sourceDigest(ctx.asOf, sealed);
  const provenance: Provenance = {};
  const cols: Partial<PersonRow> = {};
  for (const [key, value] of Object.entries(row.values) as [FieldKey, string | null][]) {
    if (NOT_MERGED.has(key)) continue;
    if (key !== 'phone') Object.assign(cols, columnsFor(key, value, ctx.cipher));
    provenance[key] = ctx.importId;
  }
  if (row.values.phone) Object.assign(cols, { phone_enc: phoneEnc, phone_masked: mask('phone', row.values.phone) });
  Object.assign(cols, statusColumns(row, ctx));
  return {
    hukou_local: 1,
    status: 'active',
    hardship: 'none',
    living_alone: 0,
    empty_nest: 0,
    left_behind: 0,
    solitary: 0,
    special_family: 0,
    special_contribution: 0,
    medical_insured: 0,
    vagrant: 0,
    ...(cols as Partial<NewPerson>),
    id_hash: idHash,
    id_enc: idEnc,
    id_masked: mask('idNumber', row.idNumber),
    name: row.values.name!,
    sex: row.sex,
    birth_date: row.birthDate,
    region_code: row.values.regionCode!,
    provenance: JSON.stringify(provenance),
    source_digests: digest === null ? null : JSON.stringify({ [ctx.source]: digest }),
    created_at: ctx.now,
    updated_at: ctx.now,
  };
}

export interface MergeResult {
  /** columns to write, or null when nothing changes */
  patch: PersonUpdate | null;
  history: NewHistory[];
  conflicts: NewConflict[];
  changedFields: FieldKey[];
  closed: boolean;
}

/**
 * `row.digest`: the row's sourceDigest. It is recorded for the source unless an earlier-dated row
 * of the source is recorded (a stale row changes nothing); recording it alone is not a change of
 * the person (updated_at stays).
 */
export function mergeInto(
  p: PersonRow,
  row: Pick<ParsedRow, 'values'> & { digest?: string | null },
  ctx: MergeContext,
  openConflicts: Set<string>,
): MergeResult {
  const provenance = JSON.parse(p.provenance) as Provenance;
  let cols: Partial<PersonRow> = {};
  let provenanceChanged = false;
  const history: NewHistory[] = [];
  const conflicts: NewConflict[] = [];
  const changedFields: FieldKey[] = [];
  let closed = false;
  for (const [key, value] of Object.entries(row.values) as [FieldKey, string | null][]) {
    if (NOT_MERGED.has(key)) continue;
    const current = currentValue(key, p, ctx.cipher);
    const provId = provenance[key];
    const prov = provId === undefined ? undefined : ctx.importOf(provId);
    const sameSource = !prov || prov.source === ctx.source;
    if (current === value) {
      // Confirmed by a newer file of the same source: remember the newer date, nothing else.
      if (sameSource && (!prov || prov.asOf < ctx.asOf)) {
        provenance[key] = ctx.importId;
        provenanceChanged = true;
      }
      continue;
    }
    if (sameSource) {
      if (prov && ctx.asOf < prov.asOf) continue; // stale: an older file must not undo a newer one
      cols = { ...cols, ...columnsFor(key, value, ctx.cipher) };
      if (key === 'status') {
        cols = { ...cols, ...statusColumns(row, ctx) };
        closed = value !== 'active';
      }
      provenance[key] = ctx.importId;
      provenanceChanged = true;
      changedFields.push(key);
      history.push({
        person_id: p.id,
        field: key,
        old_value: kept(key, current),
        new_value: kept(key, value),
        source: ctx.source,
        as_of: ctx.asOf,
        // a closure applies from its own date (persons.closed_on); other changes from the row's 生效日期, if it gives one
        effective_on: key === 'status' ? null : (row.values.effectiveFrom ?? null),
        import_id: ctx.importId,
        at: ctx.now,
      });
      continue;
    }
    const ck = conflictKey(p.id, key, ctx.source, kept(key, value));
    if (openConflicts.has(ck)) continue;
    openConflicts.add(ck);
    conflicts.push({
      person_id: p.id,
      field: key,
      current_value: kept(key, current),
      current_source: prov!.source,
      current_as_of: prov!.asOf,
      incoming_value: kept(key, value),
      incoming_source: ctx.source,
      incoming_as_of: ctx.asOf,
      import_id: ctx.importId,
      status: 'open',
      resolved_by: null,
      resolved_at: null,
      created_at: ctx.now,
    });
  }
  const digests = p.source_digests ? (JSON.parse(p.source_digests) as Record<string, string>) : {};
  const recorded = digests[ctx.source];
  const digestChanged = !!row.digest && recorded !== row.digest && (!recorded || digestDate(recorded) <= ctx.asOf);
  if (digestChanged) digests[ctx.source] = row.digest!;
  const digestCols: PersonUpdate = digestChanged ? { source_digests: JSON.stringify(digests) } : {};
  const patch = provenanceChanged
    ? ({ ...cols, ...digestCols, provenance: JSON.stringify(provenance), updated_at: ctx.now } as PersonUpdate)
    : digestChanged
      ? digestCols
      : null;
  return { patch, history, conflicts, changedFields, closed };
}

/** Values of a row that are kept encrypted while it waits in the staging table (import_rows). */
const SEALED_VALUES: readonly FieldKey[] = ['phone', 'payeeCard'];

/**
 * A row's values as staged: the phone as the sealer encrypted it (`phoneEnc`), the account
 * encrypted here; every other value as parsed.
 */
export function stagedValues(row: ParsedRow, phoneEnc: string | null, cipher: FieldCipher): ParsedRow['values'] {
  const v = { ...row.values };
  if (v.phone) v.phone = phoneEnc;
  if (v.payeeCard) v.payeeCard = cipher.encrypt(v.payeeCard);
  return v;
}

/** A staged row's values as parsed again (the encrypted ones decrypted), to merge into a person. */
export function unstagedValues(v: ParsedRow['values'], cipher: FieldCipher): ParsedRow['values'] {
  const out = { ...v };
  for (const k of SEALED_VALUES) if (out[k]) out[k] = cipher.decrypt(out[k]);
  return out;
}
