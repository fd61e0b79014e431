// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogueStore } from '../../src/modules/catalogue/catalogue.store';
import { paramsFor } from '../../src/modules/catalogue/engine';
import { DECLARATIONS, factBuilder, profileSource } from '../../src/modules/catalogue/facts';
import { profileSchema } from '../../src/modules/catalogue/profile';
import { ruleWords } from '../../src/modules/catalogue/rule-words';
import { selfCheckReply, type SelfCheckResult } from '../../src/modules/entitlements/entitlements.schema';
import { selfCheck } from '../../src/modules/entitlements/self-check';
import { settle } from './app-harness';
import { I18nProvider, LOCALE_KEY } from './i18n';
import { SelfCheckAnswer } from './modules/self-check/self-check-answer';

// The public self-check's answer shows each item's rule as a sentence, and nothing internal: no
// rule code, item id, fact or parameter name, catalogue file, hash or parameter source. The answer
// is the server's own (the self-check of a Daye profile with an unknown fact), not a hand-made one.
const store = CatalogueStore.fromDirectory('catalogues');
const cat = store.latest('daye')!;
const period = '2026-10';

function answer(): SelfCheckResult {
  const profile = profileSchema.parse({ birthDate: '1941-05-01', hardship: 'dibao', disabilityGrade: 1, unknown: ['longTermCare'] });
  const facts = factBuilder(period, () => false)(profileSource(profile));
  const items = cat.items.map((i) => ({
    id: i.id,
    no: i.no,
    name: i.name,
    target: i.target,
    kind: i.benefit.kind,
    source: i.source,
    types: i.types,
    rule: i.rule.src,
    sentence: ruleWords(cat, i, {}),
  }));
  return selfCheckReply.parse({ ...selfCheck(cat, period, paramsFor(cat, period, []), facts), items });
}

describe('the public self-check answer', () => {
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

  it('says each rule in words and shows no code, id, file, hash or internal name', async () => {
    const result = answer();
    expect(result.explanation.catalogue.sha256).toBe(cat.sha256);
    await act(async () =>
      root.render(
        <I18nProvider>
          <SelfCheckAnswer result={result} />
        </I18nProvider>,
      ),
    );
    await settle();
    // every item, not only those granted
    await act(async () => (container.querySelector('[data-testid="sc-why-all"]') as HTMLElement).click());
    await settle();
    // anything folded away is opened: what a click shows is on the page too
    for (const h of container.querySelectorAll<HTMLElement>('.ant-collapse-header')) await act(async () => h.click());
    await settle();
    const text = container.textContent ?? '';
    expect(container.querySelectorAll('[data-testid="sc-why-item"]')).toHaveLength(cat.items.length);
    // 高龄津贴: 为本地户籍且年满80周岁; item 19 waits on the unknown long-term-care fact
    expect(text).toContain('为本地户籍且年满80周岁');
    expect(text).toContain('需核实');
    expect(text).not.toContain(cat.sha256);
    expect(text).not.toContain(cat.sha256.slice(0, 12));
    expect(text).not.toContain(cat.file);
    expect(text).not.toMatch(/\b(dy|nx)-\d/);
    expect(text).not.toMatch(/&&|\|\||>=|==|_/);
    for (const d of DECLARATIONS.filter((f) => /[A-Z]/.test(f.name))) expect(text).not.toContain(d.name);
    for (const p of cat.parameters.keys()) expect(text).not.toContain(p);
    // the parameters' sources (file lines, who set a value) are the officers' business
    for (const p of cat.parameters.values()) for (const v of p.values) expect(text).not.toContain(v.source);
  });
});
