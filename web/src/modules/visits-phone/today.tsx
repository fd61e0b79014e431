import { useEffect } from 'react';
import { Alert, Button, Card, Empty, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { registerServiceWorker } from '../assessment-form/register-sw';
import { useOnline, useToday, useVisitItems, useVisitOutbox, visitOutbox, type VisitItem } from './offline';
import { BIG, modeWord, sexWord, TagWord, VisitState } from './parts';
import type { DueStatus, TodayItem, TodayReply } from './types';

const { Text, Title } = Typography;
const ORDER: DueStatus[] = ['missed', 'open', 'done'];
const statusColor: Record<DueStatus, string> = { missed: 'red', open: 'blue', done: 'green' };

/**
 * 今日探访 (/m/visits): the grid worker's people with a visit due — overdue first, then to visit,
 * then done this period — as large cards, the worker's monthly visit rate from the server at the
 * top, and what is waiting on the phone to be sent. Opens with no network from what the phone kept.
 */
export function TodayPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const online = useOnline();
  useVisitOutbox(user?.id);
  useEffect(registerServiceWorker, []);
  const { kept, loading, error, refresh } = useToday(user?.id, online);
  const items = useVisitItems(user?.id);
  if (!user) return null;
  const waiting = (items ?? []).filter((x) => x.state === 'waiting' || x.state === 'sending');
  const byPerson = new Map<number, VisitItem>();
  for (const x of [...(items ?? [])].reverse()) byPerson.set(x.meta.personId, x); // the newest wins
  const reply = kept?.reply;
  const rate = reply?.rate;
  const lastRate = reply?.rateLastMonth as TodayReply['rateLastMonth'] | undefined;

  return (
    <div data-testid="vp-today" style={{ maxWidth: 640, margin: '0 auto' }}>
      <Title level={4} style={{ marginTop: 0 }}>
        {t('vp.title.today')}
      </Title>
      <Card size="small" style={{ marginBottom: 12, background: '#f6ffed' }} data-testid="vp-rate">
        <Text type="secondary">{t('vp.rate.title')}</Text>
        <div style={{ fontSize: 32, fontWeight: 600, lineHeight: 1.2 }} data-testid="vp-rate-value">
          {rate?.percent !== null && rate?.percent !== undefined ? t('vp.rate.value', { percent: rate.percent }) : '—'}
        </div>
        <Text data-testid="vp-rate-detail">{rate ? (rate.due > 0 ? t('vp.rate.detail', { done: rate.done, due: rate.due }) : t('vp.rate.none')) : ''}</Text>
        {/* last month's beside it: on the 1st this month's has little in it yet (a list kept by an older build may lack it) */}
        {lastRate && (
          <Text type="secondary" style={{ display: 'block', fontSize: 16 }} data-testid="vp-rate-last">
            {lastRate.due > 0 && lastRate.percent !== null
              ? t('vp.rate.last', { percent: lastRate.percent, done: lastRate.done, due: lastRate.due })
              : t('vp.rate.lastNone')}
          </Text>
        )}
      </Card>
      {!online && (
        <Alert
          type="warning"
          showIcon
          data-testid="vp-offline"
          style={{ marginBottom: 12, fontSize: 16 }}
          message={waiting.length > 0 ? t('vp.offline.banner', { n: waiting.length }) : t('vp.offline.list')}
        />
      )}
      {online && waiting.length > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="vp-waiting"
          style={{ marginBottom: 12, fontSize: 16 }}
          message={t('vp.waiting.banner', { n: waiting.length })}
          action={
            <Button style={BIG} onClick={() => void visitOutbox.syncAll(user.id)}>
              {t('vp.sync.now')}
            </Button>
          }
        />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('vp.list.error', { message: error.message })} />}
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Text type="secondary" data-testid="vp-kept-at">
          {kept ? t('vp.keptAt', { time: shanghaiTime(kept.at).slice(5, 16) }) : ''}
        </Text>
        <Button style={BIG} disabled={!online} loading={loading && online} onClick={refresh} data-testid="vp-refresh">
          {t('vp.refresh')}
        </Button>
      </Space>

      {!reply ? (
        loading ? (
          <Spin style={{ display: 'block', margin: '40px auto' }} />
        ) : (
          <Empty description={t('vp.list.none')} />
        )
      ) : reply.items.length === 0 ? (
        <Empty description={t('vp.list.empty')} />
      ) : (
        ORDER.map((status) => {
          const rows = reply.items.filter((i) => i.status === status);
          if (rows.length === 0) return null;
          return (
            <section key={status} data-testid={`vp-section-${status}`} style={{ marginBottom: 16 }}>
              <Title level={5}>
                {t(`vp.section.${status}`)} · {rows.length}
              </Title>
              {rows.map((i) => (
                <PersonCard key={i.dueId} item={i} local={byPerson.get(i.personId)} on={reply.on} />
              ))}
            </section>
          );
        })
      )}

      {items && items.length > 0 && (
        <section data-testid="vp-device" style={{ marginTop: 16 }}>
          <Title level={5}>{t('vp.device.title')}</Title>
          {items.map((x) => (
            <Card key={x.clientId} size="small" style={{ marginBottom: 8 }} data-testid={`vp-item-${x.clientId}`}>
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <b>{x.meta.name}</b>
                  <span>{modeWord(t, x.meta.mode)}</span>
                  <Text type="secondary">{shanghaiTime(x.meta.startedAt).slice(5, 16)}</Text>
                </Space>
                <VisitState item={x} />
                {x.state === 'refused' && (
                  <Popconfirm title={t('vp.device.remove')} onConfirm={() => void visitOutbox.remove(user.id, x.clientId)}>
                    <Button danger style={BIG}>
                      {t('vp.device.remove')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </Card>
          ))}
        </section>
      )}
    </div>
  );
}

/** A date on a card: without the year when it is this year's. */
const shortDate = (d: string, on: string | undefined) => (on && d.slice(0, 4) === on.slice(0, 4) ? d.slice(5) : d);

function PersonCard({ item: i, local, on }: { item: TodayItem; local: VisitItem | undefined; on: string | undefined }) {
  const { t, pick } = useI18n();
  // the window that went unvisited (a list kept by an older build may lack it); the window below is the current one
  const missed = i.status === 'missed' ? (i.missedWindow as TodayItem['missedWindow'] | undefined) : null;
  const sameWindow = !!missed && missed.start === i.windowStart && missed.end === i.windowEnd;
  return (
    <Link to={`/m/visits/${i.personId}`} data-testid={`vp-person-${i.personId}`} style={{ display: 'block', color: 'inherit', marginBottom: 10 }}>
      <Card size="small" hoverable style={{ borderLeft: `4px solid ${i.status === 'missed' ? '#ff4d4f' : i.status === 'open' ? '#1677ff' : '#52c41a'}` }}>
        <Space direction="vertical" size={4} style={{ width: '100%', fontSize: 16 }}>
          <Space wrap size={8}>
            <b style={{ fontSize: 18 }}>{i.name}</b>
            {i.age !== null && <span>{t('vp.card.age', { age: i.age })}</span>}
            {i.sex && <span>{sexWord(t, i.sex)}</span>}
            <Tag color={statusColor[i.status]}>{t(`vp.status.${i.status}`)}</Tag>
            {i.highRisk && <Tag color="volcano">{t('vp.card.highRisk')}</Tag>}
          </Space>
          <Text type="secondary">
            {i.regionName}
            {i.phoneMasked ? ` · ${i.phoneMasked}` : ''}
          </Text>
          {i.tags.length > 0 && (
            <Space wrap size={4}>
              {i.tags.map((tag) => (
                <TagWord key={tag} tag={tag} />
              ))}
            </Space>
          )}
          {missed && (
            <Text type="danger" strong data-testid={`vp-missed-${i.personId}`}>
              {t('vp.card.missed', { from: shortDate(missed.start, on), to: shortDate(missed.end, on) })}
              {(i.missedInRow ?? 0) > 1 ? t('vp.card.missedInRow', { n: i.missedInRow }) : ''}
            </Text>
          )}
          <span data-testid={`vp-window-${i.personId}`}>
            {pick(i.planLabel.zh, i.planLabel.en)} · {t(`vp.freq.${i.frequency}`)} ·{' '}
            {t(missed && !sameWindow ? 'vp.card.current' : 'vp.card.window', { from: i.windowStart, to: i.windowEnd })}
          </span>
          <Text type="secondary">{i.lastVisit ? t('vp.card.last', { on: i.lastVisit.on, mode: modeWord(t, i.lastVisit.mode) }) : t('vp.card.lastNone')}</Text>
          {local && <VisitState item={local} />}
        </Space>
      </Card>
    </Link>
  );
}
