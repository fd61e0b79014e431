import { useEffect } from 'react';
import { Alert, Button, Card, Empty, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { registerServiceWorker } from '../assessment-form/register-sw';
import { syncSteps, useMyDay, useOnline, useStepSender, useSteps, type StepItem } from './offline';
import { distanceWords, effectiveStatus, farNotice, newestReply, stepsOf, waitingSteps } from './order-state';
import { BIG } from './parts';
import type { MyOrder, OrderStatus } from './types';

const { Text, Title } = Typography;

const SECTIONS: { key: 'active' | 'todo' | 'done' | 'cancelled'; statuses: OrderStatus[] }[] = [
  { key: 'active', statuses: ['checked_in'] },
  { key: 'todo', statuses: ['assigned', 'created'] },
  { key: 'done', statuses: ['checked_out', 'rated'] },
  { key: 'cancelled', statuses: ['cancelled'] },
];
const statusColor: Record<OrderStatus, string> = {
  created: 'default',
  assigned: 'blue',
  checked_in: 'orange',
  checked_out: 'green',
  rated: 'green',
  cancelled: 'default',
};
const hm = (iso: string | null) => (iso ? shanghaiTime(iso).slice(11, 16) : '');

/**
 * 今日服务 (/m/services): the caregiver's orders for today (and any still checked in from before) as
 * large cards — in progress first, then to serve, then done — with what waits on the phone to be
 * sent. Opens with no network from what the phone kept.
 */
export function TodayPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const online = useOnline();
  useStepSender(user?.id);
  useEffect(registerServiceWorker, []);
  const { kept, loading, error, refresh } = useMyDay(user?.id, online);
  const steps = useSteps(user?.id);
  if (!user) return null;
  const waiting = waitingSteps(steps ?? []);
  const reply = kept?.reply;

  return (
    <div data-testid="sp-today" style={{ maxWidth: 640, margin: '0 auto' }}>
      <Title level={4} style={{ marginTop: 0 }}>
        {t('sp.title.today')}
      </Title>
      {reply?.caregiver ? (
        <Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 16 }} data-testid="sp-caregiver">
          {t('sp.caregiver', { name: reply.caregiver.name, provider: reply.caregiver.providerName })}
        </Text>
      ) : (
        reply && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('sp.noCaregiver')} data-testid="sp-no-caregiver" />
      )}
      {!online && (
        <Alert
          type="warning"
          showIcon
          data-testid="sp-offline"
          style={{ marginBottom: 12, fontSize: 16 }}
          message={waiting.length > 0 ? t('sp.offline.banner', { n: waiting.length }) : t('sp.offline.list')}
        />
      )}
      {online && waiting.length > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="sp-waiting"
          style={{ marginBottom: 12, fontSize: 16 }}
          message={t('sp.waiting.banner', { n: waiting.length })}
          action={
            <Button style={BIG} onClick={() => void syncSteps(user.id)}>
              {t('sp.sync.now')}
            </Button>
          }
        />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('sp.list.error', { message: error.message })} />}
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Text type="secondary" data-testid="sp-kept-at">
          {kept ? t('sp.keptAt', { time: shanghaiTime(kept.at).slice(5, 16) }) : ''}
        </Text>
        <Button style={BIG} disabled={!online} loading={loading && online} onClick={refresh} data-testid="sp-refresh">
          {t('sp.refresh')}
        </Button>
      </Space>

      {!reply ? (
        loading ? (
          <Spin style={{ display: 'block', margin: '40px auto' }} />
        ) : (
          <Empty description={t('sp.list.none')} />
        )
      ) : reply.items.length === 0 ? (
        <Empty description={t('sp.list.empty')} />
      ) : (
        SECTIONS.map(({ key, statuses }) => {
          const rows = reply.items
            .map((o) => ({ o, mine: stepsOf(steps, o.id) }))
            .map((x) => ({ ...x, status: effectiveStatus(x.o, x.mine) }))
            .filter((x) => statuses.includes(x.status));
          if (rows.length === 0) return null;
          return (
            <section key={key} data-testid={`sp-section-${key}`} style={{ marginBottom: 16 }}>
              <Title level={5}>
                {t(`sp.section.${key}`)} · {rows.length}
              </Title>
              {rows.map((x) => (
                <OrderCard key={x.o.id} order={x.o} status={x.status} steps={x.mine} />
              ))}
            </section>
          );
        })
      )}
    </div>
  );
}

function OrderCard({ order: o, status, steps }: { order: MyOrder; status: OrderStatus; steps: StepItem[] }) {
  const { t, pick, locale } = useI18n();
  const pending = waitingSteps(steps);
  const refused = steps.filter((s) => s.state === 'refused');
  const far = farNotice(newestReply(steps)) ?? farNotice(o);
  const checkInAt = o.checkInAt ?? steps.find((s) => s.meta.kind === 'check-in' && s.state !== 'refused')?.meta.at ?? null;
  const checkOutAt = o.checkOutAt ?? steps.find((s) => s.meta.kind === 'check-out' && s.state !== 'refused')?.meta.at ?? null;
  const border = status === 'checked_in' ? '#fa8c16' : status === 'assigned' ? '#1677ff' : status === 'cancelled' ? '#d9d9d9' : '#52c41a';
  return (
    <Link to={`/m/services/${o.id}`} data-testid={`sp-order-${o.id}`} data-status={status} style={{ display: 'block', color: 'inherit', marginBottom: 10 }}>
      <Card size="small" hoverable style={{ borderLeft: `4px solid ${border}` }}>
        <Space direction="vertical" size={4} style={{ width: '100%', fontSize: 16 }}>
          <Space wrap size={8}>
            <b style={{ fontSize: 18 }}>{o.personName}</b>
            <span>{pick(o.itemNameZh, o.itemNameEn)}</span>
            <Tag color={statusColor[status]}>{t(`sp.status.${status}`)}</Tag>
          </Space>
          {o.address && <Text type="secondary">{o.address}</Text>}
          <Text>
            {t('sp.card.minutes', { min: o.orderedMinutes })}
            {checkInAt ? ` · ${t('sp.card.in', { time: hm(checkInAt) })}` : ''}
            {checkOutAt ? ` · ${t('sp.card.out', { time: hm(checkOutAt) })}` : ''}
          </Text>
          {far && (
            <Text type="warning" strong data-testid={`sp-far-tag-${o.id}`}>
              {far.distanceM !== null ? t('sp.far.tag', { distance: distanceWords(far.distanceM, locale) }) : t('sp.far.tagFar')}
            </Text>
          )}
          {pending.length > 0 && <Tag color="orange">{t('sp.waiting.banner', { n: pending.length })}</Tag>}
          {refused.length > 0 && (
            <Text type="danger" data-testid={`sp-card-refused-${o.id}`}>
              {refused.at(-1)!.error?.message}
            </Text>
          )}
        </Space>
      </Card>
    </Link>
  );
}
