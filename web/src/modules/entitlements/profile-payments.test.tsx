// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { createQueryClient } from '../../shared/query';
import { ProfilePayments } from './profile-payments';
import type { PaymentHistory } from './types';

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

describe('payment history on the profile', () => {
  let root: Root;
  let container: HTMLDivElement;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/persons/5/payments' ? new Response(JSON.stringify(history), { status: 200 }) : new Response('{}', { status: 404 }),
      ),
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

  it("shows each line with its kind, amount, status and roll, and a recovery's months and reason when opened", async () => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <MemoryRouter>
              <ProfilePayments personId="5" />
            </MemoryRouter>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
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
});
