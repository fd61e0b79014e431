// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { factInfos } from '../../../../src/modules/catalogue/facts';
import type { FactsReply } from '../../../../src/modules/catalogue/facts.schema';
import { tagInfos } from '../../../../src/modules/register/tags';
import { settle } from '../../app-harness';
import { I18nProvider, LOCALE_KEY } from '../../i18n';
import { createQueryClient } from '../../shared/query';
import { PersonTags } from './person-tags';

// A person's tags are labelled from GET /api/facts (the server derives them from the fact
// declarations): a tag a newly declared flag gives is named on rows with no console change.
describe('person tags in the register', () => {
  let root: Root;
  let container: HTMLDivElement;
  const reply: FactsReply = {
    facts: factInfos(),
    tags: [...tagInfos(), { key: 'scratch_flag', fact: 'scratchFlag', label: '临时标志', labelEn: 'Scratch flag' }],
  };
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (url) =>
        String(url) === '/api/facts' ? new Response(JSON.stringify(reply), { status: 200 }) : new Response('{}', { status: 404 }),
      ),
    );
    container = document.createElement('div');
    document.body.appendChild(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });
  const render = async (tags: string[]) => {
    await act(async () =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <I18nProvider>
            <PersonTags tags={tags} />
          </I18nProvider>
        </QueryClientProvider>,
      ),
    );
    await settle();
  };

  it('names each tag as the server declares it, in zh by default', async () => {
    await render(['living_alone', 'active_service_family', 'scratch_flag', 'age90']);
    expect([...container.querySelectorAll('.ant-tag')].map((t) => t.textContent)).toEqual(['独居', '现役军人家属', '临时标志', '90岁以上']);
  });

  it('and in English when the console is switched', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await render(['dibao', 'scratch_flag']);
    expect([...container.querySelectorAll('.ant-tag')].map((t) => t.textContent)).toEqual(['Dibao (minimum living allowance)', 'Scratch flag']);
  });
});
