import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Input, Space, Typography } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import type { MessageKey } from '../../shared/i18n-core';
import { useI18n } from '../../shared/i18n-core';
import { useTrack } from './api';
import { BIG, PublicFrame } from './public-form';

/**
 * 查询进度 (public, no login): the complaint's status, dates, deadline, unit and reply — nothing else.
 * The tracking code never sits in the address (it would stay in the browser's history): it is sent
 * in the request's body; the form's "see how it is going" hands it over in the router's state, and
 * an old link's ?n= is read once and removed from the address bar (replaced, not a new entry).
 */
export function PublicTrackPage() {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened] = useState(() => {
    const fromState = (location.state as { n?: unknown } | null)?.n;
    return typeof fromState === 'string' ? fromState : (new URLSearchParams(location.search).get('n') ?? '');
  });
  const [number, setNumber] = useState(opened);
  const track = useTrack();
  const r = track.data;
  useEffect(() => {
    if (opened) track.mutate(opened);
    // the code out of the address and out of the history entry's state
    if (opened) navigate(location.pathname, { replace: true, state: null });
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
        <label htmlFor="cp-track-number" style={{ ...BIG, display: 'block', fontWeight: 600, marginBottom: 4 }}>
          {t('cp.track.number')}
        </label>
        <Typography.Paragraph id="cp-track-hint" style={{ ...BIG, color: '#3d3d3d', marginBottom: 8 }} data-testid="cp-track-hint">
          {t('cp.track.hint')}
        </Typography.Paragraph>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            size="large"
            id="cp-track-number"
            aria-describedby="cp-track-hint"
            autoComplete="off"
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
        <Link to="/public" style={BIG} data-testid="cp-track-home">
          {t('cp.pub.home')}
        </Link>
      </Space>
    </PublicFrame>
  );
}
