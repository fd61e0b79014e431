// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogueStore } from '../../src/modules/catalogue/catalogue.store';
import { amountWords, ruleWords } from '../../src/modules/catalogue/rule-words';
import type { CatalogueItem } from './modules/catalogue/types';
import { CatalogueItems } from './modules/catalogue/catalogue-items';
import { settle } from './app-harness';
import { I18nProvider, LOCALE_KEY } from './i18n';

// 服务清单: each item's rule as a sentence (the server's, from catalogue/rule-words.ts); the rule's
// code, parameter names and item ids only for the bureau, who maintains the catalogue.
const cat = CatalogueStore.fromDirectory('catalogues').latest('nanxun')!;
const items: CatalogueItem[] = cat.items.map((it) => ({
  id: it.id,
  no: it.no,
  local: it.local,
  target: it.target,
  name: it.name,
  content: it.content,
  types: it.types,
  department: it.department ?? null,
  when: it.when,
  rule: it.rule.src,
  sentence: ruleWords(cat, it, {}),
  amountSentence: amountWords(cat, it, {}),
  source: it.source,
  note: it.note ?? null,
  exclusive: it.exclusive ?? null,
  benefit: {
    kind: it.benefit.kind,
    amount: it.benefit.amount?.src ?? null,
    percent: it.benefit.percent?.src ?? null,
    quota: it.benefit.quota ?? null,
    insurer: it.benefit.insurer ?? null,
  },
  params: it.benefit.amount?.params ?? [],
}));

describe('catalogue items', () => {
  let root: Root;
  let container: HTMLDivElement;
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });
  // the parameters as the page has them: the insurers' names set (seeding sets them for the demo)
  const parameters = [...cat.parameters.values()].map((p) => ({
    name: p.name,
    label: p.label,
    type: p.type,
    unit: p.unit ?? null,
    current: { from: '2023-10-31', to: null, value: p.type === 'text' ? `${p.label}承保公司` : 100, source: 'test' },
    values: [],
    overrides: [],
  }));
  const render = async (technical: boolean) => {
    await act(async () =>
      root.render(
        <I18nProvider>
          <CatalogueItems items={items} technical={technical} parameters={parameters} />
        </I18nProvider>,
      ),
    );
    await settle();
    // open every row
    for (const b of container.querySelectorAll<HTMLElement>('.ant-table-row-expand-icon')) await act(async () => b.click());
    await settle();
    return container.textContent ?? '';
  };

  it('shows each rule and amount in words, and no code to an officer who does not maintain the catalogue', async () => {
    const text = await render(false);
    expect(container.querySelector('[data-testid="rule-words-nx-12"]')!.textContent).toBe('年满80周岁且为本地户籍');
    expect(container.querySelector('[data-testid="amount-words-nx-6"]')!.textContent).toContain('年满70周岁的，免费；其余，减免50%');
    expect(text).not.toMatch(/&&|\|\||>=|hukouLocal|nx_high_age|nx-12/);
  });

  it('names an insurance item’s insurer, not its parameter (the trial read 承保机构: nx_insurer_80)', async () => {
    const text = await render(false);
    const insurer = cat.items.find((i) => i.id === 'nx-12')!.benefit.insurer!;
    const label = cat.parameters.get(insurer)!.label;
    expect(container.querySelector('[data-testid="insurer-nx-12"]')!.textContent).toBe(`承保机构: ${label}承保公司`);
    expect(text).not.toMatch(/nx_insurer/);
  });

  it('adds the rule code, parameter names and item ids for the bureau', async () => {
    const text = await render(true);
    expect(container.querySelector('[data-testid="rule-words-nx-12"]')!.textContent).toBe('年满80周岁且为本地户籍');
    expect(text).toContain('age >= 80 && hukouLocal');
    expect(text).toContain('nx_high_age');
  });
});
