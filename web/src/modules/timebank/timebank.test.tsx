// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import { allowedNav } from '../../nav';
import { AccountPage } from './account';
import { AccountsPage } from './accounts';
import { MyTimebankPage } from './me';
import { PendingPage } from './pending';
import { TimebankWorkbenchCard } from './workbench';
import { timebank } from '.';
import type { AccountDetail, AccountView, LedgerLine, MeReply, PendingEvent, PendingReply, RewardsReply } from './types';

/**
 * The time bank's console (issue 16): hours in 小时 and 分, an account's ledger with its running
 * balance, redemption / transfer / reversal each asked again before it is sent and refused with the
 * server's own message, the hours waiting for deposit or confirmation, a volunteer's own page.
 */

const officer = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: [
    'register.read',
    'visits.read',
    'care_events.confirm',
    'timebank.read',
    'timebank.deposit',
    'timebank.redeem',
    'timebank.transfer',
    'timebank.manage',
  ],
  csrfToken: 'x',
};
const volunteer = {
  user: { id: 31, username: 'vol1', displayName: '城关社区志愿者', role: 'volunteer', regionCode: '990101001001', regionName: '城关社区' },
  actions: ['timebank.read', 'timebank.transfer', 'visits.record'],
  csrfToken: 'x',
};

const account: AccountView = {
  id: 7,
  holderKind: 'volunteer',
  holder: { id: 31, name: '城关社区志愿者' },
  systemKey: null,
  regionCode: '990101001001',
  regionName: '城关社区',
  balanceMinutes: 150,
  status: 'open',
  openedAt: '2026-11-01T02:00:00.000Z',
};
const line = (over: Partial<LedgerLine>): LedgerLine => ({
  entryId: 1,
  kind: 'deposit',
  minutes: 90,
  balanceAfter: 90,
  counterpart: { accountId: 1, holderKind: 'system', name: null, systemKey: 'issuance' },
  note: null,
  by: { id: 2, name: '城关街道工作人员' },
  at: '2026-11-20T02:00:00.000Z',
  eventId: 11,
  rewardKey: null,
  reversesId: null,
  reversedById: null,
  ...over,
});
const ledger: LedgerLine[] = [
  line({
    entryId: 3,
    kind: 'transfer',
    minutes: -30,
    balanceAfter: 150,
    counterpart: { accountId: 9, holderKind: 'person', name: '张秀英', systemKey: null },
    note: '给母亲',
    eventId: null,
  }),
  line({ entryId: 2, minutes: 90, balanceAfter: 180, eventId: 12, by: null }),
  line({ entryId: 1, minutes: 90, balanceAfter: 90 }),
];
const detail = (): AccountDetail => ({ account: { ...account, balanceMinutes: balance }, ledger: { items: ledger, total: 3, page: 1, pageSize: 20 } });
const rewards: RewardsReply = {
  items: [
    { key: 'home_cleaning', kind: 'service', label: { zh: '上门助洁（1小时）', en: 'Home cleaning (1 hour)' }, minutes: 60 },
    { key: 'rice_5kg', kind: 'goods', label: { zh: '大米 5 公斤', en: 'Rice, 5 kg' }, minutes: 90 },
  ],
  roundMinutes: 15,
  maxMinutesPerEvent: 480,
};
const pendingEvent = (over: Partial<PendingEvent>): PendingEvent => ({
  eventId: 21,
  kind: 'visit',
  status: 'confirmed',
  performer: { id: 31, name: '城关社区志愿者' },
  personId: 5,
  personName: '张秀英',
  regionCode: '990101001001',
  regionName: '城关社区',
  startedAt: '2026-11-28T01:00:00.000Z',
  endedAt: '2026-11-28T01:50:00.000Z',
  durationMinutes: 50,
  minutes: 45,
  accountId: 7,
  ...over,
});
const pending: PendingReply = {
  toDeposit: [pendingEvent({}), pendingEvent({ eventId: 22, performer: { id: 32, name: '李志愿' }, accountId: null })],
  unconfirmed: [pendingEvent({ eventId: 23, status: 'recorded', minutes: 60, durationMinutes: 65 })],
};

let balance = 150;
/** the answer of the next movement: ok, or the server's refusal */
let refusal: { status: number; code: string; message: string } | null = null;

const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const click = async (el: Element | null) => {
  expect(el).toBeTruthy();
  await act(async () => (el as HTMLElement).click());
  await settle();
};
function typeText(el: Element | null, value: string) {
  expect(el).toBeTruthy();
  const input = (el!.matches('input, textarea') ? el : el!.querySelector('input, textarea')) as HTMLInputElement;
  const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
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

describe('the time-bank console', () => {
  const page = pageHarness();
  const show = page.show;
  let session: typeof officer = officer;
  let me: MeReply;
  const fetched: string[] = [];
  const sent: { url: string; body: unknown }[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    session = officer;
    balance = 150;
    refusal = null;
    me = { account, ledger: { items: ledger, total: 3, page: 1, pageSize: 20 }, pending: [pendingEvent({ eventId: 23, status: 'recorded' })] };
    fetched.length = 0;
    sent.length = 0;
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init?: RequestInit) => {
        const url = String(input);
        fetched.push(url);
        if (init?.method === 'POST') {
          sent.push({ url, body: JSON.parse(String(init.body)) });
          if (refusal) return json({ error: { code: refusal.code, message: refusal.message, details: null } }, refusal.status);
          if (url === '/api/timebank/redemptions') {
            balance -= 120;
            return json({
              entryId: 4,
              kind: 'redeem',
              merged: false,
              minutes: 120,
              accountId: 7,
              balanceAfter: balance,
              toAccountId: null,
              at: '2026-11-30T02:00:00.000Z',
            });
          }
          return json({
            entryId: 5,
            kind: 'transfer',
            merged: false,
            minutes: (JSON.parse(String(init.body)) as { minutes?: number }).minutes ?? 30,
            accountId: 7,
            balanceAfter: 120,
            toAccountId: 9,
            at: '2026-11-30T02:00:00.000Z',
          });
        }
        if (url === '/api/auth/me') return json(session);
        if (url.startsWith('/api/timebank/accounts/7')) return json(detail());
        if (url.startsWith('/api/timebank/accounts?')) return json({ items: [account], total: 1, page: 1, pageSize: 20 });
        if (url === '/api/timebank/rewards') return json(rewards);
        if (url === '/api/timebank/pending') return json(pending);
        if (url.startsWith('/api/timebank/me')) return json(me);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers officers the accounts, the hours to deposit and the checks, and a volunteer only their own page', () => {
    expect(
      allowedNav(officer.actions, 'town_officer')
        .filter((n) => n.path.startsWith('/timebank'))
        .map((n) => n.path),
    ).toEqual(['/timebank', '/timebank/pending', '/timebank/checks']);
    expect(
      allowedNav(volunteer.actions, 'volunteer')
        .filter((n) => n.path.startsWith('/timebank'))
        .map((n) => n.path),
    ).toEqual(['/timebank/me']);
    // an inspector reads the accounts and changes nothing
    expect(allowedNav(['timebank.read'], 'inspector').map((n) => n.path)).toEqual(['/timebank', '/timebank/checks']);
    expect(timebank.routes?.find((r) => r.path === 'timebank/me')?.action).toBe('timebank.read');
  });

  it('lists accounts with holder, region and the balance in hours and minutes', async () => {
    await show('/timebank', '/timebank', <AccountsPage />);
    const table = byTestId('tb-accounts')!;
    expect(table.textContent).toContain('城关社区志愿者');
    expect(table.textContent).toContain('城关社区');
    expect(byTestId('tb-balance-7')!.textContent).toBe('2 小时 30 分');
    expect(table.querySelector('a[href="/timebank/accounts/7"]')).toBeTruthy();
    expect(byTestId('tb-open-account')).toBeTruthy();
  });

  it('shows the ledger: kind, counterpart, minutes ± and the running balance, the system’s deposits and the reversed entries', async () => {
    await show('/timebank/accounts/7', '/timebank/accounts/:id', <AccountPage />);
    expect(byTestId('tb-account-balance')!.textContent).toBe('2 小时 30 分');
    const table = byTestId('tb-ledger')!;
    const rows = [...table.querySelectorAll('.ant-table-row')].map((r) => r.textContent ?? '');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('转赠');
    expect(rows[0]).toContain('张秀英');
    expect(byTestId('tb-line-minutes-3')!.textContent).toBe('−30 分');
    expect(rows[0]).toContain('2 小时 30 分');
    expect(rows[0]).toContain('给母亲');
    expect(byTestId('tb-line-minutes-2')!.textContent).toBe('+1 小时 30 分');
    expect(rows[1]).toContain('3 小时');
    expect(rows[1]).toContain('志愿服务时长发放');
    expect(rows[1]).toContain('系统（确认后自动存入）');
    expect(rows[1]).toContain('服务记录 #12');
    // the relative's account opens from the counterpart
    expect(table.querySelector('a[href="/timebank/accounts/9"]')).toBeTruthy();
  });

  it('redeems a reward × quantity after a confirmation naming the price; the balance is read again', async () => {
    await show('/timebank/accounts/7', '/timebank/accounts/:id', <AccountPage />);
    await click(byTestId('tb-redeem-open'));
    await pick('tb-redeem-reward', '上门助洁（1小时）');
    await act(async () => typeText(byTestId('tb-redeem-quantity'), '2'));
    await settle();
    expect(byTestId('tb-redeem-total')!.textContent).toBe('共需 2 小时，当前余额 2 小时 30 分');
    await click(byTestId('tb-redeem-ok'));
    // asked first, nothing sent yet
    expect(byTestId('tb-redeem-question')!.textContent).toContain('上门助洁（1小时） × 2');
    expect(byTestId('tb-redeem-question')!.textContent).toContain('扣除 2 小时');
    expect(sent).toEqual([]);
    await click(byTestId('tb-redeem-confirm'));
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { accountId: number; rewardKey: string; quantity: number; clientId: string };
    expect(sent[0]!.url).toBe('/api/timebank/redemptions');
    expect(body).toMatchObject({ accountId: 7, rewardKey: 'home_cleaning', quantity: 2 });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
    await settle();
    expect(byTestId('tb-account-balance')!.textContent).toBe('30 分');
    expect(document.body.textContent).toContain('已兑换，扣除 2 小时');
  });

  it('shows the server’s clear refusal of a redemption beyond the balance, and the balance stays', async () => {
    refusal = { status: 409, code: 'TIMEBANK_INSUFFICIENT', message: '余额不足：账户余额 2 小时 30 分，需要 3 小时' };
    await show('/timebank/accounts/7', '/timebank/accounts/:id', <AccountPage />);
    await click(byTestId('tb-redeem-open'));
    await pick('tb-redeem-reward', '大米 5 公斤');
    await act(async () => typeText(byTestId('tb-redeem-quantity'), '2'));
    await settle();
    await click(byTestId('tb-redeem-ok'));
    await click(byTestId('tb-redeem-confirm'));
    expect(byTestId('tb-redeem-error')!.textContent).toBe('余额不足：账户余额 2 小时 30 分，需要 3 小时');
    // back on the form, the dialog still open; the balance unchanged
    expect(byTestId('tb-redeem-question')).toBeNull();
    expect(byTestId('tb-account-balance')!.textContent).toBe('2 小时 30 分');
  });

  it('reverses an entry with a reason, asked again first; a reversed entry or a reversal offers none', async () => {
    ledger[2] = { ...ledger[2]!, reversedById: 8 };
    try {
      await show('/timebank/accounts/7', '/timebank/accounts/:id', <AccountPage />);
      expect(byTestId('tb-reverse-1')).toBeNull();
      expect(byTestId('tb-ledger')!.textContent).toContain('已被 #8 冲正');
      await click(byTestId('tb-reverse-3'));
      // a reason is required: nothing is asked or sent without one
      await click(byTestId('tb-reverse-ok'));
      expect(byTestId('tb-reverse-question')).toBeNull();
      await act(async () => typeText(byTestId('tb-reverse-reason'), '误转'));
      await click(byTestId('tb-reverse-ok'));
      expect(byTestId('tb-reverse-question')!.textContent).toContain('#3');
      expect(sent).toEqual([]);
      await click(byTestId('tb-reverse-confirm'));
      expect(sent).toEqual([{ url: '/api/timebank/entries/3/reverse', body: { reason: '误转' } }]);
    } finally {
      ledger[2] = { ...ledger[2]!, reversedById: null };
    }
  });

  it('lists the hours to deposit and those to confirm; deposits after asking, confirms as an officer with a note', async () => {
    await show('/timebank/pending', '/timebank/pending', <PendingPage />);
    const toDeposit = byTestId('tb-to-deposit')!;
    expect(toDeposit.textContent).toContain('张秀英');
    expect(toDeposit.textContent).toContain('50 分');
    expect(toDeposit.textContent).toContain('45 分');
    // a volunteer with no account: said so, no deposit offered
    expect(byTestId('tb-deposit-22')).toBeNull();
    expect(toDeposit.textContent).toContain('该志愿者尚未开户');
    await click(byTestId('tb-deposit-21'));
    expect(document.body.textContent).toContain('确认将 45 分 存入 城关社区志愿者 的账户？');
    expect(sent).toEqual([]);
    await click(byTestId('tb-deposit-ok'));
    expect(sent).toEqual([{ url: '/api/timebank/deposits', body: { eventId: 21 } }]);

    await click(byTestId('tb-confirm-event-23'));
    await click(byTestId('tb-confirm-event-ok'));
    expect(sent).toHaveLength(1);
    await act(async () => typeText(byTestId('tb-confirm-event-note'), '电话核实'));
    await click(byTestId('tb-confirm-event-ok'));
    expect(sent.at(-1)).toEqual({ url: '/api/care-events/23/confirm', body: { kind: 'officer', note: '电话核实' } });
  });

  /** A radio of the open transfer dialog, by its words. */
  const radio = (words: string) =>
    [...document.body.querySelectorAll('.ant-radio-wrapper')].find((l) => l.textContent === words)?.querySelector('input') ?? null;
  const MOTHER_ID = '990101194805120624';

  it('shows a volunteer their balance, what waits, the ledger, and transfers to a parent by ID number and name: the ID checked on the device, the result shown masked', async () => {
    session = volunteer;
    await show('/timebank/me', '/timebank/me', <MyTimebankPage />);
    expect(byTestId('tb-me-balance')!.textContent).toBe('2 小时 30 分');
    expect(byTestId('tb-me-pending')!.textContent).toContain('待确认');
    // a volunteer does not open other accounts from their ledger
    expect(byTestId('tb-ledger')!.querySelector('a[href="/timebank/accounts/9"]')).toBeNull();
    await click(byTestId('tb-me-transfer'));
    // no register search for a volunteer: the relative's ID number and name, or an account number
    expect(radio('亲属（名册人员）')).toBeNull();
    expect(byTestId('tb-transfer-person')).toBeNull();
    await act(async () => typeText(byTestId('tb-transfer-name'), ' 孙桂兰 '));
    await act(async () => typeText(byTestId('tb-transfer-id'), MOTHER_ID.slice(0, 17)));
    await click(byTestId('tb-transfer-ok'));
    expect(document.body.textContent).toContain('身份证号应为 18 位，现为 17 位');
    expect(document.body.textContent).toContain('请填写大于 0 的时长');
    // a wrong check digit is caught before anything is sent
    await act(async () => typeText(byTestId('tb-transfer-id'), MOTHER_ID.slice(0, 17) + '5'));
    await act(async () => typeText(byTestId('tb-transfer-minutes'), '15'));
    await settle();
    await click(byTestId('tb-transfer-ok'));
    expect(document.body.textContent).toContain('身份证号校验位不符，请逐位核对');
    expect(byTestId('tb-transfer-question')).toBeNull();
    expect(sent).toEqual([]);
    // well formed (typed with a space): asked first, naming the relative with the ID masked
    await act(async () => typeText(byTestId('tb-transfer-id'), MOTHER_ID.slice(0, 9) + ' ' + MOTHER_ID.slice(9)));
    await settle();
    await click(byTestId('tb-transfer-ok'));
    expect(byTestId('tb-transfer-question')!.textContent).toContain('转赠 15 分 给 孙桂兰（身份证 990101************）');
    expect(byTestId('tb-transfer-question')!.textContent).not.toContain('19480512');
    await click(byTestId('tb-transfer-confirm'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: '/api/timebank/transfers',
      body: { fromAccountId: 7, to: { idNumber: MOTHER_ID, name: '孙桂兰' }, minutes: 15, note: '' },
    });
    await settle();
    // what it gave stays on the page
    expect(byTestId('tb-me-transferred')!.textContent).toContain('已转赠 15 分 给 孙桂兰（身份证 990101************）');
    expect(byTestId('tb-transfer-question')).toBeNull();
  });

  it('shows the server’s one refusal when no elder matches the ID and name, and still transfers by account number', async () => {
    session = volunteer;
    refusal = {
      status: 404,
      code: 'TIMEBANK_TRANSFER_UNMATCHED',
      message: '没有找到与该身份证号和姓名一致的在册老人：请核对亲属的姓名和 18 位身份证号（须与户籍登记一致）；未作任何变动',
    };
    await show('/timebank/me', '/timebank/me', <MyTimebankPage />);
    await click(byTestId('tb-me-transfer'));
    await act(async () => typeText(byTestId('tb-transfer-name'), '孙桂英'));
    await act(async () => typeText(byTestId('tb-transfer-id'), MOTHER_ID));
    await act(async () => typeText(byTestId('tb-transfer-minutes'), '30'));
    await settle();
    await click(byTestId('tb-transfer-ok'));
    await click(byTestId('tb-transfer-confirm'));
    expect(byTestId('tb-transfer-error')!.textContent).toContain('没有找到与该身份证号和姓名一致的在册老人');
    expect(byTestId('tb-me-transferred')).toBeNull();
    // the account number, as before
    refusal = null;
    await click(radio('对方账户编号'));
    await act(async () => typeText(byTestId('tb-transfer-account'), '9'));
    await settle();
    await click(byTestId('tb-transfer-ok'));
    expect(byTestId('tb-transfer-question')!.textContent).toContain('转赠 30 分 给 #9');
    await click(byTestId('tb-transfer-confirm'));
    expect(sent.at(-1)).toMatchObject({ url: '/api/timebank/transfers', body: { fromAccountId: 7, to: { accountId: 9 }, minutes: 30 } });
  });

  it('offers an officer the register search, the ID number and name, and the account number in the transfer dialog', async () => {
    await show('/timebank/accounts/7', '/timebank/accounts/:id', <AccountPage />);
    await click(byTestId('tb-transfer-open'));
    expect(byTestId('tb-transfer-person')).toBeTruthy();
    expect(radio('身份证号和姓名')).toBeTruthy();
    expect(radio('对方账户编号')).toBeTruthy();
    await click(radio('身份证号和姓名'));
    expect(byTestId('tb-transfer-person')).toBeNull();
    await act(async () => typeText(byTestId('tb-transfer-name'), '孙桂兰'));
    await act(async () => typeText(byTestId('tb-transfer-id'), MOTHER_ID.toLowerCase()));
    await act(async () => typeText(byTestId('tb-transfer-hours'), '1'));
    await settle();
    await click(byTestId('tb-transfer-ok'));
    expect(byTestId('tb-transfer-question')!.textContent).toContain('转赠 1 小时 给 孙桂兰（身份证 990101************）');
    await click(byTestId('tb-transfer-confirm'));
    expect(sent).toEqual([
      {
        url: '/api/timebank/transfers',
        body: expect.objectContaining({ fromAccountId: 7, to: { idNumber: MOTHER_ID, name: '孙桂兰' }, minutes: 60 }) as unknown,
      },
    ]);
    await settle();
    expect(document.body.textContent).toContain('已转赠 1 小时 给 孙桂兰（身份证 990101************）');
  });

  it('puts a time-bank card on the workbench: an officer’s accounts, hours held, deposits waiting and the last check; a volunteer’s balance', async () => {
    const counts = { accounts: 12, minutesOutstanding: 375, pendingDeposits: 3, lastCheck: { on: '2026-11-30', ok: false } };
    await show('/', '/', <TimebankWorkbenchCard timebank={counts} />);
    expect(byTestId('wb-tb-accounts')!.textContent).toContain('12');
    expect(byTestId('wb-tb-outstanding')!.textContent).toContain('6 小时 15 分');
    expect(byTestId('wb-tb-pending')!.getAttribute('href')).toBe('/timebank/pending');
    expect(byTestId('wb-tb-pending')!.textContent).toContain('3');
    expect(byTestId('wb-tb-check')!.getAttribute('href')).toBe('/timebank/checks');
    expect(byTestId('wb-tb-check')!.textContent).toContain('不平衡');
    expect(byTestId('wb-tb-check')!.textContent).toContain('2026-11-30');
    page.remount();

    session = volunteer;
    await show('/', '/', <TimebankWorkbenchCard timebank={{ accounts: 1, minutesOutstanding: 150, pendingDeposits: 0, lastCheck: null }} />);
    expect(byTestId('wb-tb-balance')!.getAttribute('href')).toBe('/timebank/me');
    expect(byTestId('wb-tb-balance')!.textContent).toContain('2 小时 30 分');
    expect(byTestId('wb-tb-accounts')).toBeNull();
    page.remount();
    // a role that does not read the time bank: no card
    await show('/', '/', <TimebankWorkbenchCard timebank={null} />);
    expect(byTestId('workbench-timebank')).toBeNull();
  });

  it('tells a volunteer without an account to ask for one', async () => {
    session = volunteer;
    me = { account: null, ledger: null, pending: [] };
    await show('/timebank/me', '/timebank/me', <MyTimebankPage />);
    expect(byTestId('tb-me-none')!.textContent).toContain('还没有时间银行账户');
    expect(byTestId('tb-me-transfer')).toBeNull();
  });

  it('writes hours in English as h and min', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await show('/timebank', '/timebank', <AccountsPage />);
    expect(byTestId('tb-balance-7')!.textContent).toBe('2 h 30 min');
  });
});
