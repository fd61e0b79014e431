import '@ant-design/v5-patch-for-react-19';
import { useEffect, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useI18n } from './i18n-core';

/**
 * Ant Design's frame (theme, locale, App for message/modal) and dayjs's locale, around every page
 * that uses antd. It is a chunk of its own, with antd: the login page needs neither, so a phone's
 * cold load fetches them only after (or, prefetched, while) the user logs in (issue 14).
 */
export function AntdFrame({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  useEffect(() => {
    dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  }, [locale]);
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#c0392b' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
