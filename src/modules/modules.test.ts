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
      ],
      town_officer: [
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
      ],
      grid_worker: [
        'register.read',
        'register.reveal',
        'regions.read',
        'catalogue.read',
        'entitlements.read',
        'entitlements.handle_change',
        'assessments.request',
      ],
      assessor: ['register.read', 'regions.read', 'catalogue.read', 'assessments.read', 'assessments.write', 'assessments.request'],
      hotline_operator: ['register.read', 'register.reveal', 'regions.read', 'catalogue.read', 'entitlements.read'],
      provider: ['regions.read', 'catalogue.read'],
      institution_staff: ['regions.read', 'catalogue.read'],
      // issue 14: the inspector reads the audit log (oversight)
      inspector: ['regions.read', 'catalogue.read', 'audit.read', 'assessments.read'],
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
