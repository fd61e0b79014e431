// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router-dom';
import { QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCatalogue, type Catalogue } from '../../src/modules/catalogue/catalogue.loader';
import { explain, paramsFor, type ParamOverride } from '../../src/modules/catalogue/engine';
import { factBuilder, profileSource } from '../../src/modules/catalogue/facts';
import { selfCheck } from '../../src/modules/entitlements/self-check';
import { settle } from './app-harness';
import { ProfileEntitlements } from './modules/entitlements/profile-entitlements';
import type { PersonEntitlements } from './modules/entitlements/types';
import { I18nProvider, LOCALE_KEY } from './i18n';
import { createQueryClient } from './shared/query';

// The profile's 待遇 tab fed with what the server computes from the shipped Nanxun catalogue, so a
// catalogue or engine regression shows here as the officer would see it.
const FILE = 'catalogues/nanxun/2023-10-31.yaml';
const DAYE = 'catalogues/daye/2023-06-30.yaml';
const cat = loadCatalogue(FILE, readFileSync(join(process.cwd(), FILE), 'utf8'));
const PERIOD = '2026-06';
const STANDARDS: ParamOverride[] = Object.entries({
  nx_high_age: 6000,
  nx_longevity_100: 50000,
  nx_service_subsidy: 20000,
  nx_nursing_moderate: 30000,
  nx_nursing_severe: 50000,
  nx_disability_living: 15000,
  nx_disability_nursing: 8000,
  nx_insurer_basic: '某保险公司',
  nx_insurer_80: '某保险公司',
  nx_insurer_hardship: '某保险公司',
}).map(([name, value]) => ({ name, from: '2023-10-31', value, note: 'test', setBy: 'test', setAt: '2023-10-31T00:00:00Z' }));

function personEntitlements(
  c: Catalogue,
  person: { birthDate: string; hardship?: string; [fact: string]: unknown },
  overrides: ParamOverride[],
): PersonEntitlements {
  const params = paramsFor(c, PERIOD, overrides);
  const facts = factBuilder(
    PERIOD,
    () => false,
  )(
    profileSource({
      sex: 'M',
      status: 'active',
      closedOn: null,
      hukouLocal: true,
      hardship: 'none',
      living: [],
      specialFamily: false,
      disabilityGrade: 0,
      disabilityKind: 'none',
      ltcGrade: 'none',
      pensionType: 'none',
      veteranCategory: 'none',
      specialContribution: false,
      medicalInsured: true,
      vagrant: false,
      ...person,
    }),
  );
  const items = c.items.map((i) => ({
    id: i.id,
    no: i.no,
    name: i.name,
    target: i.target,
    kind: i.benefit.kind,
    source: i.source,
    types: i.types,
    rule: i.rule.src,
  }));
  const run = {
    id: 7,
    period: PERIOD,
    status: 'finished' as const,
    previousRunId: null,
    personsTotal: 1,
    personsDone: 1,
    granted: 1,
    changes: 0,
    startedBy: 'admin',
    startedAt: '2026-06-30T00:00:00Z',
    finishedAt: '2026-06-30T00:00:01Z',
    message: null,
  };
  return JSON.parse(
    JSON.stringify({
      jurisdiction: { code: '990101', name: '青溪县', title: c.title },
      decision: { run, explanation: explain(c, PERIOD, params, facts), items },
      now: { ...selfCheck(c, PERIOD, params, facts), items },
      above: [],
    }),
  ) as PersonEntitlements;
}

describe('profile 待遇 tab', () => {
  let root: Root;
  let container: HTMLDivElement;
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal('fetch', fetchMock);
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });

  async function show(data: PersonEntitlements) {
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url === '/api/persons/1/entitlements') return new Response(JSON.stringify(data), { status: 200 });
      return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }), { status: 404 });
    });
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <MemoryRouter>
              <ProfileEntitlements personId="1" />
            </MemoryRouter>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  }

  it('a 65-year-old gets legal aid, and no notarial fee discount of 0 % or a stray "（百分比）"', async () => {
    await show(personEntitlements(cat, { birthDate: '1961-01-15' }, STANDARDS));
    const text = container.textContent ?? '';
    expect(text).not.toMatch(/减免 0%/);
    expect(text).not.toContain('百分比');
    const now = container.querySelector('[data-testid="profile-entitlements-now"]')!.textContent!;
    expect(now).toContain('法律服务（法律援助）');
    expect(now).toContain('有法律服务需求的，依照有关规定给予法律援助');
    expect(now).not.toContain('遗嘱公证费减免');
    expect(now).toContain('城市公共交通费用减免减免优惠减免 50%');
  });

  it('a 72-year-old sees both parts of row 7: legal aid and the notarial fee at half', async () => {
    await show(personEntitlements(cat, { birthDate: '1954-01-15' }, STANDARDS));
    const now = container.querySelector('[data-testid="profile-entitlements-now"]')!.textContent!;
    expect(now).toContain('7. 法律服务（法律援助）');
    expect(now).toContain('7. 法律服务（遗嘱公证费减免）减免优惠减免 50%');
  });

  it('Daye row 9: a 62-year-old is told parks are free and scenic spots half price, as two lines', async () => {
    const daye = loadCatalogue(DAYE, readFileSync(join(process.cwd(), DAYE), 'utf8'));
    await show(personEntitlements(daye, { birthDate: '1964-03-01' }, []));
    const lines = [...container.querySelectorAll('[data-testid="profile-entitlements-now"] .ant-list-item')].map((l) => l.textContent);
    expect(lines).toContain('✓9. 参观公园、人文纪念馆和风景区（公园、纪念性陵园）减免优惠免费');
    expect(lines).toContain('✓9. 参观公园、人文纪念馆和风景区（风景区、博物馆、纪念馆等收费场所）减免优惠减免 50%');
    expect(container.textContent).not.toContain('百分比');
  });

  it('Daye row 19 with no long-term-care record: 需核实, neither granted nor refused, naming the unknown fact', async () => {
    const daye = loadCatalogue(DAYE, readFileSync(join(process.cwd(), DAYE), 'utf8'));
    const params = STANDARDS.concat([
      { name: 'dy_disability_nursing', from: '2023-06-30', value: 10000, note: 'test', setBy: 'test', setAt: '2023-06-30T00:00:00Z' },
    ]);
    await show(personEntitlements(daye, { birthDate: '1960-01-01', disabilityGrade: 2, disabilityKind: 'physical', unknown: ['longTermCare'] }, params));
    const why = container.querySelector('[data-testid="profile-explanation"]')!;
    expect(why.querySelector('[data-testid="verify-summary"]')!.textContent).toBe(
      '需核实：重度残疾人护理补贴（需要长期照护（能力评估为失能，或有长护险失能等级记录））',
    );
    const header = [...why.querySelectorAll('.ant-collapse-header')].find((h) => h.textContent!.includes('19. 重度残疾人护理补贴'))!;
    expect(header.textContent).toContain('待核实');
    expect(header.textContent).not.toContain('✗');
    const now = container.querySelector('[data-testid="profile-entitlements-now"]')!.textContent!;
    expect(now).not.toContain('重度残疾人护理补贴');
    // inside: the rule and its unknown condition read ？未知, the fact's value 未知
    await act(async () => (header as HTMLElement).click());
    await settle();
    const item = why.querySelector('[data-testid="why-dy-19"]')!.textContent!;
    expect(item).toContain('？未知');
    expect(item).toContain('需要长期照护（能力评估为失能，或有长护险失能等级记录） = 未知');
    expect(why.querySelector('[data-testid="why-verify-dy-19"]')!.textContent).toContain('需核实');
  });

  it('a standard set to 0 is shown as not granted, with the reason', async () => {
    const zero = STANDARDS.map((o) => (o.name === 'nx_service_subsidy' ? { ...o, value: 0 } : o));
    await show(personEntitlements(cat, { birthDate: '1950-01-15', hardship: 'dibao' }, zero));
    const now = container.querySelector('[data-testid="profile-entitlements-now"]')!.textContent!;
    expect(now).not.toContain('养老服务补贴');
    expect(container.textContent).not.toMatch(/(?<![0-9])0\.00 元\/月/);
    // the explanation lists every item once "only granted" is off: 养老服务补贴 ✗ with "标准为 0"
    const toggle = container.querySelector<HTMLButtonElement>('[data-testid="why-only-granted"]')!;
    await act(async () => toggle.click());
    const header = [...container.querySelectorAll('[data-testid="profile-explanation"] .ant-collapse-header')].find((h) =>
      h.textContent!.includes('15. 养老服务补贴'),
    )!;
    expect(header.textContent).toContain('✗');
    expect(header.textContent).toContain('标准为 0');
    await act(async () => (header as HTMLElement).click());
    await settle();
    expect(container.querySelector('[data-testid="why-zero-nx-15"]')!.textContent).toContain('不计为享受');
  });
});
