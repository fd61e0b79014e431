// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { PausedQueue } from './modules/entitlements/types';

/**
 * Paused entitlements in the console (issue 14): the 暂停发放 work queue by reason (the profile's
 * pauses: entitlements/profile-payments.test.tsx).
 */
const queue: PausedQueue = {
  period: '2026-11',
  items: [
    {
      personId: 5,
      name: '张秀英',
      idMasked: '990101********0012',
      regionCode: '990101001001',
      regionName: '城关社区',
      reasons: ['no_account'],
      reasonText: '无发放账户',
      remark: null,
      items: [{ itemId: 'nx-10', itemName: '高龄津贴', standardFen: 6000, rollId: 7 }],
      dueFen: 6000,
      since: '2026-10',
      pauseId: null,
    },
    {
      personId: 6,
      name: '李国强',
      idMasked: '990101********0034',
      regionCode: '990101001001',
      regionName: '城关社区',
      reasons: ['abroad'],
      reasonText: '出境居住',
      remark: null,
      items: [],
      dueFen: 0,
      since: '2026-11',
      pauseId: 3,
    },
  ],
  total: 2,
  page: 1,
  pageSize: 20,
  counts: { no_account: 1, abroad: 1 },
};
function answer(h: ReturnType<typeof appHarness>) {
  h.fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    if (url.startsWith('/api/auth/me'))
      return new Response(
        JSON.stringify({
          user: { id: 2, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
          actions: ['rolls.read', 'rolls.prepare', 'rolls.pause', 'register.read', 'entitlements.read'],
          csrfToken: 'x',
        }),
      );
    if (url.startsWith('/api/paused'))
      return new Response(JSON.stringify(url.includes('reason=abroad') ? { ...queue, items: [queue.items[1]], total: 1 } : queue));
    return new Response(JSON.stringify({ items: [], total: 0 }));
  });
}

describe('the paused list', () => {
  const h = appHarness('/paused');

  it('lists each paused person with the reason, what is due and what clears it, and filters by reason', async () => {
    answer(h);
    await h.render();
    await settle();
    const page = h.container.querySelector('[data-testid="paused-page"]')!;
    expect(page).toBeTruthy();
    const table = h.container.querySelector('[data-testid="paused-table"]')!;
    expect(table.textContent).toContain('张秀英');
    expect(table.textContent).toContain('无发放账户');
    expect(table.textContent).toContain('60.00');
    expect(table.textContent).toContain('在民政数据中补充银行卡号');
    expect(table.textContent).toContain('出境居住');
    expect(h.container.querySelector('a[href="/register/5"]')).toBeTruthy();
    const abroad = [...h.container.querySelectorAll('[data-testid="paused-reasons"] .ant-segmented-item')].find((e) => e.textContent?.includes('出境居住'))!;
    await act(async () => (abroad as HTMLElement).click());
    await settle();
    expect(h.fetchMock.mock.calls.some(([u]) => String(u).includes('reason=abroad'))).toBe(true);
    expect(h.container.querySelector('[data-testid="paused-table"]')!.textContent).not.toContain('张秀英');
  });
});
