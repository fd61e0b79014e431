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
import { CoveragePage } from './modules/assessment/coverage';
import { DuePage } from './modules/assessment/due';
import { ProfileCapability } from './modules/assessment/profile-capability';
import { AssessmentWorkbench, type AssessmentFigures } from './modules/assessment/workbench';
import type { AssessorsReply, CoverageReply, DueReply, PersonCapabilityReply } from './modules/assessment/types';

/**
 * Capability assessment's lists in the console (issue 15): the profile's 能力评估 tab (the level the
 * rules read with the LTC grade beside it, the request dialog), the due list (states, assignment) and
 * 80+ coverage (figures, rate, drill-down). The form and the view are the assessment-form module's.
 */

// jsdom draws no canvas: the chart is stood in for by its bars' values
vi.mock('echarts-for-react/esm/core', () => ({
  default: ({ option }: { option: { series: { data: unknown[] }[] } }) => (
    <pre data-testid="chart-option">{JSON.stringify(option.series.map((s) => s.data))}</pre>
  ),
}));

const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['register.read', 'assessments.read', 'assessments.review', 'assessments.request', 'assessments.schedule'],
  csrfToken: 'x',
};
const assessorSession = {
  user: { id: 9, username: 'assessor1', displayName: '评估员甲', role: 'assessor', regionCode: '990101001', regionName: '城关街道' },
  actions: ['assessments.read', 'assessments.write', 'assessments.request'],
  csrfToken: 'x',
};

const summary = {
  id: 41,
  clientId: '7d1a3a4e-0000-4000-8000-000000000041',
  version: 3,
  personId: 5,
  personName: '张秀英',
  idMasked: '990101********0012',
  regionCode: '990101001001',
  regionName: '城关社区',
  referenceDate: '2026-03-02',
  place: 'home' as const,
  reason: 'periodic' as const,
  status: 'reviewed' as const,
  assessor1: { id: 9, name: '评估员甲' },
  assessor2: { id: 10, name: '评估员乙' },
  cosigned: true,
  total: 38,
  finalLevel: 'severe' as const,
  supersededBy: null,
  supersedesId: null,
  openConflicts: 0,
  updatedAt: '2026-03-05T02:00:00.000Z',
};
const capability: PersonCapabilityReply = {
  current: { assessmentId: 41, level: 'severe', referenceDate: '2026-03-02', nextDue: '2027-03-02', validUntil: '2027-05-31', expired: false },
  ltc: { grade: 'moderate', asOf: '2026-01-15', source: 'medical_insurance' },
  due: '2027-03-02',
  openRequest: null,
  assessments: [summary],
};

let dueReply: DueReply;
const due: DueReply = {
  on: '2026-11-30',
  page: 1,
  pageSize: 20,
  total: 2,
  items: [
    {
      personId: 5,
      name: '张秀英',
      idMasked: '990101********0012',
      age: 86,
      regionCode: '990101001001',
      regionName: '城关社区',
      last: { referenceDate: '2025-10-02', level: 'moderate' },
      dueDate: '2026-10-02',
      daysOverdue: 59,
      state: 'overdue',
      assignment: { id: 3, assessor: { id: 10, name: '评估员乙' }, assignedAt: '2026-10-10T02:00:00.000Z' },
      openRequest: null,
    },
    {
      personId: 6,
      name: '李国强',
      idMasked: '990101********0034',
      age: 81,
      regionCode: '990101001001',
      regionName: '城关社区',
      last: null,
      dueDate: '2026-12-20',
      daysOverdue: -20,
      state: 'due_soon',
      assignment: null,
      openRequest: null,
    },
  ],
};
const assessors: AssessorsReply = {
  items: [
    { id: 9, name: '评估员甲', regionCode: '990101001', regionName: '城关街道' },
    { id: 10, name: '评估员乙', regionCode: '990101001', regionName: '城关街道' },
  ],
};
const coverage = (code?: string): CoverageReply =>
  code === '990101001'
    ? {
        on: '2026-11-30',
        olderAge: 80,
        target: 1,
        region: { code: '990101001', name: '城关街道', older: 40, covered: 30, rate: 0.75 },
        children: [{ code: '990101001001', name: '城关社区', older: 40, covered: 30, rate: 0.75 }],
      }
    : {
        on: '2026-11-30',
        olderAge: 80,
        target: 1,
        region: { code: '990101', name: '示范县', older: 50, covered: 31, rate: 0.62 },
        children: [
          { code: '990101001', name: '城关街道', older: 40, covered: 30, rate: 0.75 },
          { code: '990101101', name: '东湖镇', older: 10, covered: 1, rate: 0.1 },
          { code: '990101102', name: '西山镇', older: 0, covered: 0, rate: null },
        ],
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
/** Opens an Ant Design select and picks the option titled `title`. */
async function pick(testId: string, title: string) {
  const select = byTestId(testId)?.closest('.ant-select') ?? byTestId(testId);
  await act(async () => {
    select!.querySelector('.ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  await settle();
  const option = [...document.body.querySelectorAll(`.ant-select-item-option[title="${title}"]`)].at(-1);
  expect(option, `option ${title}`).toBeTruthy();
  await act(async () => (option as HTMLElement).click());
  await settle();
}

/** The URL the page is on (filters are kept in it). */
function Where() {
  const l = useLocation();
  return <span data-testid="where">{`${l.pathname}${l.search}`}</span>;
}

describe('capability assessment lists', () => {
  let root: Root;
  let container: HTMLDivElement;
  let session: typeof officer = officer;
  const fetched: string[] = [];
  const sent: { url: string; body: unknown }[] = [];
  beforeEach(() => {
    dueReply = due;
    localStorage.removeItem(LOCALE_KEY);
    session = officer;
    fetched.length = 0;
    sent.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        fetched.push(url);
        if (init?.method === 'POST') sent.push({ url, body: JSON.parse(String(init.body)) });
        if (url === '/api/auth/me') return new Response(JSON.stringify(session));
        if (url === '/api/persons/5/capability') return new Response(JSON.stringify(capability));
        if (url === '/api/persons/5/assessment-assignments') return new Response(JSON.stringify({ items: [] }));
        if (url === '/api/persons/5/assessment-requests' && init?.method === 'POST')
          return new Response(
            JSON.stringify({
              id: 1,
              personId: 5,
              regionCode: '990101001001',
              reason: 'change',
              note: '跌倒后卧床',
              requestedBy: { id: 2, name: '城关街道工作人员' },
              requestedAt: '2026-11-30T02:00:00.000Z',
              closedAt: null,
              assessmentId: null,
            }),
          );
        if (url.startsWith('/api/assessments/due')) return new Response(JSON.stringify(dueReply));
        if (url.startsWith('/api/assessments?')) return new Response(JSON.stringify({ items: [summary], total: 1, page: 1, pageSize: 1 }));
        if (url === '/api/assessors') return new Response(JSON.stringify(assessors));
        if (url === '/api/assessments/assignments') return new Response(JSON.stringify({ assigned: 2, reassigned: 1, unchanged: 0, items: [] }));
        if (url.startsWith('/api/assessments/coverage'))
          return new Response(JSON.stringify(coverage(new URL(url, 'http://x').searchParams.get('regionCode') ?? undefined)));
        if (url === '/api/regions')
          return new Response(
            JSON.stringify({
              regions: [
                { code: '990101', name: '示范县', level: 'county', kind: 'county', parentCode: null },
                { code: '990101001', name: '城关街道', level: 'town', kind: 'street', parentCode: '990101' },
              ],
            }),
          );
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

  it('shows on the profile the level the rules read with its dates, and the LTC insurance grade beside it with its date and source', async () => {
    await show('/register/5', <ProfileCapability personId="5" />);
    const current = byTestId('cap-current')!;
    expect(byTestId('cap-level')!.textContent).toBe('重度失能');
    expect(current.textContent).toContain('2026-03-02');
    expect(current.textContent).toContain('2027-05-31');
    expect(current.textContent).toContain('2027-03-02');
    expect(byTestId('cap-expired')).toBeNull();
    expect(current.querySelector('a[href="/assessments/41"]')).toBeTruthy();
    const ltc = byTestId('cap-ltc')!;
    expect(byTestId('cap-ltc-grade')!.textContent).toBe('中度失能');
    expect(ltc.textContent).toContain('2026-01-15');
    expect(ltc.textContent).toContain('医保');
    expect(ltc.textContent).not.toContain('medical_insurance');
    // the history links each assessment; an officer creates none (assessors do) but sees the assignments
    expect(byTestId('cap-history')!.querySelector('a[href="/assessments/41"]')).toBeTruthy();
    expect(byTestId('cap-new')).toBeNull();
    expect(byTestId('cap-assignments')).toBeTruthy();
  });

  it('asks for an assessment: a change of condition needs what changed, then the request is sent', async () => {
    await show('/register/5', <ProfileCapability personId="5" />);
    await click(byTestId('cap-request'));
    // the reason defaults to a change of condition, whose note is required: nothing is sent
    await click(byTestId('request-ok'));
    expect(document.querySelectorAll('.ant-form-item-explain-error').length).toBeGreaterThan(0);
    expect(sent).toEqual([]);
    await act(async () => typeText(byTestId('request-note'), '跌倒后卧床'));
    await click(byTestId('request-ok'));
    expect(sent).toContainEqual({ url: '/api/persons/5/assessment-requests', body: { reason: 'change', note: '跌倒后卧床' } });
    // the profile is read again after the request
    expect(fetched.filter((u) => u === '/api/persons/5/capability').length).toBe(2);
  });

  it('offers a grid worker, who reads no assessments, the request alone', async () => {
    session = { ...officer, user: { ...officer.user, role: 'grid_worker' }, actions: ['register.read', 'assessments.request'] };
    await show('/register/5', <ProfileCapability personId="5" />);
    expect(byTestId('cap-request')).toBeTruthy();
    expect(byTestId('cap-current')).toBeNull();
    expect(fetched.some((u) => u.startsWith('/api/persons/5/'))).toBe(false);
    await click(byTestId('cap-request'));
    await click(byTestId('request-reason-request'));
    await click(byTestId('request-ok'));
    expect(sent).toContainEqual({ url: '/api/persons/5/assessment-requests', body: { reason: 'request', note: '' } });
  });

  it('lists who is due with the state, days overdue, last level and assessor, filters by state, and an officer assigns ticked rows', async () => {
    await show('/assessments/due', <DuePage />);
    const table = byTestId('due-table')!;
    expect(byTestId('due-state-5')!.textContent).toBe('逾期');
    expect(byTestId('due-state-6')!.textContent).toBe('即将到期');
    expect(table.textContent).toContain('59 天');
    expect(table.textContent).toContain('中度失能');
    expect(table.textContent).toContain('从未评估');
    expect(table.textContent).toContain('评估员乙');
    expect(table.textContent).toContain('未分派');
    // an officer starts no assessment
    expect(byTestId('due-start-5')).toBeNull();

    const overdue = [...byTestId('due-states')!.querySelectorAll('.ant-segmented-item')].find((x) => x.textContent === '逾期');
    await click(overdue!);
    expect(byTestId('where')!.textContent).toBe('/assessments/due?state=overdue');
    expect(fetched.some((u) => u.startsWith('/api/assessments/due?') && u.includes('state=overdue'))).toBe(true);

    const box = (i: number) => byTestId('due-table')!.querySelectorAll<HTMLInputElement>('.ant-table-row input[type="checkbox"]')[i]!;
    await click(box(0));
    await click(box(1));
    expect(byTestId('due-assign')!.textContent).toContain('2');
    await click(byTestId('due-assign'));
    await pick('due-assign-assessor', '评估员甲（城关街道）');
    // 张秀英 is assigned to 评估员乙: she is reassigned, and the dialog says so
    expect(byTestId('due-reassign-warning')!.textContent).toContain('1 人已分派给其他评估员');
    await act(async () => typeText(byTestId('due-assign-note'), '十二月上门'));
    await click(byTestId('due-assign-ok'));
    expect(sent).toContainEqual({ url: '/api/assessments/assignments', body: { personIds: [5, 6], assessorId: 9, note: '十二月上门' } });
    expect(document.body.textContent).toContain('已分派 2 人，其中改派 1 人');
  });

  it('offers an assessor to start an assessment of a due person assigned to them, and says so of the others', async () => {
    session = assessorSession;
    const mine = { ...due.items[1]!, personId: 7, assignment: { id: 4, assessor: { id: 9, name: '评估员甲' }, assignedAt: '2026-10-10T02:00:00.000Z' } };
    dueReply = { ...due, items: [...due.items, mine] };
    await show('/assessments/due?state=due_soon', <DuePage />);
    expect(byTestId('due-start-7')!.getAttribute('href')).toBe('/assessments/new?personId=7');
    // 李国强 is nobody's, 张秀英 another assessor's: not theirs to open
    expect(byTestId('due-start-6')).toBeNull();
    expect(byTestId('due-start-5')).toBeNull();
    expect(byTestId('due-table')!.textContent).toContain('未分派给您');
    expect(byTestId('due-assign')).toBeNull();
    expect(byTestId('due-table')!.querySelector('input[type="checkbox"]')).toBeNull();
    expect(fetched.some((u) => u.includes('state=due_soon'))).toBe(true);
  });

  it("shows 80+ coverage against the 100 % target with each sub-region's rate, and drills into one", async () => {
    await show('/assessments/coverage', <CoveragePage />);
    expect(byTestId('cov-older')!.textContent).toContain('50');
    expect(byTestId('cov-covered')!.textContent).toContain('31');
    const rate = byTestId('cov-rate')!.textContent;
    expect(rate).toContain('62.0%');
    expect(rate).toContain('目标 100%');
    expect(rate).toContain('尚差 19 人');
    expect(byTestId('cov-rate-990101001')!.textContent).toContain('75.0%');
    expect(byTestId('cov-rate-990101101')!.textContent).toContain('10.0%');
    expect(byTestId('cov-rate-990101102')!.textContent).toContain('—');
    // nobody aged 80 in 西山镇: nothing to drill into
    expect(byTestId('cov-drill-990101102')).toBeNull();
    await expect
      .poll(
        async () => {
          await settle();
          return byTestId('chart-coverage')?.textContent ?? '';
        },
        { timeout: 20_000 },
      )
      .toContain('"value":75');
    await click(byTestId('cov-drill-990101001'));
    expect(byTestId('where')!.textContent).toBe('/assessments/coverage?region=990101001');
    expect(fetched).toContain('/api/assessments/coverage?regionCode=990101001');
    expect(byTestId('cov-older')!.textContent).toContain('40');
    expect(byTestId('cov-rate')!.textContent).toContain('75.0%');
  });

  const figures: NonNullable<AssessmentFigures> = {
    on: '2026-11-30',
    olderAge: 80,
    target: 1,
    coverage: { code: '990101', name: '示范县', older: 50, covered: 31, rate: 0.62 },
    byRegion: coverage().children,
    overdue: 13,
    dueSoon: 4,
    requested: 2,
    toReview: 1,
    assignedToMe: null,
    toCosign: null,
  };

  it("puts the region's 80+ coverage against the target, by town, and the overdue and due-soon counts on an officer's workbench, linking to the due list", async () => {
    await show('/', <AssessmentWorkbench figures={figures} />);
    const card = byTestId('workbench-assessments')!;
    expect(byTestId('wb-asm-coverage')!.textContent).toContain('62.0%');
    expect(byTestId('wb-asm-coverage')!.textContent).toContain('31 / 50');
    expect(card.textContent).toContain('目标 100%');
    const overdue = byTestId('todo-asm-overdue')!;
    expect(overdue.getAttribute('href')).toBe('/assessments/due?state=overdue');
    expect(overdue.textContent).toContain('逾期未评估');
    expect(overdue.textContent).toContain('13');
    expect(byTestId('todo-asm-soon')!.getAttribute('href')).toBe('/assessments/due?state=due_soon');
    expect(byTestId('todo-asm-soon')!.textContent).toContain('4');
    expect(byTestId('todo-asm-review')!.textContent).toContain('1');
    // the towns with anyone aged 80 as bars (西山镇 has none)
    await expect
      .poll(
        async () => {
          await settle();
          return byTestId('chart-coverage')?.textContent ?? '';
        },
        { timeout: 20_000 },
      )
      .toContain('"value":10');
    expect(byTestId('chart-coverage')!.textContent).not.toContain('"value":0');
    // counts only: no list is read for the card
    expect(fetched.filter((u) => u.startsWith('/api/assessments'))).toEqual([]);
  });

  it('shows an assessor the due people assigned to them and the co-signatures waiting', async () => {
    session = assessorSession;
    await show('/', <AssessmentWorkbench figures={{ ...figures, toReview: null, assignedToMe: 7, toCosign: 1 }} />);
    expect(byTestId('todo-asm-myDue')!.getAttribute('href')).toBe('/assessments/due');
    expect(byTestId('todo-asm-myDue')!.textContent).toContain('7');
    expect(byTestId('todo-asm-cosign')!.getAttribute('href')).toBe('/assessments?filter=cosign');
    expect(byTestId('todo-asm-cosign')!.textContent).toContain('1');
    expect(byTestId('wb-asm-coverage')).toBeNull();
  });

  it('shows nothing to a role that reads no assessments', async () => {
    await show('/', <AssessmentWorkbench figures={null} />);
    expect(byTestId('workbench-assessments')).toBeNull();
  });
});
