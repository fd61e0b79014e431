import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';
import { PublicTheme } from '../public/theme';
import { useTrack } from './api';
import type { TrackReply } from './types';
import { PositionHistory, WhyPlaced } from './why';

/**
 * 轮候查询 (public, no login): the family types the code on the receipt and sees the place in the
 * queue, why, and every change with its reason — the applicant only as a masked surname.
 */
export function TrackPage() {
  const { t } = useI18n();
  const track = useTrack();
  const [code, setCode] = useState('');
  const [result, setResult] = useState<TrackReply | null>(null);
  const submit = () => {
    if (!code.trim()) return;
    track.mutate(code.trim(), { onSuccess: setResult, onError: () => setResult(null) });
  };
  const bed = (b: TrackReply['bedType']) => t(`adm.bed.${b}`);
  return (
    <PublicTheme>
      <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '16px 8px' }} data-testid="adm-track">
        <div style={{ maxWidth: 760, margin: '0 auto' }}>
          <Card style={{ marginBottom: 12 }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
              <Typography.Title level={4} style={{ margin: 0, flex: '1 1 240px' }}>
                {t('trk.title')}
              </Typography.Title>
              <LangSwitch size="small" />
            </div>
            <Typography.Paragraph type="secondary">{t('trk.intro')}</Typography.Paragraph>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                size="large"
                aria-label={t('trk.code')}
                placeholder={t('trk.placeholder')}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                onPressEnter={submit}
                autoComplete="off"
                data-testid="trk-code"
              />
              <Button size="large" type="primary" loading={track.isPending} onClick={submit} data-testid="trk-search">
                {t('trk.search')}
              </Button>
            </Space.Compact>
            {track.error && <Alert type="warning" showIcon message={track.error.message} style={{ marginTop: 12 }} data-testid="trk-error" />}
          </Card>
          {result && (
            <Card style={{ marginBottom: 12 }} data-testid="trk-result">
              <Descriptions size="middle" column={{ xs: 1, sm: 2 }}>
                <Descriptions.Item label={t('trk.applicant')}>{result.maskedName}</Descriptions.Item>
                <Descriptions.Item label={t('trk.facility')}>
                  {result.facilityName} · {bed(result.bedType)}
                </Descriptions.Item>
                <Descriptions.Item label={t('trk.position')}>
                  <Typography.Text strong style={{ fontSize: 22 }} data-testid="trk-position">
                    {result.position === null ? `${t('trk.noPosition')} · ${t(`adm.status.${result.status}`)}` : t('trk.positionN', { n: result.position })}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('trk.applied')}>{result.appliedOn}</Descriptions.Item>
              </Descriptions>
              <Typography.Title level={5}>{t('adm.why')}</Typography.Title>
              <WhyPlaced why={result.why} />
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('adm.history')}
              </Typography.Title>
              <PositionHistory history={result.history} />
            </Card>
          )}
          <Space style={{ width: '100%', justifyContent: 'center' }}>
            <Link to="/login">{t('trk.login')}</Link>
          </Space>
        </div>
      </div>
    </PublicTheme>
  );
}
