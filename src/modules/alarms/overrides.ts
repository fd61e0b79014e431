import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { alarmRulesOf, MIN_OFFLINE_MINUTES, parseOverrideParams } from './alarms.rules.js';
import type { OverrideBody, OverridesReply } from './alarms.schema.js';

/**
 * A person's changes of the jurisdiction's alarm rules (a night-shift worker's day sleep, a door
 * sensor in a shared hall): a rule turned off, or its duration or hours replaced. One row per
 * person and rule; setting and clearing are audited with the reason. The rules read them in
 * raise.ts (event rules) and clock.ts (timed rules).
 */

/** A rule of the person's county (`regionCode`: the person's region), or ALARM_RULE_NOT_FOUND. */
function ruleOf(ctx: AppContext, regionCode: string, key: string) {
  const rules = alarmRulesOf(ctx, regionCode).rules;
  const rule = rules.find((r) => r.key === key);
  if (!rule) throw new AppError('ALARM_RULE_NOT_FOUND', { key, keys: rules.map((r) => r.key).join(', ') });
  return rule;
}

/** GET /api/alarms/persons/:id/overrides: every rule of the jurisdiction with the person's change, if any (audited). */
export async function personOverrides(ctx: AppContext, scope: Scope, personId: number): Promise<OverridesReply> {
  requireAction(scope, 'alarms.read');
  return overridesView(ctx, scope, personId);
}

/** The person's rules as they stand (what GET answers and what a change returns), audited. */
async function overridesView(ctx: AppContext, scope: Scope, personId: number): Promise<OverridesReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const label = (await personLabels(trx, [personId])).get(personId)!;
      const person = (await personColumns(trx, ['id', 'region_code'], [personId]))[0]!;
      const rows = await trx.selectFrom('alarm_rule_overrides').selectAll().where('person_id', '=', personId).execute();
      const names = await displayNames(
        trx,
        rows.map((r) => r.set_by),
      );
      const byKey = new Map(rows.map((r) => [r.rule_key, r]));
      return {
        personId,
        personName: label.name,
        idMasked: label.idMasked,
        rules: alarmRulesOf(ctx, String(person.region_code)).rules.map((rule) => {
          const o = byKey.get(rule.key);
          const p = o ? parseOverrideParams(o.params) : null;
          return {
            ruleKey: rule.key,
            ruleLabel: rule.label,
            rule: { minutes: rule.minutes ?? null, hours: rule.hours ?? null },
            override:
              o && p
                ? {
                    enabled: o.enabled === 1,
                    minutes: p.minutes ?? null,
                    hours: p.hours ?? null,
                    reason: o.reason,
                    setBy: { id: o.set_by, name: names.get(o.set_by) ?? String(o.set_by) },
                    setAt: o.set_at,
                  }
                : null,
          };
        }),
      };
    },
    () => ({ action: 'alarms.overrides_read', entityType: 'person', entityId: personId, persons: [personId] }),
  );
}

/** PUT /api/alarms/persons/:id/overrides/:ruleKey: sets (or replaces) the person's change of a rule. */
export async function setOverride(ctx: AppContext, scope: Scope, personId: number, ruleKey: string, body: OverrideBody): Promise<OverridesReply> {
  requireAction(scope, 'alarms.devices');
  const params = { ...(body.minutes !== undefined ? { minutes: body.minutes } : {}), ...(body.hours ? { hours: body.hours } : {}) };
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
    const person = (await personColumns(trx, ['id', 'region_code'], [personId]))[0]!;
    const regionCode = String(person.region_code);
    // the rules of the person's county
    const rule = ruleOf(ctx, regionCode, ruleKey);
    if (rule.trigger === 'offline' && body.minutes !== undefined && body.minutes < MIN_OFFLINE_MINUTES)
      throw new AppError('ALARM_OVERRIDE_OFFLINE_MINUTES', { key: ruleKey, min: MIN_OFFLINE_MINUTES });
    const at = nowIso();
    const values = {
      enabled: body.enabled ? 1 : 0,
      params: JSON.stringify(params),
      reason: body.reason,
      set_by: scope.userId ?? 0,
      set_at: at,
      region_code: regionCode,
    };
    const before = await trx
      .selectFrom('alarm_rule_overrides')
      .select(['id', 'enabled', 'params'])
      .where('person_id', '=', personId)
      .where('rule_key', '=', ruleKey)
      .executeTakeFirst();
    if (before) await trx.updateTable('alarm_rule_overrides').set(values).where('id', '=', before.id).execute();
    else
      await trx
        .insertInto('alarm_rule_overrides')
        .values({ person_id: personId, rule_key: ruleKey, ...values })
        .execute();
    await recordAudit(trx, scope, {
      action: 'alarms.override_set',
      entityType: 'alarm_rule_override',
      entityId: `${personId}:${ruleKey}`,
      regionCode,
      detail: {
        person: personId,
        rule: ruleKey,
        enabled: body.enabled,
        ...params,
        reason: body.reason,
        ...(before ? { before: { enabled: before.enabled === 1, ...parseOverrideParams(before.params) } } : {}),
      },
    });
  });
  return overridesView(ctx, scope, personId);
}

/** POST /api/alarms/persons/:id/overrides/:ruleKey/clear: back to the jurisdiction's rule. */
export async function clearOverride(ctx: AppContext, scope: Scope, personId: number, ruleKey: string, reason: string): Promise<OverridesReply> {
  requireAction(scope, 'alarms.devices');
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
    const row = await trx.selectFrom('alarm_rule_overrides').selectAll().where('person_id', '=', personId).where('rule_key', '=', ruleKey).executeTakeFirst();
    if (!row) throw new AppError('ALARM_OVERRIDE_NOT_FOUND', { personId, key: ruleKey });
    await trx.deleteFrom('alarm_rule_overrides').where('id', '=', row.id).execute();
    await recordAudit(trx, scope, {
      action: 'alarms.override_clear',
      entityType: 'alarm_rule_override',
      entityId: `${personId}:${ruleKey}`,
      regionCode: row.region_code,
      detail: { person: personId, rule: ruleKey, reason, before: { enabled: row.enabled === 1, ...parseOverrideParams(row.params) } },
    });
  });
  return overridesView(ctx, scope, personId);
}
