import type { Executor } from '../../db/database.js';
import type { ParameterValueRow } from '../../db/tables.js';
import type { ParamOverride } from './engine.js';

/** Catalogue data is jurisdiction-wide policy, not personal data: these queries take no Scope. */
export async function listOverrides(db: Executor, jurisdiction: string): Promise<ParameterValueRow[]> {
  return db.selectFrom('parameter_values').selectAll().where('jurisdiction', '=', jurisdiction).orderBy('name').orderBy('valid_from').execute();
}

export function toOverride(r: ParameterValueRow): ParamOverride {
  return { name: r.name, from: r.valid_from, value: JSON.parse(r.value) as number | string, note: r.note, setBy: r.set_by_name, setAt: r.set_at };
}

export async function overridesFor(db: Executor, jurisdiction: string): Promise<ParamOverride[]> {
  return (await listOverrides(db, jurisdiction)).map(toOverride);
}

/** Records a catalogue file's text the first time a run uses it, so old runs stay explainable. */
export async function catalogueVersionId(
  db: Executor,
  c: { jurisdiction: string; effective: string; sha256: string; file: string; text: string },
  at: string,
): Promise<number> {
  const found = await db.selectFrom('catalogue_versions').select('id').where('sha256', '=', c.sha256).executeTakeFirst();
  if (found) return found.id;
  const row = await db
    .insertInto('catalogue_versions')
    .values({ jurisdiction: c.jurisdiction, effective: c.effective, sha256: c.sha256, file: c.file, text: c.text, recorded_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function catalogueText(db: Executor, id: number): Promise<{ file: string; text: string; sha256: string } | undefined> {
  return db.selectFrom('catalogue_versions').select(['file', 'text', 'sha256']).where('id', '=', id).executeTakeFirst();
}
