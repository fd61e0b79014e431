// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { AuthProvider } from '../../shared/auth';
import { createQueryClient } from '../../shared/query';
import { CURRENT_VERSION, INSTRUMENTS } from '../../../../src/modules/assessment/instrument/index';
import { AssessmentFormPage } from './form';
import { emptyForm, toDraft } from './form-state';
import { listDrafts, loadDraft, memoryStoreForTests, saveDraft, sendDraft } from './offline';

const DATA = INSTRUMENTS[CURRENT_VERSION]!;
const me = {
  user: { id: 7, username: 'assessor1', displayName: '城关街道评估员', role: 'assessor', regionCode: '990101001', regionName: '城关街道' },
  actions: ['assessments.read', 'assessments.write'],
  csrfToken: 'x',
};
const person = {
  person: { id: 5, name: '王一', sex: '女', birthDate: '1940-05-06', age: 86, idMasked: '990101********0023', regionName: '一村', townName: '城关街道' },
};
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

/** A view as the server answers a sync: what the outbox reads back (id, version). */
const viewOf = (id: number, version: number) => ({ id, version, clientId: 'c', status: 'draft' });

describe('the assessment form on a tablet', () => {
  let root: Root;
  let container: HTMLDivElement;
  const posts: { url: string; body: Record<string, unknown> }[] = [];
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    memoryStoreForTests();
    posts.length = 0;
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') posts.push({ url, body: JSON.parse(String(init.body)) });
        if (url === '/api/auth/me') return json(me);
        if (url === '/api/persons/5') return json(person);
        if (url === '/api/assessors') return json({ items: [{ id: 8, name: '评估员乙', regionCode: '990101', regionName: '城关街道' }] });
        if (url.startsWith('/api/assessments?')) return json({ items: [], total: 0, page: 1, pageSize: 20 });
        return json({ error: { code: 'NOT_FOUND', message: '未找到', details: null } }, 404);
      }),
    );
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  const show = async (path: string) => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <AuthProvider>
              <AntApp>
                <MemoryRouter initialEntries={[path]}>
                  <Routes>
                    <Route path="/assessments/new" element={<AssessmentFormPage />} />
                  </Routes>
                </MemoryRouter>
              </AntApp>
            </AuthProvider>
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };
  const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const tap = async (id: string) => {
    const el = byTestId(id);
    expect(el, id).toBeTruthy();
    await act(async () => el!.click());
    await settle();
  };

  it('shows the standard’s options as buttons, keeps every tap on the device, and runs the sub-totals, total and level with the one scorer', async () => {
    await show('/assessments/new?personId=5');
    expect(byTestId('af-person')?.textContent).toContain('王一');
    expect(byTestId('af-total')?.textContent).toContain('0 / 90');
    const b1 = DATA.indicators[0]!;
    await tap(`af-step-${b1.code}`);
    // every option of 进食 is a button carrying the standard's wording
    const eating = b1.items[0]!;
    for (const o of eating.options) expect(byTestId(`opt-${eating.code}-${o.score}`)?.textContent).toContain(o.zh);
    expect(byTestId(`af-item-${eating.code}`)?.textContent).toContain('未评');
    await tap(`opt-${eating.code}-4`);
    await tap(`opt-${b1.items[1]!.code}-3`);
    expect(byTestId(`af-subtotal-${b1.code}`)?.textContent).toContain(`7 / ${b1.max}`);
    expect(byTestId('af-total')?.textContent).toContain('7 / 90');
    expect(byTestId(`af-item-${eating.code}`)?.textContent).not.toContain('未评');
    // the tap is on the device at once, under its own clientId, not yet on the server
    const drafts = await listDrafts(7);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.draft.answers).toMatchObject({ [eating.code]: 4, [b1.items[1]!.code]: 3 });
    expect(drafts[0]!.draft.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(drafts[0]!.draft.baseVersion).toBeNull();
  });

  it('names the C.4 adjustment on the summary (a dementia diagnosis raises 能力完好 one level) and refuses to submit without the second assessor and the signatures', async () => {
    await show('/assessments/new?personId=5');
    // every item at its highest score: 能力完好 before the adjustments
    for (const ind of DATA.indicators) {
      await tap(`af-step-${ind.code}`);
      for (const item of ind.items) await tap(`opt-${item.code}-${Math.max(...item.options.map((o) => o.score))}`);
    }
    await tap('af-step-basic');
    await tap('af-dementia-yes');
    await tap('af-step-summary');
    const summary = byTestId('af-summary')!.textContent!;
    expect(summary).toContain('90 / 90');
    expect(summary).toContain('确诊痴呆或其他精神和行为障碍：在初步等级上提高一级');
    expect(byTestId('af-summary-final')?.textContent).toBe('轻度失能');
    // not submitted without what the standard requires: the list says what is missing
    await tap('af-submit');
    expect(byTestId('af-missing')?.textContent).toContain('第二评估员');
    expect(byTestId('af-missing')?.textContent).toContain('评估员签名');
    expect(posts.filter((p) => p.url.endsWith('/submit'))).toEqual([]);
  });
});

describe('the outbox', () => {
  beforeEach(() => memoryStoreForTests());
  afterEach(() => vi.unstubAllGlobals());

  const stored = async (clientId: string) => {
    const form = { ...emptyForm(5), answers: { 'B.1.1': 4 } };
    await saveDraft({
      clientId,
      userId: 7,
      draft: toDraft(form, clientId, null, CURRENT_VERSION),
      person: { name: '王一', idMasked: 'x', age: 86 },
      serverId: null,
      serverVersion: null,
      submitQueued: false,
    });
  };

  it('sends a draft whole; a reply lost on the way back is sent again and merged; nothing unchanged is sent twice', async () => {
    const clientId = '3b0c4c1e-8a47-4c59-9f0e-1d2a3b4c5d6e';
    await stored(clientId);
    let calls = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        calls++;
        const body = JSON.parse(String(init?.body ?? '{}')) as { clientId?: string; baseVersion?: number | null };
        expect(url).toBe('/api/assessments/sync');
        expect(body).toMatchObject({ clientId, baseVersion: null });
        // the first reply is lost (the server had it); the second is the server's merge
        if (calls === 1) throw new TypeError('Failed to fetch');
        return json({ outcome: 'unchanged', assessment: viewOf(41, 1) });
      }),
    );
    expect(await sendDraft(7, clientId)).toBe('offline');
    expect((await loadDraft(7, clientId))!.state).toBe('local');
    expect(await sendDraft(7, clientId)).toBe('sent');
    expect(await loadDraft(7, clientId)).toMatchObject({ state: 'synced', serverId: 41, serverVersion: 1 });
    expect(await sendDraft(7, clientId)).toBe('unchanged');
    expect(calls).toBe(2);
  });

  it('keeps a stale edit as a conflict (the server recorded it), shown and never sent again over the server’s version', async () => {
    const clientId = '4b0c4c1e-8a47-4c59-9f0e-1d2a3b4c5d6e';
    await stored(clientId);
    const fetchMock = vi.fn(async (url: string) => {
      if (url === '/api/assessments/sync')
        return json(
          { error: { code: 'ASSESSMENT_STALE', message: '该修改基于第 1 版，而评估现为第 2 版', details: { conflictId: 3, serverVersion: 2 } } },
          409,
        );
      return json({ items: [{ id: 41, clientId }], total: 1, page: 1, pageSize: 200 });
    });
    vi.stubGlobal('fetch', fetchMock);
    expect(await sendDraft(7, clientId)).toBe('conflict');
    expect(await loadDraft(7, clientId)).toMatchObject({ state: 'conflict', serverId: 41 });
    const before = fetchMock.mock.calls.length;
    expect(await sendDraft(7, clientId)).toBe('conflict');
    expect(fetchMock.mock.calls.length).toBe(before);
  });
});
