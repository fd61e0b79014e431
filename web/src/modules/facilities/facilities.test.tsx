// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { shanghaiToday } from '../../shared/format';
import { LOCALE_KEY } from '../../i18n';
import { allowedNav, navIcon } from '../../nav';
import { FacilityPage } from './detail';
import { FacilityForm } from './facility-form';
import { FacilitiesPage } from './list';
import { mapOption } from './map';
import type { CheckView, FacilityDetail, FacilityView, StaffView } from './types';

/**
 * The facilities' console (issue 19): the list marks failing checks; the facility page shows each
 * check with its figures and rule in the viewer's language, the beds with their occupants, and an
 * institution's staff may record that a caregiver leaves (the roster's change is posted with the
 * end date, and the page asks for the checks again).
 */

const staffSession = {
  user: { id: 9, username: 'institution1', displayName: '养老机构工作人员', role: 'institution_staff', regionCode: '990101', regionName: '青溪县' },
  actions: ['facilities.read', 'facilities.operate', 'facilities.residents', 'register.read'],
  csrfToken: 'x',
};

const facility: FacilityView = {
  id: 3,
  name: '测试镇敬老院',
  kind: 'institution',
  ownership: 'public',
  regionCode: '990101001',
  regionName: '城关街道',
  townCode: '990101001',
  address: '城关街道敬老路 1 号',
  lat: 30.87,
  lng: 120.42,
  gcj: { lat: 30.867942, lng: 120.424624 },
  grade: '2',
  gradeText: { zh: '二级', en: 'Grade 2' },
  governmentWork: true,
  providerId: null,
  hardshipHome: true,
  active: true,
  beds: 3,
  nursingBeds: 2,
  occupied: 1,
  failing: [],
};
const staffing = (pass: boolean): CheckView => ({
  key: 'staffing',
  status: pass ? 'pass' : 'fail',
  rule: { zh: '护理人员按入住老人经评估的失能程度配备：完全失能 1:3', en: 'Care staff by assessed disablement: Fully disabled 1:3' },
  figures: pass
    ? { zh: '在住 3 人；应配护理员 1 人，实有 2 人', en: '3 residents; 1 caregivers required, 2 on the roster' }
    : { zh: '在住 3 人；应配护理员 1 人，实有 0 人', en: '3 residents; 1 caregivers required, 0 on the roster' },
  values: { required: 1 },
});
const member: StaffView = {
  id: 11,
  facilityId: 3,
  name: '护理员王秀英',
  role: 'caregiver',
  employment: 'full_time',
  fte: 1,
  certificates: [{ kind: '养老护理员', level: '四级', expiresOn: '2024-01-01', expired: true }],
  startedOn: '2024-03-01',
  endedOn: null,
  current: true,
};

let ended = false;
let lastDay: string | null = null;
const detail = (): FacilityDetail => ({
  facility: { ...facility, failing: ended ? ['staffing'] : [] },
  beds: [
    { id: 1, label: '1-1', type: 'nursing', addedOn: '2026-01-01', retiredOn: null, stayId: 5, residentName: '住养老人甲', since: '2026-01-05' },
    { id: 2, label: '1-2', type: 'nursing', addedOn: '2026-01-01', retiredOn: null, stayId: null, residentName: null, since: null },
    { id: 3, label: '2-1', type: 'ordinary', addedOn: '2026-01-01', retiredOn: null, stayId: null, residentName: null, since: null },
  ],
  checks: { facilityId: 3, on: '2026-12-01', items: [staffing(!ended)] },
});

const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};

describe('the facilities console', () => {
  const page = pageHarness();
  const show = page.show;
  const sent: { url: string; body: unknown }[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    ended = false;
    lastDay = null;
    sent.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        if (init?.method === 'POST') {
          const b = JSON.parse(String(init.body)) as { endedOn: string };
          sent.push({ url, body: b });
          lastDay = b.endedOn;
          ended = b.endedOn < shanghaiToday();
          return json({ ...member, endedOn: b.endedOn, current: !ended });
        }
        if (url === '/api/auth/me') return json(staffSession);
        if (url === '/api/facilities/3') return json(detail());
        if (url === '/api/facilities/3/staff') return json({ items: [lastDay ? { ...member, endedOn: lastDay, current: !ended } : member] });
        if (url === '/api/facilities/3/residents') return json({ items: [] });
        if (url.startsWith('/api/facilities')) return json({ items: [{ ...facility, failing: ['staffing', 'grade'] }], total: 1 });
        if (url === '/api/regions') return json({ regions: [] });
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers the facilities to those who read them, not to a volunteer', () => {
    expect(allowedNav(staffSession.actions, 'institution_staff').map((n) => n.path)).toContain('/facilities');
    expect(allowedNav(['timebank.read'], 'volunteer').map((n) => n.path)).not.toContain('/facilities');
  });

  it('gives 养老服务设施, 入住轮候, 投诉举报 and 满意度回访 each its own icon in the collapsed menu', () => {
    const paths = ['/facilities', '/admission', '/complaints', '/complaints/surveys'];
    const generic = navIcon('/no-such-entry');
    expect(paths.map(navIcon).filter((i) => i === generic)).toEqual([]);
    expect(new Set(paths.map(navIcon)).size).toBe(4);
  });

  it('marks the failing checks of each facility in the list, by name', async () => {
    await show('/facilities', '/facilities', <FacilitiesPage />);
    expect(byTestId('fac-checks-3')!.textContent).toBe('护理人员配比等级要求');
  });

  it('shows each check with its figures and rule, the beds with their occupants, and turns the check failed after a caregiver leaves', async () => {
    await show('/facilities/3', '/facilities/:id', <FacilityPage />);
    expect(byTestId('fac-check-staffing')!.getAttribute('data-status')).toBe('pass');
    expect(byTestId('fac-check-staffing-figures')!.textContent).toBe('在住 3 人；应配护理员 1 人，实有 2 人');
    expect(byTestId('fac-check-staffing')!.textContent).toContain('完全失能 1:3');
    expect(byTestId('fac-bed-1-1')!.textContent).toBe('1-1住养老人甲');
    expect(byTestId('fac-bed-1-1')!.getAttribute('data-occupied')).toBe('true');
    expect(byTestId('fac-bed-2-1')!.textContent).toBe('2-1空闲');
    // an expired certificate is marked
    expect(byTestId('fac-staff-table')!.textContent).toContain('已过期');
    await click(byTestId('fac-staff-end-11'));
    const input = byTestId('fac-staff-end-on') as HTMLInputElement;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, '2026-11-30');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(byTestId('fac-staff-end-ok'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('/api/facilities/3/staff/11');
    expect(sent[0]!.body).toMatchObject({ name: '护理员王秀英', role: 'caregiver', endedOn: '2026-11-30', fte: 1 });
    expect(byTestId('fac-check-staffing')!.getAttribute('data-status')).toBe('fail');
    expect(byTestId('fac-check-staffing-status')!.textContent).toBe('不达标');
  });

  it('records a leave on today: a success message, the row says 已办离职 with the last working day, and no second 离职', async () => {
    await show('/facilities/3', '/facilities/:id', <FacilityPage />);
    await click(byTestId('fac-staff-end-11'));
    expect(document.body.textContent).toContain('最后工作日当天仍在岗，并计入护理人员配比；次日起不再计入。');
    await click(byTestId('fac-staff-end-ok'));
    expect(sent[0]!.body).toMatchObject({ endedOn: shanghaiToday() });
    expect(document.body.textContent).toContain(`已登记 护理员王秀英 离职：最后工作日 ${shanghaiToday()}`);
    expect(byTestId('fac-staff-status-11')!.textContent).toBe(`已办离职（最后工作日 ${shanghaiToday()}）`);
    expect(byTestId('fac-staff-end-11')).toBeNull();
  });

  it('reads a decimal comma in a coordinate as a decimal point (120,3 is 120.3, never 1203)', async () => {
    await show('/facilities', '/facilities', <FacilityForm facility={null} onClose={() => undefined} />);
    const lng = byTestId('fac-form-lng') as HTMLInputElement;
    await act(async () => {
      lng.focus();
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(lng, '120,3');
      lng.dispatchEvent(new Event('input', { bubbles: true }));
      lng.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => lng.blur());
    await settle();
    expect(Number(lng.value)).toBe(120.3);
  });

  it('draws the public map with a legend by kind, few two-decimal longitude ticks and the name in the tooltip', () => {
    const pt = (id: number, kind: string, name: string, lng: number) => ({ id, kind, name, lng, lat: 30.87, beds: 10, freeBeds: 4, gradeText: null }) as never;
    const o = mapOption(
      [pt(1, 'institution', '县社会福利中心', 120.39123), pt(2, 'canteen', '东村助餐点', 120.4213)],
      (k) => k,
      () => '',
    );
    expect(o.legend.data).toEqual(['fac.kind.institution', 'fac.kind.canteen']);
    expect(o.series.map((x) => x.name)).toEqual(o.legend.data);
    expect(o.xAxis.splitNumber).toBeLessThanOrEqual(4);
    expect(o.xAxis.axisLabel.formatter(120.39123)).toBe('120.39');
    expect(o.tooltip.formatter({ data: { name: '县社会福利中心', f: pt(1, 'institution', '县社会福利中心', 120.39) } })).toContain('县社会福利中心');
  });

  it('speaks English when asked', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/facilities/3', '/facilities/:id', <FacilityPage />);
    expect(byTestId('fac-check-staffing-figures')!.textContent).toBe('3 residents; 1 caregivers required, 2 on the roster');
    expect(byTestId('fac-check-staffing-status')!.textContent).toBe('Pass');
    expect(byTestId('fac-bed-2-1')!.textContent).toBe('2-1Free');
  });
});
