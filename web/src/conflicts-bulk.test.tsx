// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';

/**
 * 数据冲突 in bulk: a button per department that brought values (and one to keep all), each asking
 * first with the count it settles; the request carries that count so the server settles exactly
 * those (the page itself is only for roles with register.resolve_conflict).
 */
const summary = {
  total: 3,
  sources: [
    { source: 'civil_affairs', label: '民政', labelEn: 'Civil affairs', open: 2 },
    { source: 'medical_insurance', label: '医保', labelEn: 'Medical insurance', open: 1 },
  ],
};

function answer(h: ReturnType<typeof appHarness>, actions: string[], posted: unknown[]) {
  h.fetchMock.mockImplementation(async (input, init) => {
    const url = String(input);
    if (url.startsWith('/api/auth/me')) {
      return new Response(
        JSON.stringify({
          user: { id: 2, username: 'town1', displayName: '城关街道', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
          actions,
          csrfToken: 'x',
        }),
      );
    }
    if (url.startsWith('/api/conflicts/summary')) return new Response(JSON.stringify(summary));
    if (url.startsWith('/api/conflicts/resolve-all')) {
      posted.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify({ resolved: 2 }));
    }
    return new Response(JSON.stringify({ items: [], total: 0 }));
  });
}

describe('conflicts in bulk', () => {
  const h = appHarness('/conflicts');

  it('accepts all of one department’s after a confirmation naming the count', async () => {
    const posted: unknown[] = [];
    answer(h, ['register.read', 'register.resolve_conflict'], posted);
    await h.render();
    await settle();
    const accept = h.container.querySelector<HTMLElement>('[data-testid="conflict-accept-all-civil_affairs"]')!;
    expect(accept.textContent).toContain('民政');
    expect(accept.textContent).toContain('2');
    expect(h.container.querySelector('[data-testid="conflict-keep-all"]')!.textContent).toContain('3');
    await act(async () => accept.click());
    await settle();
    const dialog = document.querySelector('.ant-modal-confirm')!;
    expect(dialog.textContent).toContain('采用民政的 2 条新值');
    expect(posted).toEqual([]);
    await act(async () => document.querySelector<HTMLElement>('[data-testid="conflict-bulk-ok"]')!.click());
    await settle();
    expect(posted).toEqual([{ choice: 'accept', source: 'civil_affairs', expected: 2 }]);
  });

  it('keeps all current values only after the confirmation naming the count', async () => {
    const posted: unknown[] = [];
    answer(h, ['register.read', 'register.resolve_conflict'], posted);
    await h.render();
    await settle();
    await act(async () => h.container.querySelector<HTMLElement>('[data-testid="conflict-keep-all"]')!.click());
    await settle();
    expect(document.querySelector('.ant-modal-confirm')!.textContent).toContain('保留 3 条冲突的现值');
    await act(async () => document.querySelector<HTMLElement>('[data-testid="conflict-bulk-ok"]')!.click());
    await settle();
    expect(posted).toEqual([{ choice: 'keep', expected: 3 }]);
  });
});
