// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { allowedNav } from '../../nav';
import { IndicatorsPage } from './dashboard';
import { IndicatorDetailPage } from './detail';
import { IndicatorReportPage } from './report';
import { IndicatorsWorkbenchCard, keyIndicators } from './workbench';
import type { BreakdownReply, DefinitionsReply, IndicatorValue, MembersReply, ReportReply, ReportRow, SeriesReply, ShapesReply, ValuesReply } from './types';

// jsdom draws no canvas: each chart is stood in for by its series, and a button per clickable item (a bar, a map region)
vi.mock('echarts-for-react/esm/core', () => ({
  default: ({
    option,
    onEvents,
  }: {
    option: {
      series: { type: string; data: { code?: string; value: unknown }[]; markLine?: { data: unknown[] } }[];
      yAxis?: { max?: (v: { max: number }) => number };
      xAxis?: { data?: unknown[] };
    };
    onEvents?: { click: (p: unknown) => void };
  }) => (
    <div data-testid={`mock-${option.series[0]!.type}`}>
      <pre>{JSON.stringify(option.series.map((s) => ({ data: s.data, markLine: s.markLine?.data })))}</pre>
      {option.xAxis?.data && <span data-testid={`mock-x-${option.series[0]!.type}`}>{JSON.stringify(option.xAxis.data)}</span>}
      {typeof option.yAxis?.max === 'function' && <span data-testid="mock-y-max">{option.yAxis.max({ max: 75 })}</span>}
      {onEvents &&
        option.series[0]!.data.map((d) =>
          d.code ? <button key={d.code} data-testid={`pick-${option.series[0]!.type}-${d.code}`} onClick={() => onEvents.click({ data: d })} /> : null,
        )}
    </div>
  ),
}));

const text = (zh: string, en: string) => ({ zh, en });
const county = { code: '990101', name: '青溪县', level: 'county', kind: 'county' };
const town1 = { code: '990101001', name: '城关街道', level: 'town', kind: 'street' };
const town2 = { code: '990101101', name: '东湖镇', level: 'town', kind: 'town' };
const village = { code: '990101001001', name: '新华社区', level: 'village', kind: 'community' };

const value = (over: Partial<IndicatorValue>): IndicatorValue => ({
  key: 'cov80',
  seedRow: 4,
  category: text('居家社区养老', 'Home and community care'),
  name: text('80周岁及以上老年人能力评估覆盖率', 'Capability assessment coverage of elders 80+'),
  unit: 'percent',
  period: 'month',
  numerator: 45,
  denominator: 60,
  value: 75,
  target: {
    value: 100,
    comparator: 'atLeast',
    attribute: text('约束性', 'Binding'),
    source: text('如皋市“十四五”规划 表1 第4项', 'Rugao plan, table 1 row 4'),
  },
  status: 'not_met',
  drill: 'person',
  reading: text('评估：有效期内的能力评估', 'Assessed: a currently valid assessment'),
  flags: [],
  ...over,
});
const items: IndicatorValue[] = [
  value({}),
  value({
    key: 'nursingShare',
    seedRow: 6,
    category: text('机构养老', 'Institutional care'),
    name: text('护理型床位数占养老机构床位比例', 'Nursing beds in institutions'),
    numerator: 90,
    denominator: 100,
    value: 90,
    target: { value: 75, comparator: 'atLeast', attribute: text('约束性', 'Binding'), source: text('表1', 'Table 1') },
    status: 'met',
    drill: 'facility',
    flags: [{ kind: 'does_not_add_up', message: text('各镇合计 88，与县 90 不符', 'The towns sum to 88, not 90') }],
  }),
  value({
    key: 'families',
    seedRow: null,
    unit: 'count',
    name: text('家庭养老床位', 'Family care beds'),
    denominator: null,
    value: 12,
    numerator: 12,
    target: null,
    status: 'no_target',
  }),
  value({
    key: 'visits',
    seedRow: null,
    name: text('月探访率', 'Monthly visit rate'),
    numerator: 0,
    denominator: 0,
    value: null,
    status: 'no_data',
    target: null,
  }),
];
const countyValues: ValuesReply = {
  period: '2026-11',
  region: county,
  path: [county],
  children: [town1, town2],
  computedAt: '2026-11-30T01:00:00.000Z',
  items,
};
const townValues: ValuesReply = { ...countyValues, region: town1, path: [county, town1], children: [village] };
const breakdown: BreakdownReply = {
  period: '2026-11',
  indicator: items[0]!,
  region: county,
  items: [
    { region: town1, numerator: 30, denominator: 40, value: 75, status: 'not_met', flags: [] },
    {
      region: town2,
      numerator: 14,
      denominator: 19,
      value: 73.7,
      status: 'not_met',
      flags: [{ kind: 'outlier_siblings', message: text('远低于其他镇', 'Far below the other towns') }],
    },
  ],
  unallocated: { numerator: 1, denominator: 1 },
};
const series: SeriesReply = {
  key: 'cov80',
  region: county,
  points: [
    // 2026-09 was never computed
    { period: '2026-08', numerator: 36, denominator: 60, value: 60, status: 'not_met' },
    { period: '2026-10', numerator: 40, denominator: 60, value: 66.7, status: 'not_met' },
    { period: '2026-11', numerator: 45, denominator: 60, value: 75, status: 'not_met' },
  ],
};
const square = (x: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, 30],
      [x + 0.1, 30],
      [x + 0.1, 30.1],
      [x, 30.1],
      [x, 30],
    ],
  ],
});
const shapes: ShapesReply = {
  type: 'FeatureCollection',
  parent: { code: county.code, name: county.name, level: 'county' },
  features: [{ type: 'Feature', properties: { ...town1 }, geometry: square(120) }],
  missing: [{ code: town2.code, name: town2.name }],
};
const definitions: DefinitionsReply = {
  items: [
    {
      key: 'cov80',
      seedRow: 4,
      category: items[0]!.category,
      name: items[0]!.name,
      unit: 'percent',
      period: 'month',
      numerator: text('其中有有效能力评估的人数', 'Of them, those with a valid assessment'),
      denominator: text('80周岁及以上户籍老年人', 'Registered elders aged 80 or more'),
      target: items[0]!.target,
      reading: items[0]!.reading,
      sources: ['register.age80', 'assessment.valid'],
    },
  ],
  unsupported: [5, 7].map((n) => ({
    seedRow: n,
    category: text('机构养老', 'Institutional care'),
    name: text(`第${n}项`, `Row ${n}`),
    target: '2',
    attribute: text('预期性', 'Expected'),
    reason: text('平台无此数据', 'No such data'),
  })),
};
const members = (part: string, page: number): MembersReply => ({
  key: 'cov80',
  part: part as MembersReply['part'],
  period: '2026-11',
  region: county,
  total: 45,
  page,
  pageSize: 20,
  items: [
    {
      kind: 'person',
      id: 7,
      name: part === 'gap' ? '李未评' : '王评估',
      region: { code: village.code, name: village.name },
      detail: text('2026-03-02 评估，有效至 2027-03-01', 'Assessed 2026-03-02, valid to 2027-03-01'),
      inNumerator: part !== 'gap',
      idMasked: '990101************',
      sex: 'F',
      age: 84,
    },
  ],
});
const seedRow = (n: number): ReportRow => ({
  seedRow: n,
  key: n === 4 ? 'cov80' : null,
  category: n <= 5 ? text('居家社区养老', 'Home and community care') : text('机构养老', 'Institutional care'),
  name: text(`指标${n}`, `Indicator ${n}`),
  target: n === 4 ? '100' : '2',
  attribute: text('约束性', 'Binding'),
  unit: n === 4 ? 'percent' : null,
  value: n === 4 ? 75 : null,
  numerator: n === 4 ? 45 : null,
  denominator: n === 4 ? 60 : null,
  status: n === 4 ? 'not_met' : 'no_data',
  reason: n === 4 ? null : text('平台不记录该数据', 'The platform does not record it'),
});
const report: ReportReply = {
  quarter: '2026Q4',
  period: '2026-11',
  months: ['2026-10', '2026-11'],
  running: true,
  region: county,
  computedAt: '2026-11-30T01:00:00.000Z',
  rows: Array.from({ length: 19 }, (_, i) => seedRow(i + 1)),
  others: [{ ...seedRow(4), seedRow: null, key: 'visits', name: text('月探访率', 'Monthly visit rate') }],
};

const session = (role: string, regionCode: string, actions: string[]) => ({
  user: { id: 3, username: role, displayName: '测试', role, regionCode, regionName: '青溪县' },
  actions,
  csrfToken: 'x',
});
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
/** Lets the lazy chart chunk and the queries arrive: settles until `id` is on the page. */
async function waitFor(id: string) {
  for (let i = 0; i < 40 && !byTestId(id); i++) await settle();
  expect(byTestId(id), id).toBeTruthy();
  return byTestId(id)!;
}
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};

describe('the indicators console', () => {
  const page = pageHarness();
  const show = page.show;
  let calls: string[];
  let defaultPeriod = countyValues.period;
  let defaultComputedAt = countyValues.computedAt;
  let me = session('bureau_admin', county.code, ['indicators.read', 'indicators.refresh']);
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    calls = [];
    defaultPeriod = countyValues.period;
    defaultComputedAt = countyValues.computedAt;
    me = session('bureau_admin', county.code, ['indicators.read', 'indicators.refresh']);
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        calls.push(init?.method && init.method !== 'GET' ? `${init.method} ${url} ${String(init.body)}` : url);
        const u = new URL(url, 'http://x');
        if (url === '/api/auth/me') return json(me);
        if (u.pathname === '/api/indicators') {
          if (u.searchParams.get('region') === '990101102') return json({ error: { code: 'NOT_FOUND', message: '未找到地区', details: null } }, 404);
          // the month asked for, or the server's default (this month in the running-month test)
          const v = u.searchParams.get('region') === town1.code ? townValues : countyValues;
          return json({
            ...v,
            period: u.searchParams.get('period') ?? defaultPeriod,
            computedAt: u.searchParams.get('period') ? v.computedAt : defaultComputedAt,
          });
        }
        if (u.pathname === '/api/indicators/cov80/regions') return json({ ...breakdown, period: u.searchParams.get('period') ?? breakdown.period });
        if (u.pathname === '/api/indicators/cov80/series') return json(series);
        if (u.pathname === '/api/indicators/cov80/members')
          return json(members(u.searchParams.get('part') ?? 'numerator', Number(u.searchParams.get('page') ?? 1)));
        if (u.pathname === '/api/indicators/families/regions')
          return json({
            ...breakdown,
            indicator: items[2]!,
            items: [{ region: town1, numerator: 12, denominator: null, value: 12, status: 'no_target', flags: [] }],
            unallocated: null,
          });
        if (u.pathname === '/api/indicators/families/members')
          return json({ ...members('numerator', 1), key: 'families', part: u.searchParams.get('part') ?? 'numerator', total: 12 });
        if (u.pathname === '/api/indicators/definitions') return json(definitions);
        if (u.pathname === '/api/indicators/report') {
          // the server says whether the quarter asked for runs (2026Q4 in these tests) and which months it read
          const quarter = u.searchParams.get('quarter') ?? report.quarter;
          return json(quarter === '2026Q4' ? report : { ...report, quarter, period: '2026-09', months: ['2026-07', '2026-08', '2026-09'], running: false });
        }
        if (u.pathname === '/api/indicators/refresh')
          return json({ mode: 'incremental', periods: ['2026-11'], persons: 3, ms: 41.6, computedAt: '2026-11-30T02:00:00.000Z' });
        if (u.pathname === '/api/regions/shapes' && init?.method === 'PUT') return json({ stored: 1, codes: [town2.code] });
        if (u.pathname === '/api/regions/shapes') return json(shapes);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('offers the dashboard and the quarterly report to those who read indicators, and nothing to others', () => {
    expect(
      allowedNav(['indicators.read'], 'town_officer')
        .filter((n) => n.path.startsWith('/indicators'))
        .map((n) => n.path),
    ).toEqual(['/indicators', '/indicators/report']);
    expect(allowedNav(['visits.read'], 'grid_worker').filter((n) => n.path.startsWith('/indicators'))).toEqual([]);
  });

  it('lists every indicator with its value and unit, target, status in words and flags with their message (zh and en)', async () => {
    await show('/indicators', '/indicators', <IndicatorsPage />);
    expect(byTestId('ind-value-cov80')!.textContent).toContain('75%');
    expect(byTestId('ind-value-cov80')!.textContent).toContain('45 / 60');
    expect(byTestId('ind-value-families')!.textContent).toBe('12');
    expect(byTestId('ind-value-visits')!.textContent).toBe('—0 / 0');
    expect(byTestId('ind-status-cov80')!.textContent).toBe('未达标');
    expect(byTestId('ind-status-nursingShare')!.textContent).toBe('达标');
    expect(byTestId('ind-status-families')!.textContent).toBe('无目标');
    expect(byTestId('ind-status-visits')!.textContent).toBe('无数据');
    expect(byTestId('ind-table')!.textContent).toContain('≥ 100%');
    const flag = byTestId('ind-flags-nursingShare')!.querySelector('[data-flag="does_not_add_up"]')!;
    expect(flag.textContent).toBe('下级合计不符');
    // a tap shows the flag's message (a phone has no hover)
    await click(flag);
    expect(document.body.textContent).toContain('各镇合计 88，与县 90 不符');
    expect(byTestId('ind-breadcrumb')!.textContent).toBe('青溪县');
    page.remount();
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/indicators', '/indicators', <IndicatorsPage />);
    expect(byTestId('ind-status-cov80')!.textContent).toBe('Not met');
    expect(byTestId('ind-flags-nursingShare')!.textContent).toBe('Sub-regions do not add up');
    expect(byTestId('ind-link-cov80')!.textContent).toContain('Capability assessment coverage of elders 80+');
  });

  it('on a phone puts status and flags under the name and the target under the value; a desktop gives each its column; the unlisted seed rows are named', async () => {
    // jsdom's matchMedia answers no to every width: the phone layout
    await show('/indicators', '/indicators', <IndicatorsPage />);
    const row = byTestId('ind-row-cov80')!;
    expect(row.querySelectorAll('td')).toHaveLength(2);
    expect(row.querySelector('td')!.textContent).toContain('未达标');
    expect(byTestId('ind-target-cov80')!.textContent).toBe('目标值 ≥ 100%');
    expect(byTestId('ind-unsupported')!.textContent).toBe('规划指标表第5、7项平台没有相应数据，未列入本表；原因见季度报告。');
    const media = window.matchMedia;
    Object.defineProperty(window, 'matchMedia', {
      writable: true,
      configurable: true,
      value: (query: string) => ({ ...media(query), matches: true }),
    });
    try {
      page.remount();
      await show('/indicators', '/indicators', <IndicatorsPage />);
      expect(byTestId('ind-row-cov80')!.querySelectorAll('td').length).toBeGreaterThanOrEqual(5);
      expect(byTestId('ind-target-cov80')).toBeNull();
    } finally {
      Object.defineProperty(window, 'matchMedia', { writable: true, configurable: true, value: media });
    }
  });

  it('draws the selected indicator across the children coloured by status with the target line, its months and the map; a click drills down', async () => {
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    await waitFor('mock-map');
    const bar = (await waitFor('mock-bar')).textContent!;
    expect(bar).toContain('"code":"990101001"');
    expect(bar).toContain('#cf1322'); // not met: red
    expect(bar).toContain('{"xAxis":100}'); // the target
    expect((await waitFor('mock-line')).textContent).toContain('{"yAxis":100}');
    expect(byTestId('mock-line')!.textContent).toContain('66.7');
    // the axis reaches the target even when the months stay below it
    expect(byTestId('mock-y-max')!.textContent).toBe('100');
    expect(calls).toContain('/api/indicators/cov80/series?region=990101&to=2026-11&months=12');
    // the map: the regions with an outline, by code; the one without one is named
    expect(byTestId('mock-map')!.textContent).toContain('"name":"990101001"');
    expect(byTestId('ind-selected')!.textContent).toContain('1 个下级地区没有边界：东湖镇');
    // the unallocated remainder is its own line
    expect(byTestId('ind-unallocated')).toBeTruthy();
    // the sub-regions' table keeps to three columns, a child's fraction and flags under its value (no 提示 column cut off at 1024 px)
    const children = byTestId('ind-children')!;
    expect([...children.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['地区', '本期值', '达标情况']);
    const town2Value = byTestId(`ind-child-value-${town2.code}`)!;
    expect(town2Value.textContent).toContain('73.7%');
    expect(town2Value.textContent).toContain('14 / 19');
    expect(town2Value.querySelector('[data-flag="outlier_siblings"]')!.textContent).toBe('异常值');
    // clicking a region on the map goes down to it: the breadcrumb now ends at the town
    await click(await waitFor('pick-map-990101001'));
    expect(calls).toContain('/api/indicators?period=2026-11&region=990101001');
    expect(byTestId('ind-breadcrumb')!.textContent).toBe('青溪县/城关街道');
    // and its top goes back up
    await click(byTestId('ind-crumb-990101'));
    expect(calls.filter((c) => c === '/api/indicators?period=2026-11&region=990101').length).toBe(1);
    await click(await waitFor('pick-bar-990101001'));
    expect(byTestId('ind-breadcrumb')!.textContent).toBe('青溪县/城关街道');
  });

  it('names the sub-regions without an outline in English in the singular for one', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    await waitFor('mock-map');
    expect(byTestId('ind-selected')!.textContent).toContain('1 sub-region has no outline: 东湖镇');
    expect(byTestId('ind-selected')!.textContent).not.toContain('sub-regions have');
  });

  it('draws the trend over every month of the window, a month not computed left empty (no line across it) and said so', async () => {
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    const line = await waitFor('mock-line');
    const months = JSON.parse(byTestId('mock-x-line')!.textContent!) as string[];
    expect(months).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    const data = (JSON.parse(line.querySelector('pre')!.textContent!) as { data: ({ value: number } | null)[] }[])[0]!.data;
    expect(data.length).toBe(12);
    expect(data.slice(0, 8)).toEqual(Array(8).fill(null));
    expect(data[8]!.value).toBe(60);
    expect(data[9]).toBeNull(); // the gap: no line drawn from August to October
    expect(data[10]!.value).toBe(66.7);
    expect(data[11]!.value).toBe(75);
    expect(byTestId('ind-series-note')!.textContent).toContain('未计算的月份留空');
    page.remount();
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    await waitFor('mock-line');
    expect(byTestId('ind-series-note')!.textContent).toContain('Months not computed are left blank');
  });

  it('says when a month shown is the running one and to which day, with last month one click away (zh and en)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T02:00:00Z')); // 10:00 on 1 December in Shanghai
    defaultPeriod = '2026-12';
    defaultComputedAt = '2026-12-01T01:00:00.000Z';
    await show('/indicators', '/indicators', <IndicatorsPage />);
    expect((await waitFor('ind-running')).textContent).toBe('本月截至 12月1日');
    expect(calls).toContain('/api/indicators');
    // the trend says which of its months is still running
    await waitFor('mock-line');
    expect(byTestId('mock-x-line')!.textContent).toContain('2026-12');
    expect(byTestId('ind-series-note')!.textContent).toContain('本月截至 12月1日');
    // 上月: November, a closed month, not marked
    expect(byTestId('ind-prev-month')!.textContent).toContain('上月');
    await click(byTestId('ind-prev-month'));
    expect(calls).toContain('/api/indicators?period=2026-11');
    for (let i = 0; i < 20 && byTestId('ind-running'); i++) await settle();
    expect(byTestId('ind-running')).toBeNull();
    // the workbench names the running month too
    page.remount();
    await show('/', '/', <IndicatorsWorkbenchCard />);
    expect((await waitFor('wb-indicators')).textContent).toContain('本月截至 12月1日');
    // and the drill-down of the running month
    page.remount();
    await show('/indicators/cov80?period=2026-12&region=990101', '/indicators/:key', <IndicatorDetailPage />);
    expect((await waitFor('ind-detail-running')).textContent).toBe('本月截至 12月1日');
    page.remount();
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/indicators', '/indicators', <IndicatorsPage />);
    expect((await waitFor('ind-running')).textContent).toBe('This month to 1 Dec');
    expect(byTestId('ind-prev-month')!.textContent).toContain('Previous month');
  });

  it('lets the bureau upload its own outlines as GeoJSON (sent as they are, the map fetched again); a town officer has no such button', async () => {
    me = session('bureau_admin', county.code, ['indicators.read', 'regions.shapes']);
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    await waitFor('mock-map');
    const geojson = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: town2.code }, geometry: square(120.2) }] };
    const input = (await waitFor('ind-selected')).querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File([JSON.stringify(geojson)], 'towns.geojson', { type: 'application/geo+json' });
    Object.defineProperty(input, 'files', { value: [file] });
    const before = calls.filter((c) => c.startsWith('/api/regions/shapes')).length;
    await act(async () => input.dispatchEvent(new Event('change', { bubbles: true })));
    for (let i = 0; i < 20 && !document.body.textContent!.includes('已保存 1 个地区的边界'); i++) await settle();
    expect(calls).toContain(`PUT /api/regions/shapes ${JSON.stringify(geojson)}`);
    expect(document.body.textContent).toContain('已保存 1 个地区的边界');
    expect(calls.filter((c) => c.startsWith('/api/regions/shapes')).length).toBe(before + 1);
    page.remount();
    me = session('town_officer', town1.code, ['indicators.read']);
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    await waitFor('mock-map');
    expect(byTestId('ind-shapes-upload')).toBeNull();
  });

  it('recomputes the month for the bureau and fetches the figures again; a town officer has no such button', async () => {
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    const before = calls.filter((c) => c.startsWith('/api/indicators?')).length;
    await click(await waitFor('ind-refresh'));
    for (let i = 0; i < 20 && !document.body.textContent!.includes('已重新计算'); i++) await settle();
    expect(calls).toContain('POST /api/indicators/refresh {"period":"2026-11"}');
    expect(document.body.textContent).toContain('已重新计算 2026-11（增量，42 毫秒）');
    expect(calls.filter((c) => c.startsWith('/api/indicators?')).length).toBe(before + 1);
    page.remount();
    me = session('town_officer', town1.code, ['indicators.read']);
    await show('/indicators?period=2026-11', '/indicators', <IndicatorsPage />);
    await waitFor('ind-table');
    expect(byTestId('ind-refresh')).toBeNull();
  });

  it('shows not found for a region outside the viewer’s area, with a way back', async () => {
    await show('/indicators?region=990101102', '/indicators', <IndicatorsPage />);
    expect((await waitFor('ind-error')).textContent).toContain('未找到该地区或指标');
    expect(byTestId('ind-error')!.textContent).toContain('未找到该地区或指标');
    expect(byTestId('ind-error')!.textContent).toContain('未找到地区');
  });

  it('explains the indicator in words and lists the people behind it, masked, a tab each for numerator, denominator and gap', async () => {
    await show('/indicators/cov80?period=2026-11&region=990101', '/indicators/:key', <IndicatorDetailPage />);
    expect(byTestId('ind-detail-value')!.textContent).toBe('75%');
    expect(byTestId('ind-definition')!.textContent).toContain('其中有有效能力评估的人数');
    expect(byTestId('ind-definition')!.textContent).toContain('80周岁及以上户籍老年人');
    expect(byTestId('ind-definition')!.textContent).toContain('如皋市“十四五”规划 表1 第4项');
    expect(byTestId('ind-def-reading')!.textContent).toBe('评估：有效期内的能力评估');
    expect(byTestId('ind-children')!.textContent).toContain('城关街道');
    expect(byTestId('ind-unallocated')!.textContent).toBe('未落到下级地区（直属本级）');
    const table = byTestId('ind-members-table')!;
    expect(table.textContent).toContain('王评估');
    expect(table.textContent).toContain('990101************');
    expect(table.textContent).toContain('女');
    expect(table.textContent).toContain('84');
    expect(table.textContent).toContain('共 45 条');
    expect(calls).toContain('/api/indicators/cov80/members?period=2026-11&region=990101&part=numerator&page=1&pageSize=20');
    await click(byTestId('ind-part-gap'));
    expect(calls).toContain('/api/indicators/cov80/members?period=2026-11&region=990101&part=gap&page=1&pageSize=20');
    expect(byTestId('ind-members-table')!.textContent).toContain('李未评');
    // the next page
    await click(document.body.querySelector('.ant-pagination-next button'));
    expect(calls).toContain('/api/indicators/cov80/members?period=2026-11&region=990101&part=gap&page=2&pageSize=20');
  });

  it('lists only what a count indicator has: the things counted, no denominator or gap tab', async () => {
    await show('/indicators/families?period=2026-11&region=990101', '/indicators/:key', <IndicatorDetailPage />);
    await waitFor('ind-members-table');
    expect(byTestId('ind-members-table')!.textContent).toContain('王评估');
    expect(byTestId('ind-part-numerator')).toBeNull();
    expect(byTestId('ind-part-denominator')).toBeNull();
    expect(byTestId('ind-part-gap')).toBeNull();
    expect(calls).toContain('/api/indicators/families/members?period=2026-11&region=990101&part=numerator&page=1&pageSize=20');
    // an address asking for the gap still lists the counted things
    page.remount();
    calls = [];
    await show('/indicators/families?period=2026-11&region=990101&part=gap', '/indicators/:key', <IndicatorDetailPage />);
    await waitFor('ind-members-table');
    expect(calls.filter((c) => c.includes('/members'))).toEqual([
      '/api/indicators/families/members?period=2026-11&region=990101&part=numerator&page=1&pageSize=20',
    ]);
  });

  it('prints the quarterly report in the seed table’s layout: 19 rows, the unsupported with their reason, the others below', async () => {
    const print = vi.fn();
    vi.stubGlobal('print', print);
    await show('/indicators/report?quarter=2026Q4&region=990101', '/indicators/report', <IndicatorReportPage />);
    expect(byTestId('ind-report-title')!.textContent).toBe('青溪县养老服务主要发展指标（2026年第4季度）');
    expect(byTestId('ind-report-asof')!.textContent).toContain('统计月份 2026-10 – 2026-11');
    const seed = byTestId('ind-report-seed')!;
    expect([...seed.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      '分类',
      '序号',
      '指标',
      '2025年目标值',
      '指标属性',
      '本期值',
      '达标情况',
    ]);
    expect(seed.querySelectorAll('tbody tr').length).toBe(19);
    // the category spans its rows: 5 rows of the first, 14 of the second here
    expect([...seed.querySelectorAll('td[rowspan]')].map((td) => td.getAttribute('rowspan'))).toEqual(['5', '14']);
    expect(seed.querySelectorAll('[data-testid="ind-report-reason"]').length).toBe(18);
    expect(seed.textContent).toContain('无法计算：平台不记录该数据');
    expect(seed.querySelector('tr[data-key="cov80"]')!.textContent).toContain('75%');
    expect(seed.querySelector('tr[data-key="cov80"]')!.textContent).toContain('未达标');
    expect(byTestId('ind-report-others')!.querySelectorAll('tbody tr').length).toBe(1);
    // the others' targets are the jurisdiction's settings, not the plan's 2025 figures
    expect([...byTestId('ind-report-others')!.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      '分类',
      '序号',
      '指标',
      '目标值',
      '指标属性',
      '本期值',
      '达标情况',
    ]);
    // the print CSS hides the menu and the buttons and keeps a row whole
    const css = document.body.querySelector('style')!.textContent!;
    expect(css).toContain('@page { size: A4');
    expect(css).toMatch(/\.ind-noprint[^}]*display: none/);
    expect(css).toContain('page-break-inside: avoid');
    await click(byTestId('ind-print'));
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('opens the report at the last completed quarter, marks the running one, and numbers the other indicators', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T02:00:00Z')); // 1 December: 2026Q4 is running, 2026Q3 the last completed
    await show('/indicators/report?region=990101', '/indicators/report', <IndicatorReportPage />);
    await waitFor('ind-report');
    expect(calls).toContain('/api/indicators/report?quarter=2026Q3&region=990101');
    expect(byTestId('ind-report-quarter')!.textContent).toBe('2026年第3季度');
    expect(byTestId('ind-report-running')).toBeNull();
    // the others numbered 1, 2, ... in their own 序号 column
    const others = byTestId('ind-report-others')!;
    expect([...others.querySelectorAll('tbody tr')].map((tr) => tr.querySelectorAll('td')[1]!.textContent)).toEqual(['1']);
    // the running quarter can be chosen, and says it is running
    await act(async () => {
      const sel = byTestId('ind-report-quarter')!.querySelector('.ant-select-selector')!;
      sel.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    await settle();
    const option = [...document.body.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent!.startsWith('2026年第4季度'));
    expect(option!.textContent).toBe('2026年第4季度（进行中）');
    await click(option!);
    expect(calls).toContain('/api/indicators/report?quarter=2026Q4&region=990101');
    expect((await waitFor('ind-report-running')).textContent).toBe('本季度尚未结束：数据截至 11月30日');
    // the dashboard of the running month links to the report's default, the last completed quarter
    page.remount();
    defaultPeriod = '2026-12';
    await show('/indicators', '/indicators', <IndicatorsPage />);
    expect((await waitFor('ind-report-link')).getAttribute('href')).toBe('/indicators/report?region=990101');
    page.remount();
    await show('/indicators?period=2026-08', '/indicators', <IndicatorsPage />);
    await waitFor('ind-table');
    expect(byTestId('ind-report-link')!.getAttribute('href')).toBe('/indicators/report?quarter=2026Q3&region=990101');
  });

  it('shows four to six key indicators on the bureau’s workbench with status and a link; not for roles without the action', async () => {
    expect(keyIndicators(items).map((i) => i.key)).toEqual(['cov80', 'nursingShare', 'families', 'visits']);
    // the named key indicators first, whatever their place in the list
    const named = [...items, value({ key: 'visitRate', seedRow: null }), value({ key: 'assessed80', seedRow: 4 })];
    expect(keyIndicators(named).map((i) => i.key)).toEqual(['assessed80', 'visitRate', 'cov80', 'nursingShare', 'families', 'visits']);
    await show('/', '/', <IndicatorsWorkbenchCard />);
    const card = byTestId('wb-indicators')!;
    expect(card.textContent).toContain('养老服务指标（2026-11）');
    expect(byTestId('wb-ind-cov80')!.getAttribute('href')).toBe('/indicators/cov80?period=2026-11&region=990101');
    expect(byTestId('wb-ind-cov80')!.textContent).toContain('未达标');
    expect(byTestId('wb-indicators-all')!.getAttribute('href')).toBe('/indicators');
    page.remount();
    me = session('grid_worker', village.code, ['visits.read']);
    await show('/', '/', <IndicatorsWorkbenchCard />);
    expect(byTestId('wb-indicators')).toBeNull();
  });
});
