// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { Roll, RollAction, RollDetail } from './modules/entitlements/types';

/**
 * Issue 12 item 7: the console offers exactly the actions the server computed for the viewer;
 * admin was shown 审核通过 on a roll they submitted and then got a 403.
 */
const roll = (actions: RollAction[], extra: Partial<Roll> = {}): Roll => ({
  id: 7,
  runId: 3,
  period: '2026-11',
  itemId: 'nx-10',
  itemName: '高龄津贴',
  townCode: '990101001',
  townName: '城关街道',
  status: 'submitted',
  kind: 'regular',
  lines: 1,
  totalFen: 6000,
  madeBy: 'admin',
  madeAt: '2026-11-30T01:00:00.000Z',
  checkedBy: null,
  checkedAt: null,
  note: null,
  replacedBy: null,
  rerun: null,
  stale: null,
  actions,
  checkBlocked: null,
  ...extra,
});

function answer(h: ReturnType<typeof appHarness>, detail: RollDetail) {
  h.fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    if (url.startsWith('/api/auth/me')) {
      return new Response(
        JSON.stringify({
          user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
          actions: ['rolls.read', 'rolls.prepare', 'rolls.approve', 'register.reveal', 'entitlements.read'],
          csrfToken: 'x',
        }),
      );
    }
    if (url.startsWith('/api/rolls/7')) return new Response(JSON.stringify(detail));
    return new Response(JSON.stringify({ items: [], total: 0 }));
  });
}

const lines: RollDetail['lines'] = [
  {
    personId: 1,
    name: '张三',
    idMasked: '990101************',
    regionName: '城关社区',
    amountFen: 6000,
    standardFen: 6000,
    excluded: false,
    pause: null,
    pauseText: null,
    remark: null,
    note: null,
    months: null,
  },
];

describe('roll detail actions', () => {
  const h = appHarness('/rolls/7');

  it('shows no 审核通过 to the maker of a submitted roll, though the role may approve', async () => {
    answer(h, { roll: roll(['export'], { checkBlocked: 'maker' }), lines, rerunChanges: [], page: 1, pageSize: 50, total: 1 });
    await h.render();
    await settle();
    expect(h.container.querySelector('[data-testid="roll-detail"]')).toBeTruthy();
    // and says why, so the officer knows another checker must do it
    expect(h.container.querySelector('[data-testid="roll-check-blocked"]')?.textContent).toContain('须由另一位审核人审核通过或退回');
    expect(h.container.querySelector('[data-testid="roll-approve"]')).toBeNull();
    expect(h.container.querySelector('[data-testid="roll-return"]')).toBeNull();
    expect(h.container.querySelector('[data-testid="roll-export"]')).toBeTruthy();
  });

  it('shows 审核通过 and 退回 to another checker', async () => {
    answer(h, { roll: roll(['approve', 'return', 'export']), lines, rerunChanges: [], page: 1, pageSize: 50, total: 1 });
    await h.render();
    await settle();
    expect(h.container.querySelector('[data-testid="roll-approve"]')).toBeTruthy();
    expect(h.container.querySelector('[data-testid="roll-return"]')).toBeTruthy();
  });

  it('a replaced roll says so and links to its replacement; a stale one says why', async () => {
    answer(h, { roll: roll([], { status: 'superseded', replacedBy: 12 }), lines, rerunChanges: [], page: 1, pageSize: 50, total: 1 });
    await h.render();
    await settle();
    expect(h.container.querySelector('[data-testid="roll-superseded"]')?.textContent).toContain('此名册已被重新测算替换');
    expect(h.container.querySelector('[data-testid="roll-replacement"]')?.getAttribute('href')).toBe('/rolls/12');
  });

  it('a roll made by a re-run lists what changed', async () => {
    answer(h, {
      roll: roll(['edit', 'submit', 'export'], {
        status: 'draft',
        rerun: { fromRollId: 5, fromStatus: 'submitted', added: 0, removed: 1, amount: 0, heldGone: 0, at: '2026-11-30T02:00:00.000Z' },
        stale: '本次测算后参数已调整',
      }),
      lines,
      rerunChanges: [
        { personId: 9, name: '李四', idMasked: '990101************', regionName: '城关社区', kind: 'removed', oldFen: 6000, newFen: null, remark: null },
      ],
      page: 1,
      pageSize: 50,
      total: 1,
    });
    await h.render();
    await settle();
    const card = h.container.querySelector('[data-testid="roll-rerun"]')!;
    expect(card.textContent).toContain('替换了待审核的名册 #5');
    expect(card.textContent).toContain('减少 1 人');
    expect(card.textContent).toContain('请核对下列变动后重新提交审核');
    expect(card.textContent).toContain('李四');
    expect(h.container.querySelector('[data-testid="roll-stale"]')?.textContent).toContain('本次测算后参数已调整');
  });
});
