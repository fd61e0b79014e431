import '@ant-design/v5-patch-for-react-19';
import { useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useI18n } from './i18n-core';

const REDUCE = '(prefers-reduced-motion: reduce)';
const reduceQuery = () => window.matchMedia(REDUCE);
function onReduceChange(notify: () => void) {
  const q = reduceQuery();
  q.addEventListener('change', notify);
  return () => q.removeEventListener('change', notify);
}
/** Whether the system asks for reduced motion (WCAG 2.3.3), following it while the page is open. */
const useReducedMotion = () => useSyncExternalStore(onReduceChange, () => reduceQuery().matches);

/**
 * Ant Design's frame (theme, locale, App for message/modal) and dayjs's locale, around every page
 * that uses antd. It is a chunk of its own, with antd: the login page needs neither, so a phone's
 * cold load fetches them only after (or, prefetched, while) the user logs in (issue 14). Its
 * animations (a dialog zooming in, a list sliding down) are off where the system asks for reduced
 * motion, as the alarm console's blinking row is.
 */
export function AntdFrame({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  const reduced = useReducedMotion();
  useEffect(() => {
    dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  }, [locale]);
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#c0392b', motion: !reduced } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
