import type { ReactNode } from 'react';
import { ConfigProvider } from 'antd';

/**
 * The public pages' colours (R12, WCAG 2 AA): antd's link blue (#1677ff, 4.1:1 on white) and its
 * secondary and description greys (45 % black, about 4:1 on the pages' beige) fall short of the
 * 4.5:1 that text needs; here they are a dark blue and a dark grey (above 7:1). Plain links (the
 * router's) take the same blue. Wraps every public page that uses antd.
 */
const LINK = '#0b4f9c';
const MUTED = '#4a4a4a';
const CSS = `.yy-public a:not(.ant-btn){color:${LINK}}.yy-public a:not(.ant-btn):hover{color:#073a75}`;

export function PublicTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider
      theme={{
        token: {
          colorLink: LINK,
          colorLinkHover: '#073a75',
          colorTextSecondary: MUTED,
          colorTextDescription: MUTED,
          colorTextTertiary: MUTED,
          colorTextPlaceholder: '#5c5c5c',
        },
      }}
    >
      <style>{CSS}</style>
      <div className="yy-public">{children}</div>
    </ConfigProvider>
  );
}
