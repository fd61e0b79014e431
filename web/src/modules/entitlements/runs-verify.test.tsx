// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { RunsPage } from './runs';
import type { Run, RunList } from './types';

/**
 * 待遇测算: each run's rows to verify (待核实) beside its changes, as the run's header counts them
 * (run-detail.tsx), so the list adds up to the change list (256 changes + 157 to verify = 413 rows).
 */
const admin = {
  user: { id: 1, username: 'admin2', displayName: '石湖县民政局管理员', role: 'bureau_admin', regionCode: '990102', regionName: '石湖县' },
  actions: ['entitlements.read'],
  csrfToken: 'x',
};
const run = (over: Partial<Run>): Run => ({
  id: 7,
  jurisdiction: { code: '990102', name: '石湖县' },
  period: '2026-11',
  status: 'finished',
  previousRunId: null,
  personsTotal: 1500,
  personsDone: 1500,
  granted: 900,
  changes: 256,
  verify: 157,
  progress: 100,
  startedBy: 'system:demo',
  startedAt: '2026-11-30T02:00:00Z',
  finishedAt: '2026-11-30T02:01:00Z',
  message: null,
  stale: null,
  ...over,
});
const list: RunList = {
  total: 2,
  page: 1,
  pageSize: 200,
  jurisdiction: 'daye',
  region: { code: '990102', name: '石湖县' },
  title: '大冶市老年人福利清单',
  partial: false,
  mayStart: false,
  items: [run({}), run({ id: 6, period: '2026-10', changes: 12, verify: 0 })],
};

describe('the runs list', () => {
  const h = pageHarness();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    const json = (v: unknown) => new Response(JSON.stringify(v), { status: 200 });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        if (url === '/api/auth/me') return json(admin);
        if (url.startsWith('/api/runs?')) return json(list);
        if (url.startsWith('/api/jurisdictions')) return json({ items: [] });
        return json({});
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('counts each run’s rows to verify beside its changes', async () => {
    await h.show('/runs', '/runs', <RunsPage />);
    await settle();
    const verify = [...h.container.querySelectorAll('[data-testid="runs-verify-count"]')].map((e) => e.textContent);
    expect(verify).toEqual(['157', '0']);
    expect(h.container.textContent).toContain('待核实');
  });
});
