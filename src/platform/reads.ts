import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/tables.js';
import { recordAudit, type AuditEntry } from './audit.js';
import type { Scope } from './scope.js';

/**
 * The one way an answer reads personal data (names beside masked IDs, profiles, decisions): the
 * read runs in a transaction and its audit entry, naming the persons shown, is written in the
 * same transaction, so no list of people leaves without a record of who saw whom.
 */
export interface ReadEntry extends AuditEntry {
  /** ids of the persons the answer shows */
  persons: number[];
}

export function auditedRead<T>(db: Db, scope: Scope, read: (trx: Transaction<Database>) => Promise<T>, entry: (result: T) => ReadEntry): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const result = await read(trx);
    const { persons, ...e } = entry(result);
    await recordAudit(trx, scope, { ...e, detail: { ...e.detail, persons: [...new Set(persons)] } });
    return result;
  });
}
