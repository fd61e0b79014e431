import { Alert, Card, Col, Descriptions, Empty, Image, List, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { CorrectAction, OrderActions } from './actions';
import { useItems, useOrder } from './api';
import { OrderAnomalies } from './anomaly-table';
import { OrderStatusTag, useMoney, useWord } from './labels';
import type { PlaceFact, OrderDetail } from './types';

/** One of the visit's two fixes: when, and how far from the home against the fix's own accuracy. */
function Fix({ fix, testId }: { fix: PlaceFact | null; testId: string }) {
  const { t } = useI18n();
  if (!fix) return <Typography.Text type="secondary">{t('svc.order.notYet')}</Typography.Text>;
  return (
    <div data-testid={testId}>
      <div>{shanghaiTime(fix.at)}</div>
      {fix.distanceM !== null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('svc.order.distance', { d: Math.round(fix.distanceM).toLocaleString('en-US'), a: Math.round(fix.accuracyM ?? 0) })}
        </Typography.Text>
      )}
    </div>
  );
}

function Evv({ order }: { order: OrderDetail }) {
  const { t, pick } = useI18n();
  const word = useWord();
  const items = useItems().data;
  const itemName = (code: string) => {
    const i = items?.find((x) => x.code === code);
    return i ? pick(i.nameZh, i.nameEn) : code;
  };
  const short = order.minutesOnSite !== null && order.openAnomalies.some((c) => c === 'too_short' || c === 'too_long');
  return (
    <Card size="small" title={t('svc.order.facts')} data-testid="svc-order-evv">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 2 }} colon={false}>
        <Descriptions.Item label={t('svc.order.checkIn')}>
          <Fix fix={order.checkIn} testId="svc-order-checkin" />
        </Descriptions.Item>
        <Descriptions.Item label={t('svc.order.checkOut')}>
          <Fix fix={order.checkOut} testId="svc-order-checkout" />
        </Descriptions.Item>
        {order.correction && (
          <Descriptions.Item label={t('svc.order.corrected')} span="filled">
            <div data-testid="svc-order-correction">
              <div>
                {shanghaiTime(order.correction.checkInAt)} – {shanghaiTime(order.correction.checkOutAt)}
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('svc.order.correctedBy', { by: order.correction.byName, at: shanghaiTime(order.correction.at), reason: order.correction.reason })}
              </Typography.Text>
            </div>
          </Descriptions.Item>
        )}
        {order.minutesOnSite !== null && (
          <Descriptions.Item label={t('svc.col.onSite')} span="filled">
            <Typography.Text type={short ? 'danger' : undefined} data-testid="svc-order-onsite">
              {t('svc.order.onSite', { n: order.minutesOnSite, m: order.orderedMinutes })}
            </Typography.Text>
          </Descriptions.Item>
        )}
        {order.itemsDone.length > 0 && (
          <Descriptions.Item label={t('svc.order.itemsDone')} span="filled">
            <Space size={4} wrap>
              {order.itemsDone.map((c) => (
                <Tag key={c}>{itemName(c)}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
        )}
        {order.confirmedKind && (
          <Descriptions.Item label={t('svc.order.confirmation')}>
            <span data-testid="svc-order-confirmation">{word('svc.confirm', order.confirmedKind)}</span>
          </Descriptions.Item>
        )}
        {order.eventId !== null && <Descriptions.Item label="">{t('svc.order.event', { id: order.eventId })}</Descriptions.Item>}
      </Descriptions>
      {order.photos.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t('svc.order.photos')}</Typography.Text>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 4 }} data-testid="svc-order-photos">
            <Image.PreviewGroup>
              {order.photos.map((p) => (
                <Image
                  key={p.id}
                  width={96}
                  height={96}
                  style={{ objectFit: 'cover' }}
                  src={`/api/services/orders/${order.id}/photos/${p.id}`}
                  alt={`#${p.id}`}
                />
              ))}
            </Image.PreviewGroup>
          </div>
        </div>
      )}
    </Card>
  );
}

function History({ order }: { order: OrderDetail }) {
  const { t } = useI18n();
  const word = useWord();
  return (
    <Card size="small" title={t('svc.order.history')}>
      <List
        size="small"
        dataSource={order.history}
        data-testid="svc-order-history"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        renderItem={(h) => (
          <List.Item style={{ padding: '4px 0' }}>
            <Space size={8} wrap>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {shanghaiTime(h.at)}
              </Typography.Text>
              <strong>{word('svc.hist', h.action)}</strong>
              {h.byName && <span>{h.byName}</span>}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 工单详情: who, what and when; the visit's verification facts; its exceptions with resolve / review; its history. */
export function OrderPage() {
  const { t, pick } = useI18n();
  const word = useWord();
  const money = useMoney();
  const id = Number(useParams().id);
  const q = useOrder(id);
  const o = q.data;
  if (q.error) return <Alert type="error" showIcon message={q.error.message} data-testid="svc-order-error" />;
  if (!o) return <Skeleton active />;
  return (
    <div data-testid="svc-order-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Space size={8} wrap>
          <Link to="/services">{t('svc.back')}</Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('svc.order.title', { id: o.id })}
          </Typography.Title>
          <span data-testid="svc-order-status">
            <OrderStatusTag status={o.status} />
          </span>
        </Space>
        <Space size={4} wrap>
          <OrderActions order={o} size="middle" />
          <CorrectAction order={o} />
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('svc.detail')}>
            <Descriptions size="small" column={1} colon={false} styles={{ label: { width: 96 } }}>
              <Descriptions.Item label={t('svc.col.person')}>
                <Link to={`/register/${o.personId}`}>{o.personName}</Link>
                <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                  {o.idMasked} · {o.regionName}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('svc.provider')}>
                <Link to={`/services/providers/${o.providerId}`}>{o.providerName}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('svc.item')}>
                {[pick(o.itemNameZh, o.itemNameEn), word('svc.cat', o.category), t('svc.minutes', { n: o.orderedMinutes })]
                  .filter((s, i, all) => all.indexOf(s) === i)
                  .join(' · ')}
              </Descriptions.Item>
              <Descriptions.Item label={t('svc.col.scheduled')}>{o.scheduledOn}</Descriptions.Item>
              <Descriptions.Item label={t('svc.order.money')}>
                <span data-testid="svc-order-money">
                  {money(o.priceFen)}（{t('svc.col.entitled')} {money(o.entitledFen)} · {t('svc.col.selfPaid')} {money(o.selfPaidFen)}）
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('svc.caregiver')}>{o.caregiverName ?? t('svc.notAssigned')}</Descriptions.Item>
              <Descriptions.Item label={t('svc.order.createdVia')}>{word('svc.via', o.createdVia)}</Descriptions.Item>
              {o.note && <Descriptions.Item label={t('svc.note')}>{o.note}</Descriptions.Item>}
              {o.rating !== null && (
                <Descriptions.Item label={t('svc.order.rating')}>
                  {t('svc.order.ratingBy', { n: o.rating, by: o.ratingBy === 'family' ? t('svc.rate.family') : t('svc.rate.elder') })}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Evv order={o} />
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('svc.order.anomalies')}>
            <OrderAnomalies anomalies={o.anomalies} />
          </Card>
        </Col>
        <Col xs={24}>
          <History order={o} />
        </Col>
      </Row>
    </div>
  );
}
