// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { allowedNav } from '../../nav';
import type { ComplaintDetail, TrackReply } from './api';
import { ComplaintDetailPage } from './detail';
import { InboxPage } from './inbox';
import { PublicTrackPage } from './public-track';

/**
 * The complaints console: what the public and the complainant wrote is shown as text (a tag in it
 * is words on the screen, never an element), the tracking page shows the reply and nothing of the
 * handling, and the menu offers the inbox to those who read complaints and the calls to those who make them.
 */
const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['complaints.read', 'complaints.handle', 'complaints.survey'],
  csrfToken: 'x',
};
const MARKUP = '<img src=x onerror="window.__pwned=1"><b>粗体</b>';
const tracked: TrackReply = {
  status: 'replied',
  category: 'food',
  receivedOn: '2026-11-20',
  dueOn: '2026-12-05',
  repliedOn: '2026-11-28',
  closedOn: null,
  unit: '城关街道',
  reply: `已核实。${MARKUP}`,
};
const detail: ComplaintDetail = {
  id: 9,
  source: 'hotline',
  target: { kind: 'other', id: null, name: '某托老所', facilityKind: null },
  category: 'other',
  status: 'investigating',
  regionCode: '990101',
  regionName: '演示县',
  unitCode: '990101',
  unitName: '演示县',
  officer: null,
  receivedOn: '2026-11-01',
  dueOn: '2026-11-16',
  daysOverdue: 14,
  escalatedOn: '2026-11-17',
  substantiated: null,
  text: `来电：${MARKUP}`,
  happenedOn: null,
  contactName: null,
  contactPhoneMasked: '139****5678',
  reply: null,
  deadlineDays: 15,
  deadlineSource: { zh: '《信访工作条例》第三十二条', en: 'Regulation on Letters and Visits, art. 32' },
  steps: [{ id: 1, kind: 'escalated', at: '2026-11-17T00:00:00.000Z', by: null, note: null, detail: {} }],
  officers: [],
};
const closed: ComplaintDetail = {
  ...detail,
  id: 10,
  status: 'closed',
  daysOverdue: 0,
  substantiated: 'yes',
  reply: '已核实，已要求整改。',
  steps: [
    { id: 2, kind: 'replied', at: '2026-11-20T02:00:00.000Z', by: '城关街道工作人员', note: '已核实，已要求整改。', detail: { late: false } },
    { id: 3, kind: 'closed', at: '2026-11-21T02:00:00.000Z', by: '城关街道工作人员', note: null, detail: { substantiated: 'yes' } },
  ],
};
const inbox = (
  [
    ['城关街道日间照料中心', 'facility', 'day_care'],
    ['东园社区助餐点', 'facility', 'canteen'],
    ['桃园村社区居家养老服务站', 'facility', 'community_station'],
    ['颐康养老院', 'facility', 'institution'],
    ['如意居家养老服务中心', 'provider', null],
  ] as const
).map(([name, kind, facilityKind], i) => ({ ...detail, id: 20 + i, target: { kind, id: i + 1, name, facilityKind } }));
const REPLY = '已核实：送餐延误属实，已要求助餐点整改。';
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
function typeText(el: Element | null, value: string) {
  expect(el).toBeTruthy();
  const input = (el!.matches('input, textarea') ? el : el!.querySelector('input, textarea')) as HTMLTextAreaElement;
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('the complaints console', () => {
  const page = pageHarness();
  const show = page.show;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        if (url === '/api/auth/me') return json(officer);
        if (url === '/api/complaints/public/track') return json(tracked);
        if (url === '/api/complaints/9') return json(detail);
        if (url === '/api/complaints/10') return json(closed);
        if (url.startsWith('/api/complaints?')) return json({ items: inbox, total: inbox.length, page: 1, pageSize: 20 });
        if (url === '/api/complaints/9/reply') return json({ ...detail, status: 'replied', reply: REPLY });
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers the inbox to readers and the survey calls to callers', () => {
    expect(
      allowedNav(officer.actions, 'town_officer')
        .filter((n) => n.path.startsWith('/complaints'))
        .map((n) => n.path),
    ).toEqual(['/complaints', '/complaints/surveys']);
    expect(
      allowedNav(['complaints.survey'], 'hotline_operator')
        .filter((n) => n.path.startsWith('/complaints'))
        .map((n) => n.path),
    ).toEqual(['/complaints/surveys']);
  });

  it('shows the reply on the tracking page as text: a tag in it is words, not an element', async () => {
    await show('/complaint/track?n=TS-AAAA-BBBB-CCCC-DDDD', '/complaint/track', <PublicTrackPage />);
    await settle();
    const reply = byTestId('cp-track-reply')!;
    expect(reply.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(reply.querySelector('img, b')).toBeNull();
    expect(byTestId('cp-track-status')!.textContent).toBe('已答复');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('shows a complaint’s words as text on the officer’s page, with its days overdue and the deadline’s source', async () => {
    await show('/complaints/9', '/complaints/:id', <ComplaintDetailPage />);
    const text = byTestId('cp-detail-text')!;
    expect(text.textContent).toContain('<b>粗体</b>');
    expect(text.querySelector('img, b')).toBeNull();
    expect(byTestId('cp-overdue')!.textContent).toContain('逾期 14 天');
    expect(byTestId('cp-detail')!.textContent).toContain('《信访工作条例》第三十二条');
  });

  it('shows a closed complaint’s finding on the detail and in the timeline’s close step (zh and en)', async () => {
    await show('/complaints/10', '/complaints/:id', <ComplaintDetailPage />);
    expect(byTestId('cp-finding')!.textContent).toBe('属实');
    expect(byTestId('cp-timeline')!.textContent).toContain('办结（属实）');
    page.remount();
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/complaints/10', '/complaints/:id', <ComplaintDetailPage />);
    expect(byTestId('cp-finding')!.textContent).toBe('Substantiated');
    expect(byTestId('cp-timeline')!.textContent).toContain('Closed (Substantiated)');
  });

  it('labels each target in the inbox with its kind in words: a day-care centre, a meal point, a station are not institutions (zh and en)', async () => {
    await show('/complaints', '/complaints', <InboxPage />);
    const text = document.body.textContent!;
    for (const label of [
      '城关街道日间照料中心 (日间照料中心)',
      '东园社区助餐点 (老年助餐点)',
      '桃园村社区居家养老服务站 (社区养老服务站)',
      '颐康养老院 (养老机构)',
      '如意居家养老服务中心 (居家服务机构)',
    ])
      expect(text).toContain(label);
    page.remount();
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/complaints', '/complaints', <InboxPage />);
    for (const label of ['(Day-care centre)', '(Meal point)', '(Community care station)', '(Care institution)', '(Home-service provider)'])
      expect(document.body.textContent).toContain(label);
  });

  it('clears the reply box once the reply is sent and shows the reply sent, so it is not sent twice', async () => {
    await show('/complaints/9', '/complaints/:id', <ComplaintDetailPage />);
    expect((byTestId('cp-reply') as HTMLTextAreaElement).value).toBe('');
    typeText(byTestId('cp-reply'), REPLY);
    await settle();
    const send = byTestId('cp-send-reply') as HTMLButtonElement;
    expect(send.disabled).toBe(false);
    await act(async () => send.click());
    await settle();
    expect((byTestId('cp-reply') as HTMLTextAreaElement).value).toBe('');
    expect((byTestId('cp-send-reply') as HTMLButtonElement).disabled).toBe(true);
    expect(byTestId('cp-detail-reply')!.textContent).toBe(REPLY);
  });
});
