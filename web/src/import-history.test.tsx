// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { ImportSummary } from './shared/api';

/** Issue 12 (newcomer run): import history showed the importer's user id ("1") as 导入人. */
const summary = (extra: Partial<ImportSummary>): ImportSummary => ({
  id: 4,
  source: 'public_security',
  sourceLabel: '公安（户籍）',
  sourceLabelEn: 'Public security',
  fileName: '户籍.csv',
  format: 'csv',
  encoding: 'utf-8',
  asOf: '2026-10-31',
  status: 'applied',
  rowsTotal: 2,
  rowsBad: 0,
  created: 2,
  updated: 0,
  unchanged: 0,
  conflicts: 0,
  closed: 0,
  message: null,
  importedBy: 1,
  importedByName: '县民政局管理员',
  startedAt: '2026-11-30T01:00:00.000Z',
  finishedAt: '2026-11-30T01:00:01.000Z',
  ...extra,
});

describe('import history', () => {
  const h = appHarness('/imports/history');

  it("shows the importer's name, not the user id, in the list and the detail", async () => {
    h.fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url.startsWith('/api/auth/me')) {
        return new Response(
          JSON.stringify({
            user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
            actions: ['register.read', 'register.import'],
            csrfToken: 'x',
          }),
        );
      }
      if (url.startsWith('/api/imports?'))
        return new Response(JSON.stringify({ items: [summary({}), summary({ id: 3, importedBy: null, importedByName: null })], total: 2 }));
      return new Response(JSON.stringify({ items: [], total: 0 }));
    });
    await h.render();
    await settle();
    const table = h.container.querySelector('[data-testid="import-history-table"]')!;
    expect(table).toBeTruthy();
    const rows = [...table.querySelectorAll('tbody tr')].filter((r) => r.querySelectorAll('td').length > 1);
    expect(rows[0]!.textContent).toContain('县民政局管理员');
    expect(rows[1]!.textContent).toContain('系统');
    await act(async () => {
      (rows[0] as HTMLElement).click();
    });
    await settle();
    const by = document.querySelector('[data-testid="import-by"]');
    expect(by?.textContent).toBe('县民政局管理员');
  });

  it('shows an import made elsewhere (another tab, the command line) without a reload: the list follows the live import events', async () => {
    const sources: { emit: (name: string, data: unknown) => void }[] = [];
    class FakeSource {
      static CLOSED = 2;
      readyState = 1;
      onopen: (() => void) | null = null;
      onerror: (() => void) | null = null;
      private listeners = new Map<string, (e: MessageEvent<string>) => void>();
      constructor() {
        sources.push(this);
      }
      addEventListener(name: string, l: (e: MessageEvent<string>) => void) {
        this.listeners.set(name, l);
      }
      removeEventListener(name: string) {
        this.listeners.delete(name);
      }
      close() {}
      emit(name: string, data: unknown) {
        this.listeners.get(name)?.({ data: JSON.stringify(data) } as MessageEvent<string>);
      }
    }
    vi.stubGlobal('EventSource', FakeSource);
    let listed = [summary({})];
    h.fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url.startsWith('/api/auth/me'))
        return new Response(
          JSON.stringify({
            user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
            actions: ['register.read', 'register.import'],
            csrfToken: 'x',
          }),
        );
      if (url.startsWith('/api/imports?')) return new Response(JSON.stringify({ items: listed, total: listed.length }));
      return new Response(JSON.stringify({ items: [], total: 0 }));
    });
    await h.render();
    await settle();
    const rows = () => [...h.container.querySelectorAll('[data-testid="import-history-table"] tbody tr')].filter((r) => r.querySelectorAll('td').length > 1);
    expect(rows()).toHaveLength(1);
    // another officer's import is applied: the stream says so, and the list reloads
    listed = [summary({ id: 5, fileName: '民政.csv' }), summary({})];
    await act(async () => sources.forEach((src) => src.emit('import', { id: 5, source: 'civil_affairs', status: 'applied', progress: 100 })));
    await settle();
    expect(rows()).toHaveLength(2);
    expect(rows()[0]!.textContent).toContain('民政.csv');
  });
});
