// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { AuthProvider } from '../../shared/auth';
import { createQueryClient } from '../../shared/query';
import { FollowupsPage } from './followups';
import { AssignmentHistory } from './history';
import type { EscalationRow, FollowupRow } from './types';

/**
 * The follow-ups page after the newcomer's run (issue 16): a ticket the system raised names its
 * raiser in the reader's language; an escalation and its hotline ticket are one case, and the close
 * dialogs say that closing one closes the other with the same resolution.
 */

const hotline = {
  user: { id: 30, username: 'hotline1', displayName: '热线话务员', role: 'hotline_operator', regionCode: '990101', regionName: '示范县' },
  actions: ['visits.read', 'visits.followup_handle'],
  csrfToken: 'x',
};
const words = (zh: string, en: string) => ({ zh, en });
const ticket = (id: number, escalationId: number | null): FollowupRow => ({
  id,
  personId: 11,
  name: '王桂兰',
  regionCode: '990101001001',
  regionName: '城关社区',
  eventId: null,
  kind: 'hotline',
  kindWords: words('热线工单', 'Hotline ticket'),
  finding: escalationId ? 'escalation' : 'health.ill',
  findingWords: escalationId ? words('连续漏访升级', 'Escalated after missed visits') : words('生病未就医', 'Ill and not seen by a doctor'),
  note: null,
  status: 'open',
  assessmentRequestId: null,
  escalationId,
  hotlineTicketId: null,
  // the system raised the escalation's ticket: the server names it 系统 whatever the reader's language
  raisedBy: escalationId ? { id: 0, name: '系统' } : { id: 5, name: '网格员甲' },
  raisedAt: '2026-11-30T00:05:00.000Z',
  takenBy: null,
  takenAt: null,
  closedBy: null,
  closedAt: null,
  resolution: null,
});
const escalation: EscalationRow = {
  id: 4,
  personId: 11,
  name: '王桂兰',
  regionCode: '990101001001',
  regionName: '城关社区',
  missedWindows: 2,
  lastWindowEnd: '2026-11-29',
  raisedAt: '2026-11-30T00:05:00.000Z',
  status: 'open',
  acknowledgedBy: null,
  acknowledgedAt: null,
  closedBy: null,
  closedAt: null,
  resolution: null,
  followupId: 9,
};

describe('follow-ups: the system in words, an escalation and its ticket as one case', () => {
  let root: Root;
  let container: HTMLDivElement;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        const json = (x: unknown) => new Response(JSON.stringify(x));
        if (url === '/api/auth/me') return json(hotline);
        if (url.startsWith('/api/visits/followups'))
          return json({ items: [ticket(9, 4), { ...ticket(10, null), hotlineTicketId: 33 }], total: 2, page: 1, pageSize: 20 });
        if (url.startsWith('/api/visits/escalations')) return json({ items: [escalation], total: 1, page: 1, pageSize: 20 });
        if (url === '/api/regions') return json({ regions: [] });
        if (url === '/api/persons/11/visit-assignments')
          return json({
            items: [
              {
                id: 1,
                worker: { id: 5, name: '网格员甲', role: 'grid_worker' },
                note: null,
                assignedBy: { id: 2, name: '城关街道工作人员' },
                assignedAt: '2026-10-02T02:00:00.000Z',
                endedBy: { id: 0, name: '系统' },
                endedAt: '2026-11-30T02:00:00.000Z',
              },
            ],
          });
        return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }), { status: 404 });
      }),
    );
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });
  const show = async (path: string, element = <FollowupsPage />) => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter initialEntries={[path]}>
                  <Routes>
                    <Route path="*" element={element} />
                  </Routes>
                </MemoryRouter>
              </AntApp>
            </AuthProvider>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };
  const byTestId = (id: string) => document.body.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const click = async (id: string) => {
    const el = byTestId(id);
    expect(el, id).toBeTruthy();
    await act(async () => el!.click());
    await settle();
  };

  it('names the system that raised a ticket in English as System, in Chinese as 系统', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/visits/followups');
    const page = container.textContent ?? '';
    expect(page).toContain('Hotline ticket');
    expect(page).toContain('System');
    expect(page).not.toContain('系统');
    act(() => root.unmount());
    root = createRoot(container);
    localStorage.setItem(LOCALE_KEY, 'zh-CN');
    await show('/visits/followups');
    expect(container.textContent).toContain('系统');
  });

  it('shows the hotline ticket a follow-up opened, in both languages; one without a ticket shows none', async () => {
    await show('/visits/followups');
    expect(byTestId('fu-ticket-10')?.textContent).toBe('已转热线工单（#33）');
    expect(byTestId('fu-ticket-9')).toBeNull();
    act(() => root.unmount());
    root = createRoot(container);
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/visits/followups');
    expect(byTestId('fu-ticket-10')?.textContent).toBe('Hotline ticket opened (#33)');
  });

  it('names the system that ended an assignment in English as System', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/register/11', <AssignmentHistory personId={11} />);
    expect(byTestId('visits-history-1')?.textContent).toContain('System');
    expect(byTestId('visits-history-1')?.textContent).not.toContain('系统');
  });

  it("says that closing an escalation's hotline ticket closes the escalation too; an ordinary ticket's dialog says nothing of it", async () => {
    await show('/visits/followups');
    await click('fu-close-9');
    expect(byTestId('visits-resolution-note')?.textContent).toBe('此热线工单来自逾期升级：办结后，该升级也一并关闭，处理结果相同。');
    await act(async () => (document.body.querySelector('.ant-modal-close') as HTMLElement).click());
    await settle();
    await click('fu-close-10');
    expect(byTestId('visits-resolution-note')).toBeNull();
  });

  it('says that closing an escalation closes its hotline ticket too, with the same resolution', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/visits/followups?tab=escalations');
    await click('esc-close-4');
    expect(byTestId('visits-resolution-note')?.textContent).toBe('Closing it also closes its hotline ticket, with the same resolution.');
  });
});
