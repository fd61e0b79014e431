// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from './app-harness';
import { I18nProvider, LOCALE_KEY } from './i18n';
import { AuthProvider } from './shared/auth';
import { createQueryClient } from './shared/query';
import { AssignPage } from './modules/visits/assign';
import { FollowupsPage } from './modules/visits/followups';
import { OverduePage } from './modules/visits/overdue';
import { PlansPage } from './modules/visits/plans';
import { ProfileVisits } from './modules/visits/profile-visits';
import { VisitsWorkbenchCard } from './modules/visits/workbench';
import type {
  AssignmentRow,
  EscalationRow,
  FollowupRow,
  OverdueRow,
  PersonPlanReply,
  PersonVisitsReply,
  PlansReply,
  RateReply,
  VisitsWorkbench,
  WorkerRow,
} from './modules/visits/types';

/**
 * The visits console (issue 16): the plans with their rules in words and a refresh that follows its
 * job, the monthly rate by region, assignment (people and a whole village) with the history, the
 * overdue lists, follow-ups and escalations (the hotline operator's queue), the profile's 探访 tab and
 * the workbench card by role.
 */

vi.mock('echarts-for-react/esm/core', () => ({
  default: ({ option }: { option: { series: { data: unknown[] }[] } }) => (
    <pre data-testid="chart-option">{JSON.stringify(option.series.map((s) => s.data))}</pre>
  ),
}));

const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['register.read', 'visits.read', 'visits.assign', 'visits.refresh', 'visits.followup_handle', 'visits.followup_raise'],
  csrfToken: 'x',
};
const hotline = {
  user: { id: 30, username: 'hotline1', displayName: '热线话务员', role: 'hotline_operator', regionCode: '990101', regionName: '示范县' },
  actions: ['visits.read', 'visits.followup_handle'],
  csrfToken: 'x',
};

const words = (zh: string, en: string) => ({ zh, en });
const refreshAt = (at: string, status = 'finished') => ({
  at,
  on: '2026-11-30',
  status,
  jobId: 7,
  members: 12,
  joined: 3,
  left: 1,
  changed: 0,
  dues: 12,
  cancelled: 0,
  missed: 2,
  escalations: 1,
});
let plansReply: PlansReply;
const plans = (): PlansReply => ({
  plans: [
    {
      key: 'weekly_high_risk',
      label: words('每周探访（高风险）', 'Weekly (high risk)'),
      rule: "age >= 80 && disablement != 'none' && livingAlone",
      ruleWords: words('80 周岁及以上，且失能，且独居', 'aged 80 or over, and disabled, and living alone'),
      frequency: 'weekly',
      modes: ['home', 'phone', 'video'],
      highRisk: true,
      source: '常政办发〔2023〕37号 第4条',
      members: 4,
    },
    {
      key: 'monthly_special',
      label: words('每月探访（其他特殊困难老年人）', 'Monthly'),
      rule: 'age >= 60 && livingAlone',
      ruleWords: words('60 周岁及以上，且独居', 'aged 60 or over, and living alone'),
      frequency: 'monthly',
      modes: ['home', 'phone'],
      highRisk: false,
      source: '',
      members: 8,
    },
  ],
  settings: { week: 'calendar', minMinutes: { home: 10, phone: 5, video: 5, message: 0 }, escalateAfter: 2, rateTargetPercent: 100 },
  lastRefresh: refreshAt('2026-11-29T18:00:00.000Z'),
});
const rate: RateReply = {
  month: '2026-11',
  on: '2026-11-30',
  targetPercent: 100,
  regionCode: '990101001',
  total: { due: 20, done: 17, percent: 85 },
  rows: [
    { regionCode: '990101001001', name: '城关社区', due: 12, done: 12, percent: 100 },
    { regionCode: '990101001002', name: '南门社区', due: 8, done: 5, percent: 62.5 },
  ],
};
const member = (personId: number, name: string, worker: { id: number; name: string; role: string } | null): AssignmentRow => ({
  personId,
  name,
  idMasked: '990101********0012',
  regionCode: '990101001001',
  regionName: '城关社区',
  planKey: 'weekly_high_risk',
  frequency: 'weekly',
  highRisk: true,
  joinedOn: '2026-10-01',
  worker,
});
const grid1 = { id: 5, name: '网格员甲', role: 'grid_worker' };
const workers: WorkerRow[] = [
  { id: 5, name: '网格员甲', role: 'grid_worker', regionCode: '990101001001', regionName: '城关社区', people: 2, overdue: 1 },
  { id: 8, name: '志愿者乙', role: 'volunteer', regionCode: '990101001001', regionName: '城关社区', people: 0, overdue: 0 },
];
const overdueRow: OverdueRow = {
  personId: 11,
  name: '王桂兰',
  idMasked: '990101********0044',
  regionCode: '990101001001',
  regionName: '城关社区',
  planKey: 'weekly_high_risk',
  highRisk: true,
  consecutive: 2,
  since: '2026-11-16',
  lastWindowEnd: '2026-11-29',
  worker: { id: 5, name: '网格员甲', role: 'grid_worker' },
};
const ref = (id: number, name: string) => ({ id, name });
const followup = (id: number, kind: FollowupRow['kind'], status: FollowupRow['status']): FollowupRow => ({
  id,
  personId: 11,
  name: '王桂兰',
  regionCode: '990101001001',
  regionName: '城关社区',
  eventId: 3,
  kind,
  kindWords: kind === 'hotline' ? words('热线工单', 'Hotline ticket') : words('上门服务需求', 'Home-service request'),
  finding: 'health.ill',
  findingWords: words('生病未就医', 'Ill and not seen by a doctor'),
  note: '咳嗽一周',
  status,
  assessmentRequestId: null,
  escalationId: null,
  hotlineTicketId: null,
  raisedBy: ref(5, '网格员甲'),
  raisedAt: '2026-11-28T02:00:00.000Z',
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
const personPlan: PersonPlanReply = {
  personId: 11,
  current: null,
  why: [words('年满80周岁', 'aged 80 or over')],
  memberships: [
    {
      id: 2,
      planKey: 'weekly_high_risk',
      planLabel: words('每周探访（高风险）', 'Weekly (high risk)'),
      frequency: 'weekly',
      modes: ['home', 'phone'],
      highRisk: true,
      regionCode: '990101001001',
      joinedOn: '2026-10-01',
      leftOn: null,
      leftReason: null,
      rule: 'age >= 80',
      ruleWords: words('80 周岁及以上', 'aged 80 or over'),
    },
    {
      id: 1,
      planKey: 'monthly_special',
      planLabel: words('每月探访（其他特殊困难老年人）', 'Monthly'),
      frequency: 'monthly',
      modes: ['home'],
      highRisk: false,
      regionCode: '990101001001',
      joinedOn: '2026-01-05',
      leftOn: '2026-10-01',
      leftReason: 'plan_changed',
      rule: 'age >= 60',
      ruleWords: words('60 周岁及以上', 'aged 60 or over'),
    },
  ],
  dues: [
    {
      id: 30,
      planKey: 'weekly_high_risk',
      windowStart: '2026-11-23',
      windowEnd: '2026-11-29',
      dueDate: '2026-11-29',
      status: 'missed',
      doneOn: null,
      eventId: null,
      highRisk: true,
    },
    {
      id: 29,
      planKey: 'weekly_high_risk',
      windowStart: '2026-11-16',
      windowEnd: '2026-11-22',
      dueDate: '2026-11-22',
      status: 'done',
      doneOn: '2026-11-18',
      eventId: 3,
      highRisk: true,
    },
  ],
};
const personVisits: PersonVisitsReply = {
  visits: [
    {
      id: 3,
      mode: 'phone',
      startedAt: '2026-11-18T01:00:00.000Z',
      endedAt: '2026-11-18T01:12:00.000Z',
      minutes: 12,
      performer: ref(5, '网格员甲'),
      performerRole: 'grid_worker',
      findings: ['health.ill', 'safety.ok'],
      status: 'recorded',
      confirmedKind: null,
      photos: 0,
      dueId: 29,
      counted: true,
    },
  ],
  dues: [],
};

const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};
function typeText(el: Element | null, value: string) {
  expect(el).toBeTruthy();
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el!.dispatchEvent(new Event('input', { bubbles: true }));
}
/** Opens an Ant Design select and picks the option titled `title` (or whose text starts with it). */
async function pick(testId: string, title: string) {
  const select = byTestId(testId)?.closest('.ant-select') ?? byTestId(testId);
  await act(async () => {
    select!.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  await settle();
  const option = [...document.body.querySelectorAll('.ant-select-item-option')]
    .filter((o) => (o.getAttribute('title') ?? o.textContent ?? '').startsWith(title))
    .at(-1);
  expect(option, `option ${title}`).toBeTruthy();
  await act(async () => (option as HTMLElement).click());
  await settle();
}

function Where() {
  const l = useLocation();
  return <span data-testid="where">{`${l.pathname}${l.search}`}</span>;
}

describe('visits console', () => {
  let root: Root;
  let container: HTMLDivElement;
  let session: typeof officer = officer;
  const fetched: string[] = [];
  const sent: { url: string; body: unknown }[] = [];
  let followupsAnswer: FollowupRow[];
  let escalationsAnswer: EscalationRow[];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = officer;
    plansReply = plans();
    followupsAnswer = [followup(9, 'hotline', 'open'), followup(10, 'home_service', 'in_progress')];
    escalationsAnswer = [escalation];
    fetched.length = 0;
    sent.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        fetched.push(url);
        const json = (x: unknown) => new Response(JSON.stringify(x));
        if (init?.method === 'POST') {
          const body = JSON.parse(String(init.body)) as unknown;
          sent.push({ url, body });
          if (url === '/api/visits/plans/refresh') {
            // the job runs: the next read of the plans shows it running, the one after finished
            plansReply = { ...plans(), lastRefresh: refreshAt('2026-11-30T03:00:00.000Z') };
            return json({ jobId: 8 });
          }
          if (url === '/api/visits/assignments')
            return json({ assigned: 2, reassigned: 1, unchanged: 0, worker: { id: 8, name: '志愿者乙', role: 'volunteer' } });
          if (url.startsWith('/api/visits/followups/') || url.startsWith('/api/visits/escalations/')) {
            if (url === '/api/visits/escalations/4/acknowledge')
              escalationsAnswer = [{ ...escalation, status: 'acknowledged', acknowledgedBy: ref(40, '村负责人'), acknowledgedAt: '2026-11-30T04:00:00.000Z' }];
            return json({ ok: true });
          }
          return json({ ok: true });
        }
        if (url === '/api/auth/me') return json(session);
        if (url === '/api/visits/plans') return json(plansReply);
        if (url.startsWith('/api/visits/rate')) return json(rate);
        if (url.startsWith('/api/visits/members'))
          return json({
            items: [{ ...member(5, '张秀英', { ...grid1 }), age: 86, why: words('80 周岁及以上，且失能，且独居', 'aged 80 or over') }],
            total: 1,
            page: 1,
            pageSize: 20,
          });
        if (url.startsWith('/api/visits/workers')) return json({ items: workers });
        if (url.startsWith('/api/visits/assignments'))
          return json({ items: [member(5, '张秀英', grid1), member(6, '李国强', null)], total: 2, page: 1, pageSize: 20 });
        if (url === '/api/persons/5/visit-assignments')
          return json({
            items: [
              {
                id: 3,
                worker: { id: 8, name: '志愿者乙', role: 'volunteer' },
                note: '整村转派',
                assignedBy: ref(2, '城关街道工作人员'),
                assignedAt: '2026-11-30T02:00:00.000Z',
                endedBy: null,
                endedAt: null,
              },
              {
                id: 1,
                worker: grid1,
                note: null,
                assignedBy: ref(2, '城关街道工作人员'),
                assignedAt: '2026-10-02T02:00:00.000Z',
                endedBy: ref(2, '城关街道工作人员'),
                endedAt: '2026-11-30T02:00:00.000Z',
              },
            ],
          });
        if (url.startsWith('/api/visits/overdue/summary'))
          return json({
            byWorker: [
              { workerId: 5, name: '网格员甲', overdue: 1 },
              { workerId: null, name: '', overdue: 2 },
            ],
            byRegion: [{ regionCode: '990101001001', name: '城关社区', overdue: 3 }],
          });
        if (url.startsWith('/api/visits/overdue')) return json({ items: [overdueRow], total: 1, page: 1, pageSize: 20 });
        if (url.startsWith('/api/visits/followups')) return json({ items: followupsAnswer, total: followupsAnswer.length, page: 1, pageSize: 20 });
        if (url.startsWith('/api/visits/escalations')) return json({ items: escalationsAnswer, total: escalationsAnswer.length, page: 1, pageSize: 20 });
        if (url === '/api/persons/11/visit-plan') return json(personPlan);
        if (url === '/api/persons/11/visits') return json(personVisits);
        if (url === '/api/persons/11/visit-assignments') return json({ items: [] });
        if (url === '/api/regions')
          return json({
            regions: [
              { code: '990101001', name: '城关街道', level: 'town', kind: 'street', parentCode: null },
              { code: '990101001001', name: '城关社区', level: 'village', kind: 'community', parentCode: '990101001' },
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
                  <Where />
                </MemoryRouter>
              </AntApp>
            </AuthProvider>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };

  it('shows the plans in order with their rules in words, modes with minimum minutes, members and the settings; a refresh follows its job', async () => {
    await show('/visits/plans', <PlansPage />);
    const weekly = byTestId('visits-plan-weekly_high_risk')!;
    expect(weekly.textContent).toContain('第 1 条');
    expect(byTestId('visits-plan-words-weekly_high_risk')!.textContent).toContain('80 周岁及以上，且失能，且独居');
    expect(weekly.textContent).toContain('每周');
    expect(weekly.textContent).toContain('电话 ≥ 5′');
    expect(weekly.textContent).toContain('高风险');
    expect(weekly.textContent).toContain('对象 4 人');
    expect(byTestId('visits-settings')!.textContent).toContain('连续 2 个周期漏访即升级');
    expect(byTestId('visits-last-refresh')!.textContent).toContain('新加入 3 人，退出 1 人');

    await click(byTestId('visits-refresh'));
    expect(sent.map((s) => s.url)).toEqual(['/api/visits/plans/refresh']);
    // the plans are read again at once; the newer finished refresh ends the wait
    expect(byTestId('visits-last-refresh')!.textContent).toContain('2026-11-30 11:00:00');
    expect(document.body.textContent).toContain('计划已更新');
    expect(byTestId('visits-refresh')!.textContent).toBe('按规则更新');

    // a plan's members link opens the members tab filtered by the plan, with why and who visits
    await click(byTestId('visits-plan-members-weekly_high_risk'));
    expect(byTestId('where')!.textContent).toBe('/visits/plans?plan=weekly_high_risk&tab=members');
    expect(fetched.some((u) => u.startsWith('/api/visits/members?') && u.includes('plan=weekly_high_risk'))).toBe(true);
    const table = byTestId('members-table')!;
    expect(table.textContent).toContain('张秀英');
    expect(table.textContent).toContain('80 周岁及以上，且失能，且独居');
    expect(table.textContent).toContain('网格员甲');
  });

  it('offers no refresh to a role without visits.refresh, and reads the rule words in English', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    session = { ...officer, actions: ['visits.read'] };
    await show('/visits/plans', <PlansPage />);
    expect(byTestId('visits-refresh')).toBeNull();
    expect(byTestId('visits-plan-words-weekly_high_risk')!.textContent).toContain('aged 80 or over, and disabled, and living alone');
  });

  it("shows the month's visit rate by region against the target, as bars and a table, and drills into a region", async () => {
    await import('./modules/visits/charts'); // the chart's chunk, loaded before the page asks for it
    await show('/visits/plans?tab=rate', <PlansPage />);
    await settle();
    expect(byTestId('rate-total')!.textContent).toContain('85');
    expect(byTestId('visits-rate')!.textContent).toContain('目标 100%');
    expect(byTestId('visits-rate')!.textContent).toContain('应访 20 人次，已访 17 人次');
    expect(byTestId('chart-option')!.textContent).toContain('62.5');
    expect(byTestId('rate-table')!.textContent).toContain('南门社区');
    await click(byTestId('rate-drill-990101001002'));
    expect(byTestId('where')!.textContent).toBe('/visits/plans?tab=rate&region=990101001002');
    expect(fetched.some((u) => u.startsWith('/api/visits/rate?') && u.includes('region=990101001002'))).toBe(true);
  });

  it('assigns ticked people to a worker of the village, reassigns a village from one worker to another, and shows a person’s history', async () => {
    await show('/visits/assign', <AssignPage />);
    expect(byTestId('visits-row-worker-5')!.textContent).toBe('网格员甲');
    expect(byTestId('visits-assign-table')!.textContent).toContain('未分派');
    expect(byTestId('visits-workers')!.textContent).toContain('志愿者乙');

    const box = (i: number) => byTestId('visits-assign-table')!.querySelectorAll<HTMLInputElement>('.ant-table-row input[type="checkbox"]')[i]!;
    await click(box(0));
    await click(box(1));
    await click(byTestId('visits-assign'));
    // nothing picked: the dialog says so and sends nothing
    await click(byTestId('visits-assign-ok'));
    expect(document.body.textContent).toContain('请选择探访人员');
    expect(sent).toEqual([]);
    await pick('visits-assign-worker', '志愿者乙');
    await act(async () => typeText(byTestId('visits-assign-note'), '就近'));
    await click(byTestId('visits-assign-ok'));
    expect(sent).toContainEqual({ url: '/api/visits/assignments', body: { personIds: [5, 6], workerId: 8, note: '就近' } });
    // the village's workers were asked for the village of the people
    expect(fetched).toContain('/api/visits/workers?region=990101001001');

    // the village reassignment starts on the village the list shows
    act(() => root.unmount());
    root = createRoot(container);
    await show('/visits/assign?region=990101001001', <AssignPage />);
    await click(byTestId('visits-village'));
    await pick('visits-village-from', '网格员甲');
    await pick('visits-village-to', '网格员甲');
    await click(byTestId('visits-village-ok'));
    expect(document.body.textContent).toContain('原探访人员与新探访人员相同');
    expect(sent.filter((s) => s.url === '/api/visits/assignments/village')).toEqual([]);
    await pick('visits-village-to', '志愿者乙');
    await click(byTestId('visits-village-ok'));
    expect(sent).toContainEqual({ url: '/api/visits/assignments/village', body: { regionCode: '990101001001', fromWorkerId: 5, toWorkerId: 8 } });

    await click(byTestId('visits-history-open-5'));
    const history = byTestId('visits-assignment-history')!;
    expect(history.textContent).toContain('志愿者乙');
    expect(history.textContent).toContain('当前');
    expect(history.textContent).toContain('整村转派');
    expect(history.textContent).toContain('结束时间 2026-11-30 10:00:00');
  });

  it('counts overdue visits per worker and region and lists them with the high-risk flag and the misses in a row', async () => {
    await show('/visits/overdue', <OverduePage />);
    expect(byTestId('overdue-by-worker')!.textContent).toContain('网格员甲');
    expect(byTestId('overdue-by-worker')!.textContent).toContain('未分派');
    expect(byTestId('overdue-by-region')!.textContent).toContain('城关社区');
    const table = byTestId('overdue-table')!;
    expect(table.textContent).toContain('王桂兰');
    expect(table.textContent).toContain('高风险');
    expect(table.textContent).toContain('2 次');
    expect(table.textContent).toContain('每周探访（高风险）');
    await click(byTestId('overdue-high-risk'));
    expect(fetched.some((u) => u.startsWith('/api/visits/overdue?') && u.includes('highRisk=true'))).toBe(true);
    await click(byTestId('overdue-worker-5'));
    expect(byTestId('where')!.textContent).toContain('worker=5');
  });

  it('takes a follow-up and closes one only with a resolution; acknowledges an escalation', async () => {
    await show('/visits/followups', <FollowupsPage />);
    // not closed by default: the server's 'active'
    expect(fetched.some((u) => u.startsWith('/api/visits/followups?') && u.includes('status=active'))).toBe(true);
    const table = byTestId('fu-table')!;
    expect(table.textContent).toContain('热线工单');
    expect(table.textContent).toContain('生病未就医');
    expect(table.textContent).toContain('咳嗽一周');
    await click(byTestId('fu-take-9'));
    expect(sent).toContainEqual({ url: '/api/visits/followups/9/take', body: {} });
    // the one in progress cannot be taken again
    expect(byTestId('fu-take-10')).toBeNull();
    await click(byTestId('fu-close-10'));
    await click(byTestId('visits-resolution-ok'));
    expect(document.body.textContent).toContain('请填写处理结果');
    expect(sent.some((s) => s.url === '/api/visits/followups/10/close')).toBe(false);
    await act(async () => typeText(byTestId('visits-resolution'), '已联系家属送医'));
    await click(byTestId('visits-resolution-ok'));
    expect(sent).toContainEqual({ url: '/api/visits/followups/10/close', body: { resolution: '已联系家属送医' } });

    await click([...document.body.querySelectorAll('.ant-tabs-tab')].find((x) => x.textContent === '逾期升级')!);
    expect(byTestId('where')!.textContent).toBe('/visits/followups?tab=escalations');
    expect(byTestId('esc-table')!.textContent).toContain('2 次');
    await click(byTestId('esc-ack-4'));
    expect(sent).toContainEqual({ url: '/api/visits/escalations/4/acknowledge', body: {} });
    expect(byTestId('esc-table')!.textContent).toContain('已确认');
    expect(byTestId('esc-ack-4')).toBeNull();
  });

  it("opens on a hotline operator's queue: hotline tickets", async () => {
    session = hotline;
    await show('/visits/followups', <FollowupsPage />);
    expect(document.body.textContent).toContain('您的热线工单');
    expect(fetched.some((u) => u.startsWith('/api/visits/followups?') && u.includes('kind=hotline'))).toBe(true);
  });

  it("shows on the profile the person's plan and its changes, the periods, the visits with findings, and who visits them", async () => {
    await show('/register/11', <ProfileVisits personId="11" />);
    const plan = byTestId('profile-visit-plan')!;
    expect(plan.textContent).toContain('每周探访（高风险）');
    expect(plan.textContent).toContain('2026-10-01 起');
    expect(plan.textContent).toContain('转入其他计划');
    // why this person is in it: the conditions that hold for them
    expect(byTestId('profile-visit-why')!.textContent).toContain('年满80周岁');
    expect(byTestId('profile-visit-dues')!.textContent).toContain('漏访');
    const events = byTestId('profile-visit-events')!;
    expect(events.textContent).toContain('电话');
    expect(events.textContent).toContain('12 分钟');
    expect(events.textContent).toContain('生病未就医');
    expect(events.textContent).not.toContain('未发现安全隐患');
    expect(events.textContent).toContain('计入');
    expect(document.body.textContent).toContain('尚无分派记录');
  });

  const block: VisitsWorkbench = {
    month: '2026-11',
    rate: { due: 20, done: 17, percent: 85 },
    rateLastMonth: { month: '2026-10', due: 130, done: 120, percent: 92.3 },
    targetPercent: 100,
    overdue: 3,
    overdueHighRisk: 1,
    escalationsOpen: 1,
    followupsOpen: 2,
    myDueToday: null,
  };
  const as = (role: string) => ({ ...officer, user: { ...officer.user, role } });

  it("shows a village head's workbench card: open escalations and overdue, linking to their lists, and the village's rate", async () => {
    session = as('village_head');
    await show('/', <VisitsWorkbenchCard visits={block} />);
    const esc = byTestId('todo-visits-escalations') as HTMLAnchorElement;
    expect(esc.getAttribute('href')).toBe('/visits/followups?tab=escalations');
    expect(esc.textContent).toContain('1');
    expect((byTestId('todo-visits-overdue') as HTMLAnchorElement).getAttribute('href')).toBe('/visits/overdue');
    expect(byTestId('todo-visits-overdue')!.textContent).toContain('其中高风险 1 人');
    // the supervisor sees the same rate the worker's phone and the rate page show (one formula)
    expect(byTestId('wb-visits-rate')!.textContent).toContain('85.0%');
  });

  it("shows an officer the month's rate against the target; a grid worker what is due today, linking to the phone list; nothing without the block", async () => {
    await show('/', <VisitsWorkbenchCard visits={block} />);
    expect(byTestId('wb-visits-rate')!.textContent).toContain('85.0%');
    expect(byTestId('wb-visits-rate')!.textContent).toContain('目标 100%');
    // last month's beside it: on the 1st this month's has little in it yet
    expect(byTestId('wb-visits-rate-last')!.textContent).toBe('上月 92.3%（120/130）');
    act(() => root.unmount());
    root = createRoot(container);
    session = as('grid_worker');
    await show('/', <VisitsWorkbenchCard visits={{ ...block, myDueToday: 4 }} />);
    const due = byTestId('todo-visits-dueToday') as HTMLAnchorElement;
    expect(due.getAttribute('href')).toBe('/m/visits');
    expect(due.textContent).toContain('4');
    act(() => root.unmount());
    root = createRoot(container);
    await show('/', <VisitsWorkbenchCard visits={null} />);
    expect(byTestId('workbench-visits')).toBeNull();
  });
});
