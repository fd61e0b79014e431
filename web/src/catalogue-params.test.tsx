// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogueParameter } from './modules/catalogue/types';
import { CatalogueParams, upcomingValues } from './modules/catalogue/catalogue-params';
import { settle } from './app-harness';
import { I18nProvider, LOCALE_KEY } from './i18n';

const file = (value: number | null, from: string, to: string | null = null) => ({ value, from, to, source: '清单文件' });
const set = (value: number, from: string) => ({ value, from, note: '县政府文件', setBy: 'admin', setAt: '2026-11-01T02:00:00Z' });
const param = (name: string, p: Partial<CatalogueParameter>): CatalogueParameter => ({
  name,
  label: `参数${name}`,
  type: 'money',
  unit: '元/月',
  current: null,
  values: [],
  overrides: [],
  ...p,
});

// 参数: a value decided for a later date shows in the parameter's row, not only in its history.
const params: CatalogueParameter[] = [
  // an administrator's value from next year over the file's
  param('raised', { current: file(10000, '2023-10-31'), values: [file(10000, '2023-10-31')], overrides: [set(15000, '2027-01-01')] }),
  // the file's own next value
  param('filed', { current: file(8000, '2023-10-31', '2026-12-31'), values: [file(8000, '2023-10-31', '2026-12-31'), file(9000, '2027-01-01')] }),
  // nothing ahead
  param('still', { current: file(5000, '2023-10-31'), values: [file(5000, '2023-10-31')], overrides: [set(5000, '2026-01-01')] }),
];

describe('catalogue parameters', () => {
  let root: Root;
  let container: HTMLDivElement;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    localStorage.removeItem(LOCALE_KEY);
  });
  const render = async () => {
    await act(async () =>
      root.render(
        <I18nProvider>
          <CatalogueParams jurisdiction="nanxun" params={params} canSet={false} today="2026-11-30" />
        </I18nProvider>,
      ),
    );
    await settle();
  };
  const upcoming = (name: string) => [...container.querySelectorAll(`[data-testid="param-upcoming-${name}"]`)].map((e) => e.textContent);

  it('shows the upcoming value and its first day in the row, without expanding it', async () => {
    await render();
    expect(container.querySelector('[data-testid="param-history-raised"]')).toBeNull();
    expect(upcoming('raised')).toEqual(['2027-01-01 起 150.00 元/月']);
    expect(upcoming('filed')).toEqual(['2027-01-01 起 90.00 元/月']);
    expect(upcoming('still')).toEqual([]);
  });

  it('words it in English in the English console', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await render();
    expect(upcoming('raised')).toEqual(['from 2027-01-01: 150.00 元/月']);
  });

  it('shows a value set in the console by who set it, in English in the English console', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    const current = {
      value: 15000,
      from: '2026-01-01',
      to: null,
      source: '管理员设定（演示数据，2026-01-02）',
      sourceEn: 'Set by an administrator (Demo data, 2026-01-02)',
    };
    await act(async () =>
      root.render(
        <I18nProvider>
          <CatalogueParams jurisdiction="nanxun" params={[param('demo', { current, values: [file(10000, '2023-10-31')] })]} canSet={false} today="2026-11-30" />
        </I18nProvider>,
      ),
    );
    await settle();
    expect(container.textContent).toContain('Set by an administrator (Demo data, 2026-01-02)');
    expect(container.textContent).not.toContain('管理员设定');
  });

  it('follows the server: an administrator’s value begun by a date wins over the file’s', () => {
    const p = param('x', { values: [file(100, '2023-01-01', '2026-12-31'), file(200, '2027-01-01')], overrides: [set(300, '2026-06-01')] });
    // the override from 2026-06-01 stays in force past the file's change on 2027-01-01
    expect(upcomingValues(p, '2026-11-30')).toEqual([]);
    expect(upcomingValues(p, '2026-05-01')).toEqual([{ from: '2026-06-01', value: 300 }]);
  });
});
