// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { AuditItem } from './shared/api';
import { LOCALE_KEY } from './i18n';
import { auditActions, auditEntities } from '../../src/modules/vocabulary';
import { auditActionLabels, entityTypeLabels } from './shared/labels';

const entry = (seq: number, extra: Partial<AuditItem>): AuditItem => ({
  seq,
  at: '2026-11-30T01:00:00.000Z',
  actor: 'town1',
  role: 'town_officer',
  ip: '127.0.0.1',
  action: 'person.read',
  entityType: null,
  entityId: null,
  fields: null,
  detail: null,
  ...extra,
});

const ITEMS: AuditItem[] = [
  entry(3, { action: 'rolls.submit', entityType: 'roll', entityId: '12' }),
  entry(2, { action: 'register.import', entityType: 'run', entityId: '3', fields: ['idNumber', 'hukouLocal', 'medicalInsured'] }),
  entry(1, { action: 'settings.set', entityType: 'setting', entityId: '990101/visit_days', fields: ['visit_days'] }),
];

function serve(h: ReturnType<typeof appHarness>) {
  h.fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    if (url.startsWith('/api/auth/me')) {
      return new Response(
        JSON.stringify({
          user: { id: 1, username: 'admin', displayName: '管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
          actions: ['audit.read'],
          csrfToken: 'x',
        }),
      );
    }
    if (url.startsWith('/api/audit?')) return new Response(JSON.stringify({ items: ITEMS, total: ITEMS.length }));
    return new Response(JSON.stringify({ items: [], total: 0 }));
  });
}

const rowsOf = (container: HTMLElement) => {
  const table = container.querySelector('[data-testid="audit-table"]')!;
  return [...table.querySelectorAll('tbody tr')].filter((r) => r.querySelectorAll('td').length > 1).map((r) => r.textContent ?? '');
};

describe('audit log page', () => {
  const h = appHarness('/audit');

  it('takes its words from the vocabularies the modules declare (src/modules/vocabulary.test.ts: every action written has them)', () => {
    expect(auditActionLabels).toBe(auditActions);
    expect(entityTypeLabels).toBe(auditEntities);
  });

  it('shows actions, objects with their id and fields in words, not codes', async () => {
    serve(h);
    await h.render();
    await settle();
    const [submit, imported, setting] = rowsOf(h.container);
    expect(submit).toContain('提交名册');
    expect(submit).toContain('发放名册 #12');
    expect(submit).not.toContain('rolls.submit');
    expect(imported).toContain('测算 #3');
    expect(imported).toContain('身份证号、户籍性质、参加基本医疗保险');
    expect(imported).not.toMatch(/idNumber|hukouLocal/);
    expect(setting).toContain('调整设置');
    // a field with no declared label still shows, as its code
    expect(setting).toContain('visit_days');
  });

  it('in English too', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    serve(h);
    await h.render();
    await settle();
    const [submit, imported] = rowsOf(h.container);
    expect(submit).toContain('Submit roll');
    expect(submit).toContain('Payment roll #12');
    expect(imported).toContain('Run #3');
    expect(imported).toContain('resident ID, local hukou, basic medical insurance');
    expect(Object.keys(entityTypeLabels)).toEqual(expect.arrayContaining(['person', 'import', 'user', 'roll', 'run', 'parameter', 'setting']));
  });
});
