import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import type { AlarmVendorRow } from './alarms.tables.js';
import type { CreateVendorBody, RejectsQuery, RejectsReply, VendorSecretView, VendorsReply, VendorView } from './devices.schema.js';

/**
 * Device vendors' platforms that post events over signed HTTP (issue 18). A vendor has a public
 * key id (sent in x-yiyang-key) and a secret, sealed at rest with the field cipher (the platform
 * needs it in the clear to verify an HMAC, so it is encrypted, not hashed). The secret is shown once,
 * in the answer that made it (creation, rotation) — never listed, never audited, never logged.
 * Rotation replaces the secret at once (the old one stops working); disabling refuses every request
 * of the key from then on.
 */

const newKeyId = () => `v-${randomBytes(8).toString('hex')}`;
const newSecret = () => randomBytes(32).toString('base64url');

async function vendorViews(ctx: AppContext, rows: readonly AlarmVendorRow[]): Promise<VendorView[]> {
  const ids = rows.map((r) => r.id);
  const counts = new Map(
    ids.length
      ? (
          await ctx.db
            .selectFrom('alarm_devices')
            .select(['vendor_id', sql<number>`count(*)`.as('n')])
            .where('vendor_id', 'in', ids)
            .where('status', '=', 'active')
            .groupBy('vendor_id')
            .execute()
        ).map((r) => [r.vendor_id!, Number(r.n)])
      : [],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, keyId: r.key_id, active: r.active === 1, createdAt: r.created_at, devices: counts.get(r.id) ?? 0 }));
}

async function vendorRow(ctx: AppContext, id: number): Promise<AlarmVendorRow> {
  const row = await ctx.db.selectFrom('alarm_vendors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('ALARM_VENDOR_NOT_FOUND', { id });
  return row;
}

/** GET /alarms/vendors: every vendor, with its key id (public) and active devices; never a secret. */
export async function listVendors(ctx: AppContext): Promise<VendorsReply> {
  const rows = await ctx.db.selectFrom('alarm_vendors').selectAll().orderBy('name').execute();
  return { items: await vendorViews(ctx, rows) };
}

/** POST /alarms/vendors: a new vendor with a fresh key id and secret (the secret is in this answer only). */
export async function createVendor(ctx: AppContext, scope: Scope, body: CreateVendorBody): Promise<VendorSecretView> {
  const name = body.name.trim();
  if (await ctx.db.selectFrom('alarm_vendors').select('id').where('name', '=', name).executeTakeFirst())
    throw new AppError('ALARM_VENDOR_NAME_TAKEN', { name });
  const secret = newSecret();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('alarm_vendors')
      .values({ name, key_id: newKeyId(), secret_enc: ctx.cipher.encrypt(secret), active: 1, created_by: scope.userId ?? 0, created_at: nowIso() })
      .returningAll()
      .executeTakeFirstOrThrow();
    // the key id is public; the secret never enters the audit log
    await recordAudit(trx, scope, {
      action: 'alarms.vendor_create',
      entityType: 'alarm_vendor',
      entityId: inserted.id,
      detail: { name, keyId: inserted.key_id },
    });
    return inserted;
  });
  return { ...(await vendorViews(ctx, [row]))[0]!, secret };
}

/** POST /alarms/vendors/:id/rotate: a new secret for the same key id; the old one stops working now. */
export async function rotateVendor(ctx: AppContext, scope: Scope, id: number): Promise<VendorSecretView> {
  if (!(await vendorRow(ctx, id)).active) throw new AppError('ALARM_VENDOR_DISABLED', { id });
  const secret = newSecret();
  const row = await ctx.db.transaction().execute(async (trx) => {
    // conditional: a disable that came in between wins
    const r = await trx
      .updateTable('alarm_vendors')
      .set({ secret_enc: ctx.cipher.encrypt(secret) })
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('ALARM_VENDOR_DISABLED', { id });
    const v = await trx.selectFrom('alarm_vendors').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(trx, scope, { action: 'alarms.vendor_rotate', entityType: 'alarm_vendor', entityId: id, detail: { name: v.name, keyId: v.key_id } });
    return v;
  });
  return { ...(await vendorViews(ctx, [row]))[0]!, secret };
}

/** POST /alarms/vendors/:id/disable: every request signed with this key is refused from now on (its devices stay registered). */
export async function disableVendor(ctx: AppContext, scope: Scope, id: number): Promise<VendorView> {
  const row = await vendorRow(ctx, id);
  if (row.active) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('alarm_vendors').set({ active: 0 }).where('id', '=', id).execute();
      await recordAudit(trx, scope, {
        action: 'alarms.vendor_disable',
        entityType: 'alarm_vendor',
        entityId: id,
        detail: { name: row.name, keyId: row.key_id },
      });
    });
  }
  return (await vendorViews(ctx, [{ ...row, active: 0 }]))[0]!;
}

/** GET /alarms/rejects: what was refused in the last days, by reason and by source (no payloads are kept). */
export async function listRejects(ctx: AppContext, q: RejectsQuery, now: Date = new Date()): Promise<RejectsReply> {
  const from = new Date(now.getTime() - q.days * 86_400_000).toISOString();
  const base = ctx.db.selectFrom('alarm_rejects').where('at', '>=', from);
  const byReason = await base
    .select(['reason', sql<number>`sum(count)`.as('n')])
    .groupBy('reason')
    .orderBy(sql`sum(count)`, 'desc')
    .execute();
  const lines = await base
    .select(['via', 'source', 'reason', sql<number>`sum(count)`.as('n'), sql<string>`min(at)`.as('first_at'), sql<string>`max(at)`.as('last_at')])
    .groupBy(['via', 'source', 'reason'])
    .orderBy(sql`sum(count)`, 'desc')
    .orderBy('source')
    .limit(200)
    .execute();
  return {
    from,
    byReason: byReason.map((r) => ({ reason: r.reason, count: Number(r.n) })),
    items: lines.map((r) => ({
      via: r.via as 'mqtt' | 'http',
      source: r.source,
      reason: r.reason,
      count: Number(r.n),
      firstAt: r.first_at,
      lastAt: r.last_at,
    })),
  };
}
