import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  limit: number;
  offset: number;
}

export async function listAudit(db: Executor, f: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('seq', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
