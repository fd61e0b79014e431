// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { appHarness, settle } from './app-harness';
import type { SettingsReply } from '../../src/modules/settings/settings.schema';

const reply: SettingsReply = {
  jurisdiction: { code: '990101', name: '青溪县' },
  items: [
    {
      name: 'catalogue',
      label: { zh: '在用服务清单', en: 'Catalogue in force' },
      description: { zh: '本地区执行的清单', en: 'The catalogue' },
      value: 'nanxun',
      isInitial: true,
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
});
