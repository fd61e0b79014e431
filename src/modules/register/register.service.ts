import type { PersonRow } from '../../db/tables.js';
import { listAudit, recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { revealer } from '../../platform/reveal.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { narrowScope, nowhere, requireAction, type Scope } from '../../platform/scope.js';
import { ageOn, nowIso, today } from '../../platform/time.js';
import { personTags, tagFilter } from './tags.js';
import { findDepartment } from './sources/departments.js';
import { displayValue, fields, type FieldKey } from './sources/fields.js';
import * as repo from './register.repository.js';
import type { Provenance } from './imports/merge.js';

export interface SearchInput {
  q?: string;
  regionCode?: string;
  tags?: string[];
  status?: 'active' | 'closed' | 'all';
  page: number;
  pageSize: number;
}

const ID_LIKE = /^\d{17}[\dXx]$/;

export async function search(ctx: AppContext, scope: Scope, input: SearchInput) {
  requireAction(scope, 'register.read');
  const on = today();
  const q = input.q?.trim();
  // a region filter narrows the viewer's scope; one outside it matches nobody
  const region = input.regionCode ? ctx.regions.get(input.regionCode) : undefined;
  const within = !input.regionCode ? scope : region ? narrowScope(scope, region.code, region.prefix) : nowhere(scope);
  const tags = input.tags ?? [];
  // tags no fact declares are refused (400, naming them) before anything is read
  const byTags = tagFilter(tags, on);
  // A search shows masked data only; it is still a read of personal records, so it is logged
  // in the transaction of the read, with the persons it showed.
  const { rows, total } = await auditedRead(
    ctx.db,
    scope,
    (trx) =>
      repo.searchPersons(trx, within, {
        name: q && !ID_LIKE.test(q) ? q : undefined,
        idHash: q && ID_LIKE.test(q) ? ctx.cipher.lookupHash(q) : undefined,
        tags: byTags.conditions,
        bornOnOrBefore: byTags.bornOnOrBefore,
        status: input.status ?? 'active',
        limit: input.pageSize,
        offset: (input.page - 1) * input.pageSize,
      }),
    (r) => ({
      action: 'register.search',
      entityType: 'person',
      fields: ['name', 'idNumber', 'phone', 'birthDate'],
      detail: { q: q ?? null, regionCode: input.regionCode ?? null, tags, status: input.status ?? 'active', page: input.page, total: r.total },
      persons: r.rows.map((p) => p.id),
    }),
  );
  return {
    items: rows.map((p) => listItem(ctx, p, on)),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

function listItem(ctx: AppContext, p: PersonRow, on: string) {
  const region = ctx.regions.get(p.region_code);
  return {
    id: p.id,
    name: p.name,
    sex: p.sex,
    birthDate: p.birth_date,
    age: ageOn(p.birth_date, on),
    idMasked: p.id_masked,
    phoneMasked: p.phone_masked,
    regionCode: p.region_code,
    regionName: region?.name ?? p.region_code,
    townName: ctx.regions.town(p.region_code)?.name ?? '',
    status: p.status,
    tags: personTags(p, on),
  };
}

function sourceLabels(key: string) {
  const d = findDepartment(key);
  return { sourceLabel: d?.label ?? key, sourceLabelEn: d?.labelEn ?? key };
}

function fieldLabels(field: string) {
  const f = fields[field as FieldKey];
  return { label: f?.label ?? field, labelEn: f?.labelEn ?? field };
}

export async function profile(ctx: AppContext, scope: Scope, id: number, canSeeAccess: boolean) {
  requireAction(scope, 'register.read');
  return ctx.db.transaction().execute(async (trx) => {
    const p = await repo.findById(trx, scope, id);
    if (!p) throw notFound('person');
    const [history, conflicts] = await Promise.all([repo.personHistory(trx, id), repo.personConflicts(trx, id)]);
    const provenance = JSON.parse(p.provenance) as Provenance;
    const importIds = [...new Set(Object.values(provenance))];
    const imports = new Map(
      importIds.length ? (await trx.selectFrom('imports').select(['id', 'source', 'as_of']).where('id', 'in', importIds).execute()).map((i) => [i.id, i]) : [],
    );
    const on = today();
    const attributes = Object.entries(provenance).map(([field, importId]) => {
      const source = imports.get(importId)?.source ?? 'unknown';
      const asOf = imports.get(importId)?.as_of ?? null;
      const f = fields[field as FieldKey];
      const raw = field === 'phone' ? p.phone_masked : (f?.fromPerson?.(p) ?? null);
      return { field, ...fieldLabels(field), value: displayValue(field as FieldKey, raw), source, ...sourceLabels(source), asOf };
    });
    await recordAudit(trx, scope, {
      action: 'person.read',
      entityType: 'person',
      entityId: id,
      regionCode: p.region_code,
      fields: [...new Set(['name', 'idNumber', 'phone', ...Object.keys(provenance)])],
    });
    const access = canSeeAccess
      ? (await listAudit(trx, { entityType: 'person', entityId: String(id), limit: 100, offset: 0 })).rows.map((a) => ({
          seq: a.seq,
          at: a.at,
          actor: a.actor,
          role: a.role,
          action: a.action,
          fields: a.fields ? (JSON.parse(a.fields) as string[]) : null,
        }))
      : undefined;
    return {
      person: {
        ...listItem(ctx, p, on),
        regionPath: ctx.regions
          .path(p.region_code)
          .filter((r) => r.level !== 'province')
          .map((r) => ({ code: r.code, name: r.name })),
        closedOn: p.closed_on,
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      },
      attributes,
      conflicts: conflicts.map((c) => ({
        id: c.id,
        field: c.field,
        ...fieldLabels(c.field),
        status: c.status,
        currentValue: displayValue(c.field as FieldKey, c.current_value),
        currentSource: c.current_source,
        currentSourceLabel: sourceLabels(c.current_source).sourceLabel,
        currentSourceLabelEn: sourceLabels(c.current_source).sourceLabelEn,
        currentAsOf: c.current_as_of,
        incomingValue: displayValue(c.field as FieldKey, c.incoming_value),
        incomingSource: c.incoming_source,
        incomingSourceLabel: sourceLabels(c.incoming_source).sourceLabel,
        incomingSourceLabelEn: sourceLabels(c.incoming_source).sourceLabelEn,
        incomingAsOf: c.incoming_as_of,
      })),
      history: history.map((h) => ({
        field: h.field,
        ...fieldLabels(h.field),
        oldValue: displayValue(h.field as FieldKey, h.old_value),
        newValue: displayValue(h.field as FieldKey, h.new_value),
        source: h.source,
        ...sourceLabels(h.source),
        asOf: h.as_of,
        at: h.at,
      })),
      ...(access ? { access } : {}),
    };
  });
}

/** The full ID or phone number: a separate call, with its own audit entry. */
export async function reveal(ctx: AppContext, scope: Scope, id: number, field: 'idNumber' | 'phone') {
  requireAction(scope, 'register.reveal');
  const reveal = revealer(ctx.cipher, scope);
  return ctx.db.transaction().execute(async (trx) => {
    const p = await repo.findById(trx, scope, id);
    if (!p) throw notFound('person');
    const enc = field === 'idNumber' ? p.id_enc : p.phone_enc;
    if (!enc) throw field === 'idNumber' ? notFound('idNumber') : notFound('phone');
    await recordAudit(trx, scope, { action: 'person.reveal', entityType: 'person', entityId: id, regionCode: p.region_code, fields: [field] });
    return { field, value: reveal(enc) };
  });
}

export async function conflicts(ctx: AppContext, scope: Scope, status: string, page: number, pageSize: number) {
  requireAction(scope, 'register.read');
  const { rows, total } = await auditedRead(
    ctx.db,
    scope,
    (trx) => repo.listConflicts(trx, scope, status, pageSize, (page - 1) * pageSize),
    (r) => ({
      action: 'register.conflicts_read',
      entityType: 'person',
      fields: ['name', ...new Set(r.rows.map((c) => c.field))],
      detail: { status, page },
      persons: r.rows.map((c) => c.person_id),
    }),
  );
  return {
    items: rows.map((c) => ({
      id: c.id,
      personId: c.person_id,
      personName: c.person_name,
      regionName: ctx.regions.get(c.region_code)?.name ?? c.region_code,
      field: c.field,
      ...fieldLabels(c.field),
      status: c.status,
      currentValue: displayValue(c.field as FieldKey, c.current_value),
      currentSource: c.current_source,
      currentSourceLabel: sourceLabels(c.current_source).sourceLabel,
      currentSourceLabelEn: sourceLabels(c.current_source).sourceLabelEn,
      currentAsOf: c.current_as_of,
      incomingValue: displayValue(c.field as FieldKey, c.incoming_value),
      incomingSource: c.incoming_source,
      incomingSourceLabel: sourceLabels(c.incoming_source).sourceLabel,
      incomingSourceLabelEn: sourceLabels(c.incoming_source).sourceLabelEn,
      incomingAsOf: c.incoming_as_of,
    })),
    total,
  };
}

/**
 * An officer settles a conflict: keep the current value, or accept the incoming one (which then
 * carries the incoming source's provenance, and the old value goes to history).
 */
export async function resolve(ctx: AppContext, scope: Scope, id: number, choice: 'keep' | 'accept') {
  requireAction(scope, 'register.resolve_conflict');
  await ctx.db.transaction().execute(async (trx) => {
    const c = await repo.findConflict(trx, scope, id);
    if (!c) throw notFound('conflict');
    if (c.status !== 'open') throw new AppError('CONFLICT_RESOLVED');
    const now = nowIso();
    if (choice === 'accept') {
      const p = (await repo.findById(trx, scope, c.person_id))!;
      const f = fields[c.field as FieldKey];
      if (!f?.toColumns || f.sensitive) throw new AppError('CONFLICT_FIELD_LOCKED', { field: { zh: f?.label ?? c.field, en: f?.labelEn ?? c.field } });
      const provenance = JSON.parse(p.provenance) as Provenance;
      // the accepted value now carries the provenance of the import that brought it
      if (c.import_id !== null) provenance[c.field] = c.import_id;
      await repo.updatePerson(trx, p.id, { ...f.toColumns(c.incoming_value), provenance: JSON.stringify(provenance), updated_at: now });
      await ctx.handle.insertMany(trx, 'person_history', [
        {
          person_id: p.id,
          field: c.field,
          old_value: f.fromPerson?.(p) ?? null,
          new_value: c.incoming_value,
          source: c.incoming_source,
          as_of: c.incoming_as_of,
          import_id: c.import_id,
          at: now,
        },
      ]);
    }
    await repo.resolveConflict(trx, id, choice === 'accept' ? 'accepted' : 'kept', scope.userId, now);
    await recordAudit(trx, scope, {
      action: 'register.resolve_conflict',
      entityType: 'person',
      entityId: c.person_id,
      regionCode: c.region_code,
      fields: [c.field],
      detail: { conflictId: id, choice },
    });
  });
  return { ok: true };
}
