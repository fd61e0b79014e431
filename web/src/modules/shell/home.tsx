import { Descriptions, Result } from 'antd';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { label, roleLabels } from '../../shared/labels';

/** The workbench of roles whose modules come in later releases. */
export function HomePage() {
  const { user } = useAuth();
  const { t, locale } = useI18n();
  if (!user) return null;
  return (
    <div data-testid="home">
      <Result status="info" title={`${t('menu.home')} · ${t('home.welcome', { name: user.displayName })}`} subTitle={t('home.coming')} />
      <Descriptions bordered column={1} style={{ maxWidth: 480, margin: '0 auto' }}>
        <Descriptions.Item label={t('home.role')}>{label(roleLabels, user.role, locale)}</Descriptions.Item>
        <Descriptions.Item label={t('home.region')}>{user.regionName}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
