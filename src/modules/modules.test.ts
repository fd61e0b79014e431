import type { Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { collectMigrations, migrate } from '../db/migrate.js';
import { allowedActions, declaredActions, installPolicy, roles, type Role } from '../platform/policy.js';
import { createTestContext, dialects } from '../testing/harness.js';
import { serverModules } from './index.js';

const noop: Migration = { up: async () => {} };

describe('module manifests', () => {
  it('give each role exactly the actions the one table gave before modules declared them', () => {
    installPolicy(serverModules);
    // the table as it stood in src/platform/policy.ts before the manifests (commit 5b20f82)
    const before: Record<Role, string[]> = {
      bureau_admin: [
        // issue 20: indicators
        'indicators.read',
        'indicators.refresh',
        // issue 20: the bureau uploads its region outlines (the indicator map)
        'regions.shapes',
        // issue 19: facilities
        'facilities.read',
        'facilities.manage',
        'facilities.operate',
        'facilities.residents',
        // issue 19: admission queue
        'admission.read',
        'admission.apply',
        'admission.offer',
        'admission.refresh',
        // issue 19: supervision
        'supervision.read',
        'supervision.manage',
        // issue 19: complaints and satisfaction surveys
        'complaints.read',
        'complaints.handle',
        'complaints.survey',
        'register.read',
        'register.reveal',
        'register.import',
        'register.resolve_conflict',
        'regions.read',
        'audit.read',
        'users.read',
        'users.manage',
        'catalogue.read',
        'catalogue.set_parameter',
        'entitlements.read',
        'entitlements.run',
        'entitlements.handle_change',
        'rolls.read',
        'rolls.prepare',
        'rolls.approve',
        'settings.manage',
        // issue 14: bank disbursement and reconciliation; pausing a person's payments
        'payments.read',
        'payments.reconcile',
        'rolls.pause',
        // issue 15: capability assessment
        'assessments.read',
        'assessments.review',
        'assessments.request',
        'assessments.schedule',
        // issue 16: visits, verified events, time bank
        'care_events.read',
        'care_events.confirm',
        'care_events.void',
        'visits.read',
        'visits.assign',
        'visits.refresh',
        'visits.followup_raise',
        'visits.followup_handle',
        'timebank.read',
        'timebank.deposit',
        'timebank.redeem',
        'timebank.transfer',
        'timebank.manage',
        // issue 17: home services, family care beds, meal aid
        'services.read',
        'services.manage',
        'services.staff',
        'services.order',
        'services.rate',
        'services.review',
        'services.feedback',
        'services.beds',
        'services.meals',
        'services.settle',
        // issue 18: alarms and the hotline
        'alarms.read',
        'alarms.supervise',
        'alarms.devices',
        'alarms.vendors',
        'alarms.reports',
        'hotline.read',
        'hotline.contacts',
        'hotline.knowledge',
      ],
      town_officer: [
        // issue 20: indicators
        'indicators.read',
        // issue 19: facilities
        'facilities.read',
        'facilities.manage',
        'facilities.operate',
        'facilities.residents',
        // issue 19: admission queue
        'admission.read',
        'admission.apply',
        'admission.refresh',
        // issue 19: supervision
        'supervision.read',
        // issue 19: complaints and satisfaction surveys
        'complaints.read',
        'complaints.handle',
        'complaints.survey',
        'register.read',
        'register.reveal',
        'register.resolve_conflict',
        'regions.read',
        'catalogue.read',
        'entitlements.read',
        'entitlements.handle_change',
        'rolls.read',
        'rolls.prepare',
        'payments.read',
        'payments.reconcile',
        'rolls.pause',
        'assessments.read',
        'assessments.review',
        'assessments.request',
        'assessments.schedule',
        // issue 16: visits, verified events, time bank
        'care_events.read',
        'care_events.confirm',
        'care_events.void',
        'visits.read',
        'visits.assign',
        'visits.refresh',
        'visits.followup_raise',
        'visits.followup_handle',
        'timebank.read',
        'timebank.deposit',
        'timebank.redeem',
        'timebank.transfer',
        'timebank.manage',
        // issue 17: home services, family care beds, meal aid
        'services.read',
        'services.manage',
        'services.staff',
        'services.order',
        'services.rate',
        'services.review',
        'services.feedback',
        'services.beds',
        'services.meals',
        // issue 18: alarms and the hotline
        'alarms.read',
        'alarms.devices',
        'alarms.reports',
        'hotline.read',
        'hotline.contacts',
      ],
      grid_worker: [
        'register.read',
        'register.reveal',
        'regions.read',
        'catalogue.read',
        'entitlements.read',
        'entitlements.handle_change',
        'assessments.request',
        // issue 16
        'care_events.read',
        'care_events.confirm',
        'visits.read',
        'visits.record',
        'visits.followup_raise',
        // issue 18: alarms and the hotline
        'hotline.contacts',
      ],
      assessor: ['register.read', 'regions.read', 'catalogue.read', 'assessments.read', 'assessments.write', 'assessments.request'],
      hotline_operator: [
        // issue 19: complaints and satisfaction surveys
        'complaints.survey',
        'register.read',
        'register.reveal',
        'regions.read',
        'catalogue.read',
        'entitlements.read',
        // issue 16: the escalations and hotline follow-ups of visits come to the hotline's queue
        'care_events.read',
        'visits.read',
        'visits.followup_handle',
        // issue 17: ratings and feedback calls by phone
        'services.read',
        'services.rate',
        'services.feedback',
        // issue 18: alarms and the hotline
        'alarms.read',
        'alarms.handle',
        'hotline.read',
        'hotline.handle',
        'hotline.contacts',
      ],
      // issue 18: the hotline's shift supervisor: an operator who also supervises, keeps devices and the knowledge base, reads reports
      hotline_supervisor: [
        // issue 19: complaints and satisfaction surveys
        'complaints.read',
        'complaints.survey',
        'register.read',
        'register.reveal',
        'regions.read',
        'catalogue.read',
        'entitlements.read',
        // issue 16: the escalations and hotline follow-ups of visits come to the hotline's queue
        'care_events.read',
        'visits.read',
        'visits.followup_handle',
        // issue 17: ratings and feedback calls by phone
        'services.read',
        'services.rate',
        'services.feedback',
        // issue 18: alarms and the hotline
        'alarms.read',
        'alarms.handle',
        'hotline.read',
        'hotline.handle',
        'hotline.contacts',
        'alarms.supervise',
        'alarms.devices',
        'alarms.reports',
        'hotline.knowledge',
      ],
      // issue 17: a provider's staff work their organisation's orders and see the persons it serves
      provider: [
        'regions.read',
        'catalogue.read',
        'register.read',
        'services.read',
        'services.staff',
        'services.order',
        'services.visit',
        'services.rate',
        'services.resolve',
        'services.beds',
        'services.meals',
        // issue 18: alarms and the hotline
        'alarms.devices',
      ],
      // a provider's caregiver: the visits assigned to them and the elder's rating of those, nothing of the office
      caregiver: ['regions.read', 'catalogue.read', 'services.visit', 'services.rate'],
      institution_staff: [
        // issue 19: facilities (their own facility's beds, staff and residents)
        'facilities.read',
        'facilities.operate',
        'facilities.residents',
        // issue 19: admission queue (their own institution's queue and beds)
        'admission.read',
        'admission.offer',
        'regions.read',
        'catalogue.read',
      ],
      // issue 14: the inspector reads the audit log (oversight)
      inspector: [
        // issue 19: facilities
        'facilities.read',
        // issue 19: admission queue
        'admission.read',
        // issue 19: supervision
        'supervision.read',
        'supervision.inspect',
        // issue 19: complaints and satisfaction surveys
        'complaints.read',
        'regions.read',
        'catalogue.read',
        'audit.read',
        'assessments.read',
        'care_events.read',
        'visits.read',
        'timebank.read',
        'services.read',
        // issue 18: alarms and the hotline
        'alarms.read',
        'alarms.reports',
        'hotline.read',
      ],
      // issue 16: the village (community) head supervises the visits of their village; volunteers visit and keep hours
      village_head: [
        // issue 20: indicators
        'indicators.read',
        'register.read',
        'regions.read',
        'catalogue.read',
        'care_events.read',
        'care_events.confirm',
        'visits.read',
        'visits.record',
        'visits.assign',
        'visits.followup_raise',
        'visits.followup_handle',
        'timebank.read',
        'timebank.deposit',
        'timebank.redeem',
        'timebank.transfer',
        // issue 17
        'services.read',
        'services.order',
        'services.rate',
      ],
      volunteer: [
        'regions.read',
        'catalogue.read',
        'care_events.read',
        'care_events.confirm',
        'visits.read',
        'visits.record',
        'visits.followup_raise',
        'timebank.read',
        'timebank.transfer',
      ],
    };
    for (const role of roles) expect(allowedActions(role).sort(), role).toEqual([...before[role]].sort());
    // every action has its name in both languages
    for (const [action, info] of declaredActions()) expect(info.zh && info.en, action).toBeTruthy();
  });

  it('refuse an action two modules both declare', () => {
    const a = { id: 'a', actions: { 'x.do': { roles: [], zh: '做', en: 'Do' } } };
    const b = { id: 'b', actions: { 'x.do': { roles: [], zh: '做', en: 'Do' } } };
    expect(() => installPolicy([a, b])).toThrow(/x\.do is declared twice \(module b\)/);
    installPolicy(serverModules);
  });

  it("record a module's migrations under its name, so two modules can both have 001; order them left to right", () => {
    const { migrations, order } = collectMigrations([
      { id: 'visits', migrations: { '001-plans': noop, '002-windows': noop } },
      { id: 'alarms', migrations: { '001-devices': noop } },
    ]);
    const names = Object.keys(migrations).sort(order);
    // the platform's recorded names first, then visits (left) before alarms (right), each by number
    expect(names.slice(-3)).toEqual(['visits/001-plans', 'visits/002-windows', 'alarms/001-devices']);
    expect(names[0]).toBe('001-foundation');
  });

  it('refuse a migration name given twice, and one not named NNN-what', () => {
    expect(() => collectMigrations([{ id: 'a', recordedMigrations: { '001-foundation': noop } }])).toThrow(/001-foundation is declared twice \(module a\)/);
    expect(() => collectMigrations([{ id: 'a', migrations: { plans: noop } }])).toThrow(/a\/plans: name it NNN-what/);
  });

  it('keep the names databases already recorded, so an existing database runs nothing again', async () => {
    const { migrations } = collectMigrations(serverModules);
    const recorded = Object.keys(migrations)
      .filter((n) => !n.includes('/'))
      .sort();
    expect(recorded).toEqual([
      '001-foundation',
      '002-register-flags',
      '003-entitlements',
      '004-run-claims',
      '005-trust-rolls',
      '006-import-progress',
      '007-login-guard',
      '009-import-error-params',
      '010-jurisdiction-settings',
      '011-verify',
      '012-jobs',
      '013-decision-items',
    ]);
    for (const dialect of dialects) {
      const ctx = await createTestContext(dialect);
      try {
        // opened (and migrated) once: a second start finds nothing to run
        expect(await migrate(ctx.db, serverModules, ctx.handle.schema), dialect).toEqual([]);
      } finally {
        await ctx.cleanup();
      }
    }
  });

  it("run a module's own migration on a database the earlier code left (entitlements/001-runs-on-jobs keeps the runs)", async () => {
    for (const dialect of dialects) {
      const ctx = await createTestContext(dialect);
      try {
        // the database as the code before this migration left it
        const { sql } = await import('kysely');
        await sql`delete from kysely_migration where name = 'entitlements/001-runs-on-jobs'`.execute(ctx.db);
        await sql`alter table entitlement_runs add column runner text`.execute(ctx.db);
        await sql`alter table entitlement_runs add column heartbeat_at text`.execute(ctx.db);
        await sql`alter table entitlement_runs add column cursor integer not null default 0`.execute(ctx.db);
        await sql`insert into catalogue_versions (jurisdiction, effective, sha256, file, text, recorded_at) values ('nanxun', '2024-01-01', 'x', 'f', 't', 'now')`.execute(
          ctx.db,
        );
        await sql`insert into entitlement_runs (jurisdiction, period, catalogue_version_id, params, fact_names, status, persons_total, persons_done, granted, changes, started_by_name, started_at, runner, cursor)
          values ('nanxun', '2025-01', (select max(id) from catalogue_versions), '{}', '[]', 'finished', 3, 3, 2, 0, 'cli', 'now', 'host:1', 3)`.execute(
          ctx.db,
        );
        expect(await migrate(ctx.db, serverModules, ctx.handle.schema), dialect).toEqual(expect.arrayContaining(['entitlements/001-runs-on-jobs']));
        const run = await ctx.db.selectFrom('entitlement_runs').selectAll().where('period', '=', '2025-01').executeTakeFirstOrThrow();
        expect(run.granted, dialect).toBe(2);
        expect('cursor' in run || 'runner' in run, dialect).toBe(false);
      } finally {
        await ctx.cleanup();
      }
    }
  });
});
