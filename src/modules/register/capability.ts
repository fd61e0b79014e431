import type { Executor } from '../../db/database.js';
import { nowIso } from '../../platform/time.js';

/**
 * The capability level on the person's row: the assessment module owns the assessments and writes
 * here what its latest reviewed one says (or nothing, when it is withdrawn); the runs read it as a
 * person fact (assessment/facts.ts) and the due list and coverage count it. Each change is kept in
 * the register's history as 'capabilityLevel', applying from the assessment's reference date, so
 * back-pay sees a level reviewed after its month was paid.
 */
export interface CapabilityOnRecord {
  level: string;
  /** the assessment's reference date */
  on: string;
  /** when the next assessment falls due */
  due: string;
  /** the last day the level counts */
  until: string;
  assessmentId: number;
}

/** The history's text for a capability on record: `level|on|due|until|id`, or null. */
export function capabilityText(c: CapabilityOnRecord | null): string | null {
  return c ? [c.level, c.on, c.due, c.until, c.assessmentId].join('|') : null;
}

/** The person columns a history text stands for (register/sources/fields.ts reads history back through it). */
export function capabilityColumns(text: string | null) {
  if (!text) return { capability_level: null, capability_on: null, capability_due: null, capability_until: null, capability_assessment_id: null };
  const [level, on, due, until, id] = text.split('|');
  return { capability_level: level!, capability_on: on!, capability_due: due!, capability_until: until!, capability_assessment_id: Number(id) };
}

/**
 * Puts a person's capability on record (in the caller's transaction) and keeps the change in the
 * history. Nothing is written when it is unchanged.
 */
export async function recordCapability(trx: Executor, personId: number, c: CapabilityOnRecord | null): Promise<void> {
  const p = await trx
    .selectFrom('persons')
    .select(['capability_level', 'capability_on', 'capability_due', 'capability_until', 'capability_assessment_id'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!p) throw new Error(`no person ${personId}`);
  const before =
    p.capability_level === null
      ? null
      : capabilityText({
          level: p.capability_level,
          on: p.capability_on!,
          due: p.capability_due!,
          until: p.capability_until!,
          assessmentId: p.capability_assessment_id!,
        });
  const after = capabilityText(c);
  if (before === after) return;
  const at = nowIso();
  await trx
    .updateTable('persons')
    .set({ ...capabilityColumns(after), updated_at: at })
    .where('id', '=', personId)
    .execute();
  const on = c?.on ?? p.capability_on ?? at.slice(0, 10);
  await trx
    .insertInto('person_history')
    .values({
      person_id: personId,
      field: 'capabilityLevel',
      old_value: before,
      new_value: after,
      source: 'assessment',
      as_of: on,
      effective_on: on,
      import_id: null,
      at,
    })
    .execute();
}

/** The long-term-care insurance grade medical insurance gave, with the data date of the file that brought it. */
export interface LtcGradeOnRecord {
  grade: string;
  asOf: string | null;
  source: string | null;
}

/** The LTC grades on record for these people (absent: no record). */
export async function ltcGrades(db: Executor, ids: readonly number[]): Promise<Map<number, LtcGradeOnRecord>> {
  const out = new Map<number, LtcGradeOnRecord>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('persons')
    .select(['id', 'ltc_grade', 'provenance'])
    .where('id', 'in', [...new Set(ids)].slice(0, 500))
    .execute();
  const importIds = new Map<number, number>();
  for (const r of rows) {
    if (!r.ltc_grade) continue;
    const prov = JSON.parse(r.provenance || '{}') as Record<string, number>;
    if (prov.ltcGrade !== undefined) importIds.set(r.id, prov.ltcGrade);
    out.set(r.id, { grade: r.ltc_grade, asOf: null, source: null });
  }
  const wanted = [...new Set(importIds.values())];
  if (wanted.length) {
    const imports = await db.selectFrom('imports').select(['id', 'as_of', 'source']).where('id', 'in', wanted).execute();
    const byId = new Map(imports.map((i) => [i.id, i]));
    for (const [person, imp] of importIds) {
      const i = byId.get(imp);
      if (i) out.set(person, { ...out.get(person)!, asOf: i.as_of, source: i.source });
    }
  }
  return out;
}
