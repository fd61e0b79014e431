// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { AuthProvider } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import { createQueryClient } from '../../shared/query';
import { ReportsPage } from './reports';
import { AlarmsWorkbenchCard } from './workbench';
import type { AlarmReport, QualityReply } from './types';

/**
 * The alarm and hotline report page (issue 18): the figures as the server counts them, each target
 * with its status in words, the period and region in the address, the export with both, the quality
 * sample per operator; the workbench card for the hotline and for officers.
 */

const lead = {
  user: { id: 9, username: 'hotlinelead', displayName: '12349 热线值班长', role: 'hotline_supervisor', regionCode: '990101', regionName: '示范县' },
  actions: ['alarms.read', 'alarms.handle', 'alarms.supervise', 'alarms.reports', 'hotline.read', 'hotline.handle'],
  csrfToken: 'x',
};
const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['alarms.read', 'alarms.reports', 'hotline.read'],
  csrfToken: 'x',
};

const target = (key: 'ack' | 'ackLong' | 'attend', met: boolean | null, share: number | null) => ({
  key,
  limitSeconds: key === 'attend' ? 2700 : key === 'ack' ? 60 : 180,
  targetPermille: key === 'attend' ? 900 : 975,
  population: 20,
  within: 19,
  sharePermille: share,
  met,
  zh: met ? '达标：60 秒内接警 98.0%（目标 97.5%，共 20 起告警，19 起达到）' : '未达标：45 分钟内到场处置（紧急呼叫与跌倒，真实警情） 80.0%（目标 90.0%）',
  en: met ? 'Met: 98.0% acknowledged within 60 s (target 97.5%; 19 of 20 alarms)' : 'Not met: 80.0% attended within 45 min (target 90.0%)',
});
const report: AlarmReport = {
  from: '2026-10-01',
  to: '2026-10-31',
  regionCode: '990101',
  regionName: '示范县',
  at: '2026-11-30T10:00:00.000Z',
  alarms: {
    total: 20,
    open: 1,
    byKind: [
      { kind: 'emergency', count: 12 },
      { kind: 'fall', count: 3 },
      { kind: 'door_night', count: 5 },
      { kind: 'offline', count: 0 },
    ],
    byRegion: [
      { regionCode: '990101001', regionName: '城关街道', alarms: 14, emergencies: 10, tickets: 6, devicesOffline: 1 },
      { regionCode: '990101002', regionName: '南门镇', alarms: 6, emergencies: 5, tickets: 2, devicesOffline: 0 },
    ],
  },
  ack: { count: 19, medianSeconds: 42, p90Seconds: 75, maxSeconds: 400, pending: 1 },
  resolution: { count: 18, medianSeconds: 1260, p90Seconds: 4000, maxSeconds: 5000 },
  attend: { count: 10, medianSeconds: 1500, p90Seconds: 3000, maxSeconds: 3600 },
  targets: [target('ack', true, 980), target('ackLong', true, 990), target('attend', false, 800)],
  outcomes: { resolved: 18, real: 10, falseAlarms: 6, tests: 2, falseSharePermille: 333 },
  escalations: { toAll: 4, toSupervisor: 1 },
  devices: { active: 80, offline: 3 },
  tickets: {
    total: 8,
    byKind: [
      { kind: 'consultation', count: 4 },
      { kind: 'service_request', count: 2 },
      { kind: 'complaint', count: 2 },
      { kind: 'emergency', count: 0 },
    ],
  },
  complaints: { total: 2, closedInTime: 1, closedLate: 1, openOverdue: 0, openInTime: 0, inTimeSharePermille: 500 },
  callbacks: { due: 5, done: 3, unreachable: 1, open: 1 },
};
const quality: QualityReply = {
  month: '2026-11',
  regionCode: '990101',
  perOperator: 5,
  method: 'sha256',
  operators: [
    {
      operatorId: 7,
      operatorName: '12349 热线接线员',
      tickets: 12,
      sample: [
        {
          ticketId: 301,
          kind: 'complaint',
          status: 'closed',
          openedAt: '2026-11-03T02:00:00.000Z',
          closedAt: '2026-11-04T02:00:00.000Z',
          subject: '送餐不及时',
          outcome: 'resolved',
          personId: 5,
          personName: '张秀英',
          rank: '00ab',
        },
      ],
    },
  ],
};

describe('alarm and hotline reports page', () => {
  let container: HTMLDivElement;
  let root: Root;
  let session: typeof lead | typeof officer;
  const fetched: string[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = lead;
    fetched.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        fetched.push(url);
        if (url === '/api/auth/me') return json(session);
        if (url === '/api/regions') return json({ regions: [] });
        if (url.startsWith('/api/alarms/reports/quality')) return json(quality);
        if (url.includes('regionCode=990101009'))
          return json({ error: { code: 'ALARM_REPORT_REGION', message: '未找到地区“990101009”，或其不在您的管辖范围内', details: null } }, 404);
        if (url.startsWith('/api/alarms/reports?')) return json(report);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });
  const show = async (path: string, element: ReactElement) => {
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
  const byId = (id: string) => document.querySelector(`[data-testid="${id}"]`);

  it('asks for this month by default and shows the figures, counts by kind and each target’s status in words', async () => {
    await show('/alarms/reports', <ReportsPage />);
    const today = shanghaiToday();
    expect(fetched).toContain(`/api/alarms/reports?from=${today.slice(0, 7)}-01&to=${today}`);
    expect(byId('ar-ack-median')!.textContent).toBe('42 秒');
    expect(byId('ar-ack-p90')!.textContent).toBe('1 分 15 秒');
    expect(byId('ar-resolve-median')!.textContent).toBe('21 分 0 秒');
    expect(byId('ar-count-emergency')!.textContent).toBe('12');
    expect(byId('ar-count-door_night')!.textContent).toBe('5');
    expect(byId('ar-false-share')!.textContent).toBe('33.3%');
    expect(byId('ar-target-ack')!.textContent).toContain('达标');
    expect(byId('ar-target-ack')!.textContent).toContain('98.0%');
    expect(byId('ar-target-attend')!.textContent).toContain('未达标');
    expect(byId('ar-callbacks')!.textContent).toBe('已回访 3，联系不上 1，待回访 1');
    // the quality sample: this month, per operator, the elder's name
    expect(fetched.some((u) => u === `/api/alarms/reports/quality?month=${today.slice(0, 7)}`)).toBe(true);
    expect(byId('ar-quality-7')!.textContent).toContain('张秀英');
    expect(byId('ar-quality-7')!.textContent).toContain('12349 热线接线员（本月来电 12 件）');
  });

  it('takes the period and region from the address, and shows the server’s refusal in its words', async () => {
    await show('/alarms/reports?from=2026-10-01&to=2026-10-31&region=990101001', <ReportsPage />);
    expect(fetched).toContain('/api/alarms/reports?from=2026-10-01&to=2026-10-31&regionCode=990101001');
    act(() => root.unmount());
    root = createRoot(container);
    await show('/alarms/reports?region=990101009', <ReportsPage />);
    expect(document.body.textContent).toContain('未找到地区“990101009”');
  });

  it('speaks English: durations, statuses in the server’s English words', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/alarms/reports', <ReportsPage />);
    expect(byId('ar-ack-median')!.textContent).toBe('42 s');
    expect(byId('ar-target-ack')!.textContent).toContain('Met: 98.0% acknowledged within 60 s');
    expect(byId('ar-target-attend')!.textContent).toContain('Not met');
  });

  it('shows the hotline its queue on the workbench, each figure leading to its page; officers the month', async () => {
    const card = {
      openAlarms: 2,
      raised: 1,
      escalated: 1,
      callbacksDue: 4,
      monthAlarms: 120,
      ackSeconds: 60,
      ackTargetPermille: 975,
      ackSharePermille: 941,
      ackMet: false,
    };
    await show('/', <AlarmsWorkbenchCard alarms={card} />);
    expect(byId('wb-ar-open')!.getAttribute('href')).toBe('/alarms');
    expect(byId('wb-ar-open')!.textContent).toContain('其中待接警 1');
    expect(byId('wb-ar-escalated')!.getAttribute('href')).toBe('/alarms/supervisor');
    expect(byId('wb-ar-callbacks')!.getAttribute('href')).toBe('/hotline/callbacks');
    expect(byId('wb-ar-ack')!.textContent).toContain('94.1%');
    expect(byId('wb-ar-ack')!.textContent).toContain('未达标');
    expect(byId('wb-ar-month')).toBeNull();
    session = officer;
    act(() => root.unmount());
    root = createRoot(container);
    await show('/', <AlarmsWorkbenchCard alarms={card} />);
    expect(byId('wb-ar-month')!.textContent).toContain('120');
    expect(byId('wb-ar-month')!.getAttribute('href')).toBe('/alarms/reports');
    expect(byId('wb-ar-open')).toBeNull();
  });
});
