// @vitest-environment jsdom
import { act } from 'react';
import { useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { FacilityMapPage } from '../facilities/map';
import { CataloguePage } from './catalogue';
import { FacilityPublicPage } from './facility';
import { PortalPage, telHref } from './home';
import type { FacilityPageReply, PortalReply, ServicesReply } from './types';

/**
 * The public pages (issue 20, R12): the portal's buttons and the hotline's tel: link from the
 * setting, the catalogue filtered by how an item is obtained, a facility's beds by type and its
 * credit grade (or "not rated").
 */
const w = (zh: string, en: string) => ({ zh, en });
const portal: PortalReply = {
  jurisdiction: { code: '990101', name: '青溪县' },
  places: [],
  hotline: '0513-68812349',
  hotlineLabel: w('为老服务热线', 'Elder-service hotline'),
  hours: w('24小时', 'Day and night'),
  apply: [w('第一步', 'Step one')],
  window: w('镇便民服务中心', 'The town service centre'),
  consent: w('我同意', 'I agree'),
  links: [],
};
const item = (id: string, automatic: boolean): ServicesReply['items'][number] => ({
  id,
  no: id,
  name: `服务${id}`,
  what: '内容',
  group: '老年人',
  who: w('年满80周岁', 'aged 80 or more'),
  amount: automatic ? w('现为60元/月', 'now 60 yuan a month') : null,
  kind: automatic ? 'cash_monthly' : 'service',
  types: ['物质帮助'],
  automatic,
  ask: w('区民政局', 'District civil affairs'),
});
const services: ServicesReply = {
  title: '清单',
  effective: '2023-10-31',
  period: '2026-12',
  county: '青溪县',
  partial: false,
  items: [item('a', true), item('b', false), item('c', false)],
};
const facility = (rating: FacilityPageReply['rating']): FacilityPageReply => ({
  facility: {
    id: 7,
    name: '东城护理院',
    kind: 'institution',
    ownership: 'public',
    grade: '4',
    gradeText: w('四级', 'Grade 4'),
    townCode: '990101001',
    townName: '城关街道',
    address: '东城路 8 号',
    beds: 6,
    freeBeds: 2,
    byType: [
      { type: 'ordinary', beds: 2, free: 0 },
      { type: 'nursing', beds: 4, free: 2 },
    ],
    lat: null,
    lng: null,
  },
  inspections: [],
  rating,
});
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);

describe('the public pages', () => {
  const page = pageHarness();
  let answer: FacilityPageReply = facility(null);
  let mapAsked: string[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    mapAsked = [];
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        if (url === '/api/public/portal') return json(portal);
        if (url === '/api/public/services') return json(services);
        // one county: no place to ask for
        if (url === '/api/public/places') return json({ items: [] });
        if (url === '/api/public/facilities/7') return json(answer);
        if (url.startsWith('/api/facilities/public/map')) {
          mapAsked.push(url);
          return json({ items: [answer.facility], towns: [{ code: '990101001', name: '城关街道' }] });
        }
        return json({ error: { code: 'UNAUTHENTICATED', message: '请先登录', details: null } }, 401);
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it('dials the hotline by its digits', () => {
    expect(telHref('0513-68812349')).toBe('tel:051368812349');
    expect(telHref('12349')).toBe('tel:12349');
  });

  it('offers the big buttons and the jurisdiction’s hotline on the portal', async () => {
    await page.show('/public', '/public', <PortalPage />);
    expect(document.querySelector('h1')!.textContent).toBe('青溪县养老服务');
    expect(byTestId('pub-btn-services')!.getAttribute('href')).toBe('/public/catalogue');
    expect(byTestId('pub-btn-facilities')!.getAttribute('href')).toBe('/facility-map');
    expect(byTestId('pub-btn-self-check')!.getAttribute('href')).toBe('/self-check');
    expect(byTestId('pub-btn-complaint')!.getAttribute('href')).toBe('/complaint');
    expect(byTestId('pub-btn-call')!.getAttribute('href')).toBe('tel:051368812349');
    expect(byTestId('pub-btn-call')!.textContent).toBe('打电话 0513-68812349');
    expect(byTestId('pub-hours')!.textContent).toBe('24小时');
  });

  it('filters the catalogue by how an item is obtained', async () => {
    await page.show('/public/catalogue', '/public/catalogue', <CataloguePage />);
    expect(byTestId('pub-cat-count')!.textContent).toBe('共 3 项');
    await act(async () => (byTestId('pub-cat-auto') as HTMLButtonElement).click());
    expect(byTestId('pub-cat-count')!.textContent).toBe('共 1 项');
    expect(byTestId('pub-item-a')!.textContent).toContain('现为60元/月');
    expect(byTestId('pub-item-b')).toBeNull();
    await act(async () => (byTestId('pub-cat-apply') as HTMLButtonElement).click());
    expect(byTestId('pub-cat-count')!.textContent).toBe('共 2 项');
    expect(byTestId('pub-cat-apply')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('shows a facility’s beds by type and its grade, or that it is not rated yet', async () => {
    answer = facility(null);
    await page.show('/public/facilities/7', '/public/facilities/:id', <FacilityPublicPage />);
    expect(byTestId('pub-fac-beds')!.textContent).toContain('护理型床位42');
    expect(byTestId('pub-fac-rating')!.textContent).toBe('尚未评定');
    page.remount();
    answer = facility({ grade: 'B', computedOn: '2026-11-30' });
    await page.show('/public/facilities/7', '/public/facilities/:id', <FacilityPublicPage />);
    expect(byTestId('pub-fac-rating')!.textContent).toBe('B 级（2026-11-30 评定）');
  });

  it('tells how to get in: the steps, the queue for a public home, and the hotline to call', async () => {
    answer = facility(null);
    await page.show('/public/facilities/7', '/public/facilities/:id', <FacilityPublicPage />);
    expect(byTestId('pub-fac-apply')!.getAttribute('href')).toBe('/public/apply');
    expect(byTestId('pub-fac-queue')!.textContent).toContain('轮候');
    expect(byTestId('pub-fac-queue-track')!.getAttribute('href')).toBe('/admission/track');
    expect(byTestId('pub-fac-call')!.getAttribute('href')).toBe('tel:051368812349');
    expect(byTestId('pub-fac-call')!.textContent).toBe('打电话问 0513-68812349');
    // a private home takes people directly: no queue
    page.remount();
    answer = { ...facility(null), facility: { ...facility(null).facility, ownership: 'private' } };
    await page.show('/public/facilities/7', '/public/facilities/:id', <FacilityPublicPage />);
    expect(byTestId('pub-fac-apply')).not.toBeNull();
    expect(byTestId('pub-fac-queue')).toBeNull();
  });

  it('says of an inspection with a deadline whether it was rectified, is being rectified or is overdue', async () => {
    const result = (id: number, rectification: FacilityPageReply['inspections'][number]['rectification'], followedUpOn: string | null = null) => ({
      inspectionId: id,
      roundId: null,
      targetName: '东城护理院',
      checklistLabel: w('综合检查', 'Comprehensive'),
      inspectedOn: '2026-11-01',
      signedOffAt: '2026-11-02T00:00:00Z',
      passed: 10,
      failed: [{ label: w('安全出口畅通', 'Exits open'), severity: 'serious' as const }],
      findings: null,
      rectificationDue: rectification ? '2026-11-08' : null,
      followedUpOn,
      rectification,
    });
    answer = { ...facility(null), inspections: [result(1, 'rectified', '2026-11-06'), result(2, 'rectifying'), result(3, 'overdue'), result(4, null)] };
    await page.show('/public/facilities/7', '/public/facilities/:id', <FacilityPublicPage />);
    const states = [...document.querySelectorAll('[data-testid="pub-fac-rectification"]')].map((e) => e.textContent);
    expect(states).toEqual(['限期整改至 2026-11-08 · 已于 2026-11-06 整改', '限期整改至 2026-11-08 · 整改中', '限期整改至 2026-11-08 · 逾期未整改']);
  });

  it('says counts of one in the singular in English', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await page.show('/public/catalogue', '/public/catalogue', <CataloguePage />);
    expect(byTestId('pub-cat-count')!.textContent).toBe('3 services');
    await act(async () => (byTestId('pub-cat-auto') as HTMLButtonElement).click());
    expect(byTestId('pub-cat-count')!.textContent).toBe('1 service');
    page.remount();
    answer = { ...facility(null), facility: { ...facility(null).facility, beds: 1, freeBeds: 1 } };
    await page.show('/facility-map', '/facility-map', <FacilityMapPage />);
    expect(byTestId('fac-map-count')!.textContent).toBe('1 place');
    expect(byTestId('fac-map-item-7')!.textContent).toContain('1 bed, 1 free');
  });

  it('keeps the map’s filters in the address: restored on load, and a cleared one leaves it', async () => {
    answer = facility(null);
    await page.show(
      '/facility-map?kind=institution&grade=4&freeBed=nursing&town=990101001',
      '/facility-map',
      <>
        <FacilityMapPage />
        <Where />
      </>,
    );
    // the list asked with every filter of the address
    const asked = new URLSearchParams(mapAsked.find((u) => u.includes('kind='))!.split('?')[1]);
    expect(Object.fromEntries(asked)).toEqual({ kind: 'institution', grade: '4', freeBed: 'nursing', town: '990101001' });
    // and the selects show them
    expect(byTestId('fac-map-kind')!.textContent).toContain('养老机构');
    expect(byTestId('fac-map-town')!.textContent).toContain('城关街道');
    // clearing the kind takes it out of the address, the others stay
    const clear = byTestId('fac-map-kind')!.querySelector('.ant-select-clear')!;
    await act(async () => {
      clear.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      clear.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      clear.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    const where = new URL(byTestId('where')!.textContent!, 'http://x');
    expect(where.pathname).toBe('/facility-map');
    expect(Object.fromEntries(where.searchParams)).toEqual({ grade: '4', freeBed: 'nursing', town: '990101001' });
  });
});

/** The address the page is at, as the router has it. */
function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}
