// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { pageHarness } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import type { SelfCheckResult } from '../entitlements/types';
import { SelfCheckAnswer } from './self-check-answer';

/** The self-check's answer numbers the two entries of one catalogue row apart (issue 20 R12: two lines read "7."). */
const meta = (id: string, no: string, name: string) => ({ id, no, name, kind: 'service', sentence: { zh: '60周岁以上', en: 'aged 60 or more' } });
const granted = (id: string) => ({ id, granted: true, missing: [], excludedBy: null, zero: false, schedule: { fires: true } });
const result = {
  period: '2026-12',
  catalogue: { jurisdiction: 'nanxun', title: '清单', effective: '2023-10-31' },
  items: [meta('nx-6', '6', '公交减免'), meta('nx-7', '7', '法律服务（法律援助）'), meta('nx-7b', '7', '法律服务（遗嘱公证费减免）')],
  entitlements: ['nx-6', 'nx-7', 'nx-7b'].map((id, i) => ({
    id,
    no: id === 'nx-6' ? '6' : '7',
    name: ['公交减免', '法律服务（法律援助）', '法律服务（遗嘱公证费减免）'][i],
    kind: 'service',
    text: '',
  })),
  explanation: { items: ['nx-6', 'nx-7', 'nx-7b'].map(granted) },
  whatIf: [],
  unset: [],
} as unknown as SelfCheckResult;

describe('the self-check’s answer', () => {
  const page = pageHarness();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 404 })),
    );
  });

  it('numbers every line once: 6, 7-1, 7-2 in the list and in the why', async () => {
    await page.show('/self-check', '/self-check', <SelfCheckAnswer result={result} />);
    const numbers = (testId: string) =>
      [...document.querySelectorAll(`[data-testid="${testId}"] strong, [data-testid="${testId}"] .ant-typography-strong`)]
        .map((e) => /^([\d-]+)\./.exec(e.textContent ?? '')?.[1])
        .filter(Boolean);
    expect(numbers('sc-entitlements')).toEqual(['6', '7-1', '7-2']);
    expect(numbers('sc-why')).toEqual(['6', '7-1', '7-2']);
  });
});
