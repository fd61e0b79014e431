import type { Executor } from '../../db/database.js';
import { encryptedIdNumbers, personLabels, type PersonLabel } from '../register/people.js';

/**
 * Rows of this module's tables with the person each names, read through the register (never its
 * table). A row whose person is not on the register is left out, as the join it replaces did.
 */
export async function withLabels<T extends { person_id: number }>(db: Executor, rows: T[]): Promise<(T & { person: PersonLabel })[]> {
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  return rows.flatMap((r) => {
    const person = labels.get(r.person_id);
    return person ? [{ ...r, person }] : [];
  });
}

/** As withLabels, with the encrypted ID number too, for exports that reveal it. */
export async function withIdNumbers<T extends { person_id: number }>(db: Executor, rows: T[]): Promise<(T & { person: PersonLabel & { idEnc: string } })[]> {
  const [labels, ids] = await Promise.all([
    personLabels(
      db,
      rows.map((r) => r.person_id),
    ),
    encryptedIdNumbers(
      db,
      rows.map((r) => r.person_id),
    ),
  ]);
  return rows.flatMap((r) => {
    const person = labels.get(r.person_id);
    const idEnc = ids.get(r.person_id);
    return person && idEnc !== undefined ? [{ ...r, person: { ...person, idEnc } }] : [];
  });
}
