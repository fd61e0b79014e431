// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { factInfos } from '../../src/modules/catalogue/facts';
import type { FactsReply } from '../../src/modules/catalogue/facts.schema';
import { profileSchema } from '../../src/modules/catalogue/profile';
import { tagInfos } from '../../src/modules/register/tags';
import { settle } from './app-harness';
import { SelfCheckForm, toProfile, type SelfCheckFields } from './modules/self-check/self-check-form';
import { I18nProvider, LOCALE_KEY } from './i18n';
import { createQueryClient } from './shared/query';

// The public self-check form is built at run time from GET /api/facts (the server's fact
// declarations): what it sends the profile schema accepts, a fact the person does not know is sent
// as unknown, not as "no", and a fact the server adds is asked with no console change.
const served: FactsReply = JSON.parse(JSON.stringify({ facts: factInfos(), tags: tagInfos() })) as FactsReply;
const newFact = {
  name: 'scratchFlag',
  type: 'bool',
  label: '临时标志',
  labelEn: 'scratch flag',
  values: null,
  owner: 'register',
  unknown: false,
  ask: true,
  default: false,
  unknownWith: [],
} as const satisfies FactsReply['facts'][number];

describe('self-check form', () => {
  let root: Root;
  let container: HTMLDivElement;
  let reply: FactsReply;
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    reply = served;
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (url) =>
      String(url) === '/api/facts'
        ? new Response(JSON.stringify(reply), { status: 200, headers: { 'Content-Type': 'application/json' } })
        : new Response('{}', { status: 404 }),
    );
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
  const render = async () => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <SelfCheckForm busy={false} onSubmit={() => undefined} />
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };

  it('asks every yes/no fact GET /api/facts declares with its label, the new ones included', async () => {
    await render();
    expect(fetchMock.mock.calls.map(([u]) => String(u))).toContain('/api/facts');
    const asked = served.facts.filter((f) => f.ask && f.type === 'bool');
    expect(asked.map((f) => f.name)).toContain('activeServiceFamily');
    for (const f of asked) expect(container.querySelector(`[data-testid="sc-${f.name}"]`), f.name).not.toBeNull();
    expect(container.textContent).toContain('现役军人家属');
    // selects for the enum facts, the LTC grade among them (its options offer 不清楚)
    expect(container.querySelector('[data-testid="sc-ltcGrade"]')).not.toBeNull();
  });

  it('asks a fact the server adds, labelled in the console’s language (zh by default, en when switched)', async () => {
    reply = { ...served, facts: [...served.facts, newFact] };
    await render();
    expect(container.querySelector('[data-testid="sc-scratchFlag"]')).not.toBeNull();
    expect(container.textContent).toContain('临时标志');
    act(() => root.unmount());
    root = createRoot(container);
    localStorage.setItem(LOCALE_KEY, 'en');
    await render();
    expect(container.textContent).toContain('scratch flag');
    expect(container.textContent).toContain('family of a serving soldier');
    expect(container.textContent).not.toContain('现役军人家属');
  });

  it('不清楚 for the LTC grade sends the grade, 失能程度 and 需要长期照护 as unknown; the profile schema takes what the form sends', () => {
    const fields = { birthDate: dayjs('1950-03-01'), sex: 'M', living: [], disabilityGrade: 2, ltcGrade: '__unknown' } as unknown as SelfCheckFields;
    const p = toProfile(fields, served.facts);
    expect(p.unknown).toEqual(['ltcGrade', 'disablement', 'longTermCare']);
    const parsed = profileSchema.parse(p) as Record<string, unknown>;
    expect(parsed.ltcGrade).toBe('none');
    expect(parsed.unknown).toEqual(['ltcGrade', 'disablement', 'longTermCare']);
    expect(parsed.disabilityGrade).toBe(2);
    const known = profileSchema.parse(toProfile({ ...fields, ltcGrade: 'severe' } as unknown as SelfCheckFields, served.facts)) as Record<string, unknown>;
    expect(known.unknown).toEqual([]);
    expect(known.ltcGrade).toBe('severe');
  });
});
