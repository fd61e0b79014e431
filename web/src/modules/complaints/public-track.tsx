import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Input, Space, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import type { MessageKey } from '../../shared/i18n-core';
import { useI18n } from '../../shared/i18n-core';
import { useTrack } from './api';
import { BIG, PublicFrame } from './public-form';

/** 查询进度 (public, no login): the complaint's status, dates, deadline, unit and reply — nothing else. */
export function PublicTrackPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [number, setNumber] = useState(params.get('n') ?? '');
  const track = useTrack();
  const r = track.data;
  useEffect(() => {
    if (params.get('n')) track.mutate(params.get('n')!);
    // only the number the page was opened with
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <PublicFrame title={t('cp.track.title')} testId="cp-track">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (number.trim()) track.mutate(number.trim());
        }}
      >
        <Space.Compact style={{ width: '100%' }}>
          <Input
            size="large"
            aria-label={t('cp.track.number')}
            placeholder={t('cp.track.placeholder')}
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            data-testid="cp-track-input"
            style={BIG}
          />
          <Button size="large" type="primary" htmlType="submit" loading={track.isPending} data-testid="cp-track-go">
            {t('cp.track.go')}
          </Button>
        </Space.Compact>
      </form>
      {track.error && <Alert type="warning" showIcon message={track.error.message} style={{ marginTop: 12, ...BIG }} data-testid="cp-track-error" />}
      {r && !track.error && (
        <div data-testid="cp-track-result" style={{ marginTop: 16 }}>
          <Descriptions column={1} bordered size="middle" labelStyle={BIG} contentStyle={BIG}>
            <Descriptions.Item label={t('cp.track.status')}>
              <strong data-testid="cp-track-status">{t(`cp.status.${r.status}` as MessageKey)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('cp.col.category')}>{t(`cp.cat.${r.category}` as MessageKey)}</Descriptions.Item>
            <Descriptions.Item label={t('cp.track.received')}>{r.receivedOn}</Descriptions.Item>
            <Descriptions.Item label={t('cp.track.due')}>{r.dueOn}</Descriptions.Item>
            {r.repliedOn && <Descriptions.Item label={t('cp.track.replied')}>{r.repliedOn}</Descriptions.Item>}
            {r.closedOn && <Descriptions.Item label={t('cp.track.closed')}>{r.closedOn}</Descriptions.Item>}
            <Descriptions.Item label={t('cp.track.unit')}>{r.unit}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={4} style={{ marginTop: 16 }}>
            {t('cp.track.reply')}
          </Typography.Title>
          {/* the reply is text: rendered as text, never as markup */}
          <div data-testid="cp-track-reply" style={{ whiteSpace: 'pre-wrap', background: '#f6ffed', padding: 12, borderRadius: 8, fontSize: 20 }}>
            {r.reply ?? t('cp.track.noReply')}
          </div>
        </div>
      )}
      <Space direction="vertical" style={{ width: '100%', marginTop: 16, alignItems: 'center' }}>
        <Link to="/complaint" style={BIG}>
          {t('cp.pub.toForm')}
        </Link>
      </Space>
    </PublicFrame>
  );
}
