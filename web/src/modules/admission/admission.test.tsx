// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { useI18n } from '../../shared/i18n-core';
import { personOption, QueuePage } from './queue';
import { TrackPage } from './track';
import type { ApplicationView, QueueReply, TrackReply } from './types';

/**
 * The admission console (issue 19): the queue in order with tier, preference and the latest change;
 * a bed offered only to the first waiting applicant, by those who may offer; the public look-up
 * showing the place, the rule and the reasons, and the server's plain not-found.
 */
const staff = {
  user: { id: 5, username: 'institution1', displayName: '养老机构工作人员', role: 'institution_staff', regionCode: '990101', regionName: '青溪县' },
  actions: ['admission.read', 'admission.offer'],
  csrfToken: 'x',
};
const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['admission.read', 'admission.apply', 'admission.refresh', 'register.read'],
  csrfToken: 'x',
};
const words = (zh: string, en: string) => ({ zh, en });
const app = (over: Partial<ApplicationView>): ApplicationView => ({
  id: 1,
  personId: 11,
  name: '郑秀兰',
  idMasked: '990101**********21',
  age: 76,
  facilityId: 3,
  facilityName: '县社会福利中心',
  bedType: 'ordinary',
  appliedOn: '2026-11-01',
  queueOn: '2026-11-01',
  status: 'waiting',
  position: 1,
  tier: 1,
  tierLabel: words('特困人员', 'Extreme poverty (tekun)'),
  preferred: false,
  declines: 0,
  lastChange: {
    at: '2026-11-01T02:00:00.000Z',
    zh: '申请已进入轮候（特困人员），排在第1位',
    en: 'The application joined the queue (Extreme poverty (tekun)) at place 1',
  },
  offer: null,
  ...over,
});
const queue: QueueReply = {
  facility: { id: 3, name: '县社会福利中心' },
  bedType: 'ordinary',
  freeBeds: [{ id: 40, label: 'A-101' }],
  rules: {
    tiers: [{ tier: 1, label: words('特困人员', 'Extreme poverty (tekun)'), rule: words('救助类别为特困', 'hardship is tekun') }],
    preference: words('现役军人家属和烈士遗属', "Soldiers' families and martyrs' survivors"),
    preferencePassesEarlier: true,
    groupsOrdered: true,
    hardshipQualifies: 'first_group',
    onDecline: 'back',
  },
  items: [
    app({}),
    app({
      id: 2,
      personId: 12,
      name: '周桂香',
      position: 2,
      tier: 3,
      tierLabel: words('80周岁以上高龄老年人', 'Aged 80 or over'),
      preferred: true,
      lastChange: {
        at: '2026-11-02T02:00:00.000Z',
        zh: '一位更高优先级的申请人加入，您后移1位',
        en: 'An applicant of a higher priority joined; you move back 1 place',
      },
    }),
  ],
  total: 2,
  page: 1,
  pageSize: 100,
};
const tracked: TrackReply = {
  maskedName: '周**',
  facilityName: '县社会福利中心',
  bedType: 'ordinary',
  appliedOn: '2026-10-01',
  status: 'waiting',
  position: 2,
  why: {
    tier: 3,
    tierLabel: words('80周岁以上高龄老年人', 'Aged 80 or over'),
    rule: words('年满80周岁', 'aged 80 or over'),
    held: [words('年满80周岁', 'aged 80 or over')],
    preferred: null,
    queueOn: '2026-10-01',
  },
  history: [
    {
      at: '2026-10-01T02:00:00.000Z',
      from: null,
      to: 1,
      cause: 'joined',
      reason: words('申请已进入轮候（80周岁以上高龄老年人），排在第1位', 'joined at place 1'),
    },
    {
      at: '2026-11-01T02:00:00.000Z',
      from: 1,
      to: 2,
      cause: 'arrived',
      reason: words('一位更高优先级的申请人加入，您后移1位', 'An applicant of a higher priority joined; you move back 1 place'),
    },
  ],
};

describe('admission console', () => {
  const page = pageHarness();
  const show = page.show;
  let session: typeof staff = staff;
  let current: QueueReply = queue;
  const sent: { url: string; body: unknown }[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = staff;
    current = queue;
    sent.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        if (init?.method === 'POST') {
          const body = JSON.parse(String(init.body)) as { code?: string };
          sent.push({ url, body });
          if (url === '/api/admission/public/track') {
            return body.code === 'GOOD'
              ? json(tracked)
              : json({ error: { code: 'ADMISSION_CODE_NOT_FOUND', message: '未找到该查询码对应的轮候申请，请核对回执上的查询码', details: null } }, 404);
          }
          if (url.startsWith('/api/admission/applications/')) return json({});
          return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
        }
        if (url === '/api/auth/me') return json(session);
        if (url === '/api/admission/facilities')
          return json({
            items: [
              {
                id: 3,
                name: '县社会福利中心',
                ownership: 'public',
                regionCode: '990101',
                beds: 100,
                nursingBeds: 80,
                occupied: 99,
                waiting: { ordinary: 2, nursing: 0, dementia: 0 },
              },
            ],
          });
        if (url.startsWith('/api/admission/queue?')) return json(current);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  const rows = () => [...page.container.querySelectorAll('[data-testid="adm-row"]')].map((r) => r.textContent ?? '');

  it('lists the queue in order with tier, preference and the latest change; only the first waiting is offered the free bed', async () => {
    await show('/admission', '/admission', <QueuePage />);
    await settle();
    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toContain('郑秀兰');
    expect(rows()[0]).toContain('第1级');
    expect(rows()[1]).toContain('同等条件下优先');
    expect(rows()[1]).toContain('一位更高优先级的申请人加入，您后移1位');
    const offers = page.container.querySelectorAll('[data-testid="adm-offer"]');
    expect(offers).toHaveLength(1);
    expect(page.container.querySelector('[data-testid="adm-row"] [data-testid="adm-offer"]')).not.toBeNull();
    // institution staff neither take nor withdraw applications
    expect(page.container.querySelector('[data-testid="adm-add"]')).toBeNull();
    expect(page.container.querySelector('[data-testid="adm-withdraw"]')).toBeNull();
  });

  it('lets a town officer take and withdraw applications but not offer beds', async () => {
    session = officer;
    await show('/admission', '/admission', <QueuePage />);
    await settle();
    expect(page.container.querySelector('[data-testid="adm-add"]')).not.toBeNull();
    expect(page.container.querySelectorAll('[data-testid="adm-withdraw"]')).toHaveLength(2);
    expect(page.container.querySelector('[data-testid="adm-offer"]')).toBeNull();
  });

  it('the public look-up shows the place and the reasons, in English too; a wrong code shows the server’s words', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/admission/track', '/admission/track', <TrackPage />);
    const input = page.container.querySelector<HTMLInputElement>('[data-testid="trk-code"]')!;
    const type = async (v: string) => {
      await act(async () => {
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        setter.call(input, v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await act(async () => page.container.querySelector<HTMLButtonElement>('[data-testid="trk-search"]')!.click());
      await settle();
    };
    await type('GOOD');
    expect(page.container.querySelector('[data-testid="trk-position"]')?.textContent).toBe('No. 2');
    expect(page.container.querySelector('[data-testid="adm-history"]')?.textContent).toContain(
      'An applicant of a higher priority joined; you move back 1 place',
    );
    expect(page.container.textContent).toContain('周**');
    await type('BAD');
    expect(page.container.querySelector('[data-testid="trk-error"]')?.textContent).toContain('未找到该查询码');
    expect(page.container.querySelector('[data-testid="trk-result"]')).toBeNull();
  });

  const body = () => document.body.textContent ?? '';
  const click = async (el: Element | null) => {
    expect(el).not.toBeNull();
    await act(async () => (el as HTMLElement).click());
    await settle();
  };

  it('asks before recording an acceptance, naming the person and the bed, and says when it is done', async () => {
    current = { ...queue, items: [app({ status: 'offered', offer: { id: 9, bedId: 40, bedLabel: 'C-1', offeredAt: '2026-11-02T02:00:00.000Z' } })] };
    await show('/admission', '/admission', <QueuePage />);
    await settle();
    await click(page.container.querySelector('[data-testid="adm-accept"]'));
    expect(sent.filter((x) => x.url.endsWith('/accept'))).toHaveLength(0);
    expect(body()).toContain('确定郑秀兰接受床位 C-1 并入住？');
    await click(document.querySelector('.ant-modal-confirm-btns .ant-btn-primary'));
    expect(sent.filter((x) => x.url === '/api/admission/applications/1/accept')).toHaveLength(1);
    expect(body()).toContain('已记录郑秀兰接受床位 C-1，已入住');
  });

  it('says a bed was offered once the server took it', async () => {
    await show('/admission', '/admission', <QueuePage />);
    await settle();
    await click(page.container.querySelector('[data-testid="adm-offer"]'));
    await act(async () => {
      document.querySelector('[data-testid="adm-offer-bed"] .ant-select-selector')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    await settle();
    await click(document.querySelector('.ant-select-item-option[title="A-101"]'));
    await click(document.querySelector('[data-testid="adm-offer-ok"]'));
    expect(sent.filter((x) => x.url === '/api/admission/applications/1/offer')).toEqual([{ url: '/api/admission/applications/1/offer', body: { bedId: 40 } }]);
    expect(body()).toContain('已向郑秀兰提供床位 A-101');
  });

  it('shows a person found by sex, age and village, so namesakes can be told apart', async () => {
    const Probe = () => {
      const { t } = useI18n();
      return <span data-testid="probe">{personOption(t, { name: '王桂兰', sex: 'F', age: 82, regionName: '城关社区' })}</span>;
    };
    await show('/p', '/p', <Probe />);
    expect(page.container.querySelector('[data-testid="probe"]')?.textContent).toBe('王桂兰 · 女 · 82 岁 · 城关社区');
  });

  it('the public look-up shows why the applicant is placed there once, not as a heading and again as a row', async () => {
    await show('/admission/track', '/admission/track', <TrackPage />);
    const input = page.container.querySelector<HTMLInputElement>('[data-testid="trk-code"]')!;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, 'GOOD');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(page.container.querySelector('[data-testid="trk-search"]'));
    const text = page.container.querySelector('[data-testid="trk-result"]')?.textContent ?? '';
    expect(text.split('排在此处的依据').length - 1).toBe(1);
    expect(text.split('年满80周岁').length - 1).toBe(1);
  });
});
