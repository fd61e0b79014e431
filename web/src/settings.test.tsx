// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { SettingsReply } from '../../src/modules/settings/settings.schema';

const reply: SettingsReply = {
  jurisdiction: { code: '990101', name: '青溪县', level: 'county' },
  jurisdictions: [{ code: '990101', name: '青溪县', level: 'county' }],
  items: [
    {
      name: 'catalogue',
      label: { zh: '在用服务清单', en: 'Catalogue in force' },
      description: { zh: '本地区执行的清单', en: 'The catalogue' },
      value: 'nanxun',
      isInitial: true,
      inheritedFrom: null,
      setBy: null,
      setAt: null,
      note: null,
      choices: [
        { value: 'daye', label: { zh: '大冶市基本养老服务清单（daye，2023-06-30 版）', en: '大冶市基本养老服务清单 (daye, version of 2023-06-30)' } },
        { value: 'nanxun', label: { zh: '南浔区基本养老服务清单（nanxun，2023-10-31 版）', en: '南浔区基本养老服务清单 (nanxun, version of 2023-10-31)' } },
      ],
    },
  ],
};

describe('系统设置', () => {
  const h = appHarness('/settings');

  it("lists the jurisdiction's settings with their values, and is in the menu of those who may change them", async () => {
    h.fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url.startsWith('/api/auth/me')) {
        return new Response(
          JSON.stringify({
            user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
            actions: ['settings.manage'],
            csrfToken: 'x',
          }),
        );
      }
      if (url.startsWith('/api/settings')) return new Response(JSON.stringify(reply));
      return new Response(JSON.stringify({ items: [], total: 0 }));
    });
    await h.render();
    await settle();
    const page = h.container.querySelector('[data-testid="settings-page"]')!;
    expect(page.textContent).toContain('青溪县的设置');
    expect(page.textContent).toContain('在用服务清单');
    // the value is shown by its choice's label, not as a bare folder name
    expect(page.querySelector('[data-testid="setting-value-catalogue"]')?.textContent).toBe('南浔区基本养老服务清单（nanxun，2023-10-31 版）');
    expect(page.textContent).toContain('部署默认');
    expect(h.container.querySelector('[data-testid="nav-menu"]')?.textContent).toContain('系统设置');
    // adjusting it is a choice among the catalogues, not a text box
    await act(async () => (page.querySelector('[data-testid="setting-edit-catalogue"]') as HTMLElement).click());
    await settle();
    expect(document.querySelector('.ant-modal .ant-select')).not.toBeNull();
    expect(document.querySelector('.ant-modal input.ant-input[data-testid="setting-value"]')).toBeNull();
    expect(document.querySelector('.ant-modal .ant-select-selection-item')?.textContent).toBe('南浔区基本养老服务清单（nanxun，2023-10-31 版）');
  });

  it('adjusts a setting whose value is a structure (the visit plans) as indented JSON, sent as an object; a value that is not JSON is refused on the page', async () => {
    const plans = { plans: [{ key: 'weekly_high_risk', rule: 'age >= 80 && livingAlone', frequency: 'weekly' }], week: 'calendar', escalateAfter: 2 };
    const structured: SettingsReply = {
      jurisdiction: reply.jurisdiction,
      jurisdictions: reply.jurisdictions,
      items: [
        {
          name: 'visit_plans',
          label: { zh: '探访关爱计划', en: 'Visit plans' },
          description: { zh: '探访对象、频次与方式', en: 'Who is visited, how often and how' },
          value: plans,
          isInitial: true,
          inheritedFrom: null,
          setBy: null,
          setAt: null,
          note: null,
          choices: null,
        },
      ],
    };
    const posted: unknown[] = [];
    let refuseNext = false;
    h.fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.startsWith('/api/auth/me')) {
        return new Response(
          JSON.stringify({
            user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'bureau_admin', regionCode: '990101', regionName: '青溪县' },
            actions: ['settings.manage'],
            csrfToken: 'x',
          }),
        );
      }
      if (url.startsWith('/api/settings/') && init?.method && init.method !== 'GET') {
        posted.push(JSON.parse(String(init.body)));
        if (refuseNext) {
          refuseNext = false;
          return new Response(
            JSON.stringify({ error: { code: 'SETTING_INVALID', message: '探访关爱计划的取值有误：escalateAfter 须为 1 到 10 的整数', details: null } }),
            { status: 400 },
          );
        }
        return new Response(JSON.stringify(structured.items[0]));
      }
      if (url.startsWith('/api/settings')) return new Response(JSON.stringify(structured));
      return new Response(JSON.stringify({ items: [], total: 0 }));
    });
    await h.render();
    await settle();
    // the list shows a short summary of the structure in words (its count of parameters), not a
    // squashed JSON blob nor the file's field names (the city trial read "plans: 1 项 · week:
    // calendar · escalateAfter: 2"); the full JSON is on hover
    const listed = h.container.querySelector('[data-testid="setting-value-visit_plans"]')!;
    expect(listed.textContent).toBe('3 项参数');
    expect(listed.textContent).not.toMatch(/[{}]|plans|week|escalateAfter|calendar/);
    await act(async () => listed.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })));
    await settle();
    await act(async () => new Promise((r) => setTimeout(r, 200)));
    expect(document.querySelector('.ant-tooltip pre')?.textContent).toBe(JSON.stringify(plans, null, 2));
    await act(async () => (document.querySelector('[data-testid="setting-edit-visit_plans"]') as HTMLElement).click());
    await settle();
    const box = document.querySelector('.ant-modal textarea[data-testid="setting-value"]') as HTMLTextAreaElement | null;
    expect(box, 'a structure is edited in a text area').not.toBeNull();
    expect(box!.value).toBe(JSON.stringify(plans, null, 2));
    const typeText = (el: Element, value: string) => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    typeText(document.querySelector('.ant-modal [data-testid="setting-note"]')!, '按本地口径调整');
    // not JSON: refused on the page, nothing sent
    typeText(box!, '{ plans: ');
    await act(async () => (document.querySelector('[data-testid="setting-save"]') as HTMLElement).click());
    await settle();
    // in our own words only: not the engine's English ("Unexpected end of JSON input", "Expected property name …")
    const fieldError = () => document.querySelector('.ant-modal .ant-form-item-explain-error')?.textContent ?? null;
    expect(fieldError()).toBe('取值不是有效的 JSON，请检查括号和引号');
    expect(document.querySelector('.ant-modal')?.textContent).not.toMatch(/Unexpected|Expected|position|JSON input/);
    expect(posted).toEqual([]);
    // valid JSON the server refuses: its error is shown once, above the form
    refuseNext = true;
    typeText(box!, JSON.stringify({ ...plans, escalateAfter: 99 }, null, 2));
    await act(async () => (document.querySelector('[data-testid="setting-save"]') as HTMLElement).click());
    await settle();
    expect(posted).toHaveLength(1);
    expect(document.querySelector('[data-testid="setting-error"]')?.textContent).toContain('escalateAfter 须为 1 到 10 的整数');
    // editing again clears it: the server's earlier answer does not stay beside a new inline error
    typeText(box!, '{ plans: ');
    await settle();
    expect(document.querySelector('[data-testid="setting-error"]')).toBeNull();
    // refused again on the page: only the inline error, not the stale server error
    await act(async () => (document.querySelector('[data-testid="setting-save"]') as HTMLElement).click());
    await settle();
    expect(fieldError()).toBe('取值不是有效的 JSON，请检查括号和引号');
    expect(document.querySelector('[data-testid="setting-error"]')).toBeNull();
    expect(posted).toHaveLength(1);
    posted.length = 0;
    // JSON: sent as the object it reads
    const changed = { ...plans, escalateAfter: 3 };
    typeText(box!, JSON.stringify(changed, null, 2));
    await act(async () => (document.querySelector('[data-testid="setting-save"]') as HTMLElement).click());
    await settle();
    expect(posted).toEqual([{ value: changed, note: '按本地口径调整' }]);
  });
});
