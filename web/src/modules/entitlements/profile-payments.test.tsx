// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { AuthProvider } from '../../shared/auth';
import { createQueryClient } from '../../shared/query';
import { ProfilePayments } from './profile-payments';
import type { PaymentHistory, PersonPauses } from './types';

// The profile's 发放记录: each month's line with its status, and a recovery with the months behind it.
const history: PaymentHistory = {
  items: [
    {
      rollId: 12,
      period: '2026-11',
      itemId: 'nx-10',
      itemName: '高龄津贴',
      kind: 'recovery',
      status: 'draft',
      standardFen: 6000,
      amountFen: 6000,
      excluded: false,
      remark: null,
      settled: false,
      months: [{ month: '2026-10', dueFen: 0, paidFen: 6000, reasons: ['户籍状态：正常 → 死亡（公安（户籍），2026-09-30 起）'] }],
    },
    {
      rollId: 9,
      period: '2026-10',
      itemId: 'nx-10',
      itemName: '高龄津贴',
      kind: 'regular',
      status: 'approved',
      standardFen: 6000,
      amountFen: 6000,
      excluded: false,
      remark: null,
      settled: true,
      months: null,
    },
  ],
};

const pauses: PersonPauses = {
  noAccount: true,
  items: [
    {
      id: 3,
      personId: 5,
      reason: 'abroad',
      reasonText: '出境居住',
      items: null,
      note: '赴新加坡探亲',
      since: '2026-11',
      setByName: '城关街道工作人员',
      setAt: '2026-11-02T02:00:00.000Z',
      liftedByName: null,
      liftedAt: null,
      liftNote: null,
      backpay: null,
    },
  ],
};
const me = {
  user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
  actions: ['rolls.read', 'rolls.prepare', 'rolls.pause', 'register.read', 'entitlements.read'],
  csrfToken: 'x',
};

describe('payment history on the profile', () => {
  const sent: { url: string; body: unknown }[] = [];
  let root: Root;
  let container: HTMLDivElement;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') sent.push({ url, body: JSON.parse(String(init.body)) });
        if (url === '/api/auth/me') return new Response(JSON.stringify(me));
        if (url === '/api/persons/5/payments') return new Response(JSON.stringify(history), { status: 200 });
        if (url === '/api/persons/5/pauses') return new Response(JSON.stringify(pauses));
        if (url === '/api/pauses/3/lift') return new Response(JSON.stringify({ ...pauses.items[0], liftedAt: '2026-11-30T01:00:00.000Z', backpay: false }));
        return new Response('{}', { status: 404 });
      }),
    );
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  /** the 发放记录 tab as the profile mounts it, signed in as town1 */
  const show = async () => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter>
                  <ProfilePayments personId="5" />
                </MemoryRouter>
              </AntApp>
            </AuthProvider>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });

  it("shows each line with its kind, amount, status and roll, and a recovery's months and reason when opened", async () => {
    await show();
    const table = container.querySelector('[data-testid="profile-payments"]')!;
    expect(table.textContent).toContain('追回');
    expect(table.textContent).toContain('-60.00');
    expect(table.textContent).toContain('已审核');
    expect(table.querySelector('a[href="/rolls/9"]')).toBeTruthy();
    const expand = container.querySelector<HTMLButtonElement>('.ant-table-row-expand-icon')!;
    await act(async () => expand.click());
    expect(container.textContent).toContain('2026-10：应发 0.00 元，已发 60.00 元。');
    expect(container.textContent).toContain('户籍状态：正常 → 死亡');
  });

  it("says why payments are paused — no account, an officer's pause with who and why — and lifts it, without pay-back by default for living abroad", async () => {
    await show();
    expect(container.querySelector('[data-testid="pause-no-account"]')?.textContent).toContain('无发放账户');
    const active = container.querySelector('[data-testid="pause-active-3"]')!;
    expect(active.textContent).toContain('暂停发放中：出境居住（2026-11 起）');
    expect(active.textContent).toContain('城关街道工作人员');
    expect(active.textContent).toContain('赴新加坡探亲');
    // an empty pause form is refused on its fields, with no error escaping the page (a newcomer saw one)
    await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="pause-set"]')!.click());
    await settle();
    await act(async () => document.querySelector<HTMLButtonElement>('[data-testid="pause-ok"]')!.click());
    await settle();
    expect(document.querySelectorAll('.ant-form-item-explain-error').length).toBeGreaterThan(0);
    expect(sent).toEqual([]);
    await act(async () => document.querySelector<HTMLButtonElement>('.ant-modal-close')!.click());
    await settle();
    await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="pause-lift-3"]')!.click());
    await settle();
    const backpay = document.querySelector<HTMLInputElement>('[data-testid="lift-backpay"] input, input[data-testid="lift-backpay"]');
    expect(backpay?.checked).toBe(false);
    const note = document.querySelector<HTMLTextAreaElement>('[data-testid="lift-note"]')!;
    await act(async () => {
      const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      set.call(note, '已回国定居');
      note.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => document.querySelector<HTMLButtonElement>('[data-testid="lift-ok"]')!.click());
    await settle();
    expect(sent).toContainEqual({ url: '/api/pauses/3/lift', body: { backpay: false, note: '已回国定居' } });
  });
});
