import { Segmented } from 'antd';
import { useI18n, type Locale } from './i18n-core';

/** 中文 / English; the choice is kept in localStorage ('yy.locale'). */
export function LangSwitch({ size }: { size?: 'small' | 'middle' | 'large' }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <span data-testid="lang-switch">
      <Segmented<Locale>
        size={size}
        value={locale}
        onChange={(v) => setLocale(v)}
        options={[
          { label: t('lang.zh'), value: 'zh-CN' },
          { label: t('lang.en'), value: 'en' },
        ]}
      />
    </span>
  );
}
