// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { WorkbenchReply } from '../../src/modules/workbench/workbench.schema';

// jsdom draws no canvas: the charts are stood in for by their options, which the test reads
vi.mock('echarts-for-react/esm/core', () => ({
  default: ({ option }: { option: { series: { data: unknown[] }[] } }) => (
    <pre data-testid="chart-option">{JSON.stringify(option.series.map((s) => s.data))}</pre>
  ),
}));

const session = (role: string, actions: string[]) =>
  new Response(
    JSON.stringify({
      user: { id: 5, username: role, displayName: '东湖镇桃园村网格员', role, regionCode: '990101101001', regionName: '桃园村' },
      actions,
      csrfToken: 'x',
    }),
  );

const gridReply: WorkbenchReply = {
  on: '2026-11-30',
  todos: [
    { key: 'changes', count: 3, runId: 7 },
    { key: 'verify', count: 1, runId: 7 },
  ],
  activity: [{ kind: 'run', id: 7, at: '2026-11-01T02:00:00.000Z', period: '2026-11', status: 'finished' }],
  population: {
    total: 12,
    over80: 3,
    byBand: [
      { band: '60-69', n: 5 },
      { band: '70-79', n: 4 },
      { band: '80-89', n: 2 },
      { band: '90-99', n: 1 },
      { band: '100+', n: 0 },
    ],
    byTown: [{ code: '990101101', name: '东湖镇', total: 12, bands: [{ band: '60-69', n: 5 }] }],
  },
  allowance: null,
  rolls: null,
  assessment: null,
  visits: null,
  timebank: null,
};

describe('工作台', () => {
  const h = appHarness('/');

  it("opens on the grid worker's to-dos with counts and links, the region's figures, and a menu naming the work queue", async () => {
    h.fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url.startsWith('/api/auth/me')) return session('grid_worker', ['register.read', 'entitlements.read', 'entitlements.handle_change']);
      if (url.startsWith('/api/workbench')) return new Response(JSON.stringify(gridReply));
      return new Response(JSON.stringify({ items: [], total: 0 }));
    });
    await h.render();
    await settle();
    const home = h.container.querySelector('[data-testid="home"]')!;
    expect(home).not.toBeNull();
    const changes = h.container.querySelector<HTMLAnchorElement>('[data-testid="todo-changes"]')!;
    expect(changes.textContent).toContain('待跟进的变动');
    expect(changes.textContent).toContain('3');
    expect(changes.getAttribute('href')).toBe('/changes');
    expect(h.container.querySelector('[data-testid="todo-verify"]')!.getAttribute('href')).toBe('/changes?kind=verify');
    // no roll to-dos for a role that prepares none
    expect(h.container.querySelector('[data-testid="todo-rollsToSubmit"]')).toBeNull();
    expect(h.container.querySelector('[data-testid="fig-total"]')!.textContent).toContain('12');
    expect(h.container.querySelector('[data-testid="fig-over80-share"]')!.textContent).toContain('25.0');
    expect(home.textContent).toContain('2026-11 待遇测算');
    // the age-band chart is drawn from the counts (its chunk loads after the to-dos)
    await expect
      .poll(
        async () => {
          await settle();
          return h.container.querySelector('[data-testid="chart-bands"]')?.textContent ?? '';
        },
        { timeout: 20_000 },
      )
      .toContain('"value":5');
    const menu = h.container.querySelector('[data-testid="nav-menu"]')!.textContent;
    expect(menu).toContain('工作台');
    expect(menu).toContain('待办 / 变动跟进');
    expect(menu).not.toContain('待遇测算');
  });

  it('tells a role with nothing to do so, and shows no figures of persons', async () => {
    h.fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url.startsWith('/api/auth/me')) return session('provider', []);
      if (url.startsWith('/api/workbench'))
        return new Response(
          JSON.stringify({
            on: '2026-11-30',
            todos: [],
            activity: [],
            population: null,
            allowance: null,
            rolls: null,
            assessment: null,
            visits: null,
            timebank: null,
          } satisfies WorkbenchReply),
        );
      return new Response(JSON.stringify({ items: [], total: 0 }));
    });
    await h.render();
    await settle();
    expect(h.container.querySelector('[data-testid="home"]')!.textContent).toContain('您的岗位暂无待办事项');
    expect(h.container.querySelector('[data-testid="workbench-figures"]')).toBeNull();
    expect(h.container.querySelector('[data-testid="nav-menu"]')!.textContent).toBe('工作台');
  });
});
