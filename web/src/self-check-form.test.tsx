// @vitest-environment jsdom
import dayjs from 'dayjs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECLARATIONS } from '../../src/modules/catalogue/declarations';
import { profileSchema } from '../../src/modules/catalogue/profile';
import { settle } from './app-harness';
import { SelfCheckForm, toProfile, type SelfCheckFields } from './modules/self-check/self-check-form';
import { I18nProvider, LOCALE_KEY } from './i18n';

// The public self-check form is built from the fact declarations: what it sends the profile schema
// accepts, and a fact the person does not know is sent as unknown, not as "no".
describe('self-check form', () => {
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

  it('asks every declared yes/no fact with its label, the new ones included', async () => {
    await act(async () => root.render(<I18nProvider><SelfCheckForm busy={false} onSubmit={() => undefined} /></I18nProvider>));
    await settle();
    const asked = DECLARATIONS.filter((d) => d.ask && d.profile && d.type.t === 'bool');
    expect(asked.map((d) => d.name)).toContain('activeServiceFamily');
    for (const d of asked) expect(container.querySelector(`[data-testid="sc-${d.name}"]`), d.name).not.toBeNull();
    expect(container.textContent).toContain('现役军人家属');
    // selects for the enum facts, the LTC grade among them (its options offer 不清楚)
    expect(container.querySelector('[data-testid="sc-ltcGrade"]')).not.toBeNull();
  });

  it('不清楚 for the LTC grade sends 需要长期照护 as unknown; the profile schema takes what the form sends', () => {
    const fields = { birthDate: dayjs('1950-03-01'), sex: 'M', living: [], disabilityGrade: 2, ltcGrade: '__unknown' } as unknown as SelfCheckFields;
    const p = toProfile(fields);
    expect(p.unknown).toEqual(['longTermCare']);
    const parsed = profileSchema.parse(p) as Record<string, unknown>;
    expect(parsed.ltcGrade).toBe('none');
    expect(parsed.unknown).toEqual(['longTermCare']);
    expect(parsed.disabilityGrade).toBe(2);
    const known = profileSchema.parse(toProfile({ ...fields, ltcGrade: 'severe' } as unknown as SelfCheckFields)) as Record<string, unknown>;
    expect(known.unknown).toEqual([]);
    expect(known.ltcGrade).toBe('severe');
  });
});
