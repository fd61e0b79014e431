// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { RollPaymentsReply } from '../../src/modules/payments/payments.schema';

/** Issue 14: a roll's disbursement page — counts, failed lines with the bank's reasons, the server's refusal in words. */
const detail: RollPaymentsReply = {
  roll: { id: 7, period: '2026-10', itemName: '高龄津贴', townName: '城关街道', lines: 3, totalFen: 60000 },
  banks: [{ bank: '农村商业银行', format: 'csv' }],
  batch: {
    reference: 'YY202610-7',
    bank: '农村商业银行',
    lines: 3,
    totalFen: 60000,
    exportedAt: '2026-11-30T01:00:00.000Z',
    exportedBy: 'town1',
    exports: 1,
    pending: 0,
    paid: 1,
    failed: 2,
  },
  returns: [{ id: 1, fileName: '回盘.csv', rows: 3, paid: 1, failed: 2, importedAt: '2026-11-30T02:00:00.000Z', importedBy: 'town1' }],
  failed: [
    {
      personId: 2,
      name: '王二',
      idMasked: '990101************',
      cardMasked: '6222 **** **** 0592',
      bank: '农村商业银行',
      regionName: '新华社区',
      amountFen: 20000,
      bankCode: '3012',
      reason: '账户已销户',
      reissuedRollId: null,
    },
    {
      personId: 3,
      name: '冯三',
      idMasked: '990101************',
      cardMasked: '6222 **** **** 0758',
      bank: '农村商业银行',
      regionName: '新华社区',
      amountFen: 20000,
      bankCode: '3001',
      reason: '户名不符',
      reissuedRollId: 12,
    },
  ],
};

function mock(h: ReturnType<typeof appHarness>, actions: string[]) {
  h.fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    if (url.startsWith('/api/auth/me'))
      return new Response(
        JSON.stringify({
          user: { id: 3, username: 'town1', displayName: '城关街道工作人员', role: 'town_officer', regionCode: '990101001', regionName: '城关街道' },
          actions,
          csrfToken: 'x',
        }),
      );
    if (url.startsWith('/api/payments/7/disbursement'))
      return new Response(
        JSON.stringify({
          error: { code: 'PAYMENT_DUPLICATE', message: '以下人员同一月份同一项目将被重复发放（DUPLICATE），代发文件未生成：王二', details: null },
        }),
        { status: 409 },
      );
    if (url.startsWith('/api/payments/7')) return new Response(JSON.stringify(detail));
    return new Response(JSON.stringify({ items: [], total: 0 }));
  });
}

describe('a roll’s disbursement page', () => {
  const h = appHarness('/payments/7');

  it('shows the counts and the failed lines with reasons, and the refusal of an export in words', async () => {
    mock(h, ['payments.read', 'payments.reconcile', 'rolls.read', 'register.reveal']);
    await h.render();
    await settle();
    const counts = h.container.querySelector('[data-testid="payment-counts"]')!;
    expect(counts.textContent).toMatch(/成功 1.*失败 2.*待回盘 0/);
    const failed = h.container.querySelector('[data-testid="payment-failed"]')!.textContent!;
    expect(failed).toContain('账户已销户');
    expect(failed).toContain('6222 **** **** 0592');
    expect(failed).toContain('待下月补发');
    expect(failed).toContain('已在名册 #12 补发');
    expect(h.container.querySelector('[data-testid="payment-return-upload"]')).toBeTruthy();
    await act(async () => {
      (h.container.querySelector('[data-testid="payment-export"]') as HTMLElement).click();
    });
    await settle();
    expect(h.container.querySelector('[data-testid="payment-export-error"]')!.textContent).toContain('DUPLICATE');
  });

  it('offers no return upload to a viewer who may not reconcile', async () => {
    mock(h, ['payments.read', 'rolls.read']);
    await h.render();
    await settle();
    expect(h.container.querySelector('[data-testid="payment-counts"]')).toBeTruthy();
    expect(h.container.querySelector('[data-testid="payment-return-upload"]')).toBeNull();
  });
});
