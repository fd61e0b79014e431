import { useRef, useState } from 'react';
import type { SelfCheckResult } from '../entitlements/types';
import { Alert, Card, ConfigProvider, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';
import { PublicTheme } from '../public/theme';
import { SelfCheckAnswer } from './self-check-answer';
import type { SelfCheckProfile } from '../catalogue/types';
import { SelfCheckForm } from './self-check-form';
import { useSelfCheck } from './api';
import { PlacePicker, usePlace, usePlaceChosen } from '../public/place';

/**
 * 养老顾问 (public, no login): anyone describes an older person's situation and sees which
 * catalogue services apply, why, and what would change them. The server stores nothing of it.
 */
export function SelfCheckPage() {
  const { t } = useI18n();
  const check = useSelfCheck();
  // each county its own catalogue: the place comes first where the platform holds several
  const [place, setPlace] = usePlace();
  const chosen = usePlaceChosen(place);
  const busy = check.isPending;
  const error = check.error?.message ?? null;
  // the last answer stays shown while another is asked for, and after a refused one
  const [result, setResult] = useState<SelfCheckResult | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const submit = (profile: SelfCheckProfile) => {
    check.mutate(place ? { ...profile, place } : profile, {
      onSuccess: (r) => {
        setResult(r);
        setTimeout(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
      },
    });
  };

  return (
    <PublicTheme>
      {/* the public pages' large type (18 px, as the portal's): an elder or a relative reads it on a phone */}
      <ConfigProvider theme={{ token: { fontSize: 18, fontSizeSM: 16, controlHeight: 44 } }}>
        <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '16px 8px', fontSize: 18 }} data-testid="self-check">
          <div style={{ maxWidth: 860, margin: '0 auto' }}>
            <Card style={{ marginBottom: 12 }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
                <Typography.Title level={4} style={{ margin: 0, flex: '1 1 240px' }}>
                  {t('sc.title')}
                </Typography.Title>
                <LangSwitch size="large" />
              </div>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                {t('sc.intro')}
              </Typography.Paragraph>
              <Alert type="info" showIcon message={t('sc.privacy')} style={{ marginBottom: 16 }} data-testid="sc-privacy" />
              <PlacePicker
                value={place}
                onChange={(code) => {
                  setPlace(code);
                  setResult(null);
                }}
              />
              {chosen && <SelfCheckForm busy={busy} onSubmit={submit} />}
              {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="sc-error" />}
            </Card>
            {result && (
              <div ref={resultRef}>
                <SelfCheckAnswer result={result} />
              </div>
            )}
            <Space style={{ width: '100%', justifyContent: 'center' }} size="large">
              <Link to="/public" data-testid="sc-home">
                {t('sc.home')}
              </Link>
              <Link to="/login">{t('sc.login')}</Link>
            </Space>
          </div>
        </div>
      </ConfigProvider>
    </PublicTheme>
  );
}
