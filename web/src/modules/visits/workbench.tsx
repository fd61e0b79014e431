import type { ReactNode } from 'react';
import { Card, Col, Progress, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { pct } from './labels';
import type { VisitsWorkbench } from './types';

interface Tile {
  key: string;
  label: MessageKey;
  count: number;
  to: string;
  /** a second line under the figure (of them high-risk) */
  note?: string;
}

function Tiles({ tiles }: { tiles: Tile[] }) {
  const { t } = useI18n();
  return (
    <Row gutter={[12, 12]}>
      {tiles.map((td) => (
        <Col key={td.key} xs={12} sm={8} lg={tiles.length > 3 ? 6 : 8}>
          <Link to={td.to} data-testid={`todo-visits-${td.key}`} aria-label={`${t(td.label)} ${td.count}`}>
            <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
              <Statistic title={t(td.label)} value={td.count} valueStyle={{ color: td.count ? '#c0392b' : undefined, fontSize: 24 }} />
              {td.note && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {td.note}
                </Typography.Text>
              )}
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  );
}

/** The month's visit rate against the target, as a figure and a bar, linking to the rate by region. */
function RateFigure({ v, to }: { v: VisitsWorkbench; to: string | null }) {
  const { t } = useI18n();
  const p = v.rate.percent;
  const reached = p !== null && p >= v.targetPercent;
  const counts = t('v.wb.doneOfDue', { done: v.rate.done, due: v.rate.due });
  // last month's beside it: on the 1st this month's has little in it yet (a workbench kept from an older server may lack it)
  const last = v.rateLastMonth;
  return (
    <div data-testid="wb-visits-rate">
      <Typography.Text type="secondary">{t('v.wb.rate')}</Typography.Text>
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 8, flexWrap: 'wrap' }}>
        <Typography.Text style={{ fontSize: 28 }}>{pct(p)}</Typography.Text>
        <Typography.Text type="secondary">{t('v.wb.target', { n: v.targetPercent })}</Typography.Text>
      </div>
      {last && (
        <Typography.Text type="secondary" style={{ display: 'block' }} data-testid="wb-visits-rate-last">
          {last.due > 0 ? t('v.wb.lastMonth', { percent: pct(last.percent), done: last.done, due: last.due }) : t('v.wb.lastMonthNone')}
        </Typography.Text>
      )}
      <Progress percent={p ?? 0} showInfo={false} status={reached ? 'success' : 'normal'} strokeColor={reached ? undefined : '#d9a13b'} />
      {to ? (
        <Link to={to} style={{ fontSize: 12 }}>
          {counts}
        </Link>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {counts}
        </Typography.Text>
      )}
    </div>
  );
}

/**
 * The workbench's visits card, from the workbench API's `visits` block (null for a role without
 * visits.read): a village head's open escalations and overdue visits, then the village's rate; an officer's visit rate this
 * month against the target, with the overdue and escalations; a grid worker's or volunteer's visits
 * due today, linking to the phone's list; a hotline operator's queue.
 */
export function VisitsWorkbenchCard({ visits }: { visits: VisitsWorkbench | null | undefined }) {
  const { t } = useI18n();
  const { user } = useAuth();
  if (!visits || !user) return null;
  const role = user.role;
  const card = (children: ReactNode) => (
    <Card size="small" title={t('v.wb.title')} data-testid="workbench-visits">
      {children}
    </Card>
  );
  const overdue: Tile = {
    key: 'overdue',
    label: 'v.wb.overdue',
    count: visits.overdue,
    to: '/visits/overdue',
    note: visits.overdueHighRisk ? t('v.wb.highRisk', { n: visits.overdueHighRisk }) : undefined,
  };
  const escalations: Tile = { key: 'escalations', label: 'v.wb.escalations', count: visits.escalationsOpen, to: '/visits/followups?tab=escalations' };
  if (role === 'grid_worker' || role === 'volunteer')
    return card(
      <Row gutter={[16, 12]} align="middle">
        <Col xs={24} md={8}>
          <Link to="/m/visits" data-testid="todo-visits-dueToday" aria-label={`${t('v.wb.dueToday')} ${visits.myDueToday ?? 0}`}>
            <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
              <Statistic
                title={t('v.wb.dueToday')}
                value={visits.myDueToday ?? 0}
                valueStyle={{ color: visits.myDueToday ? '#c0392b' : undefined, fontSize: 24 }}
              />
              <span style={{ fontSize: 12, color: '#1677ff' }}>{t('v.wb.openList')}</span>
            </Card>
          </Link>
        </Col>
        <Col xs={24} md={16}>
          <RateFigure v={visits} to={null} />
        </Col>
      </Row>,
    );
  if (role === 'hotline_operator' || role === 'hotline_supervisor')
    return card(<Tiles tiles={[{ key: 'queue', label: 'v.wb.queue', count: visits.followupsOpen, to: '/visits/followups' }, escalations]} />);
  // the village head: what needs them first (escalations, overdue), then the village's rate
  if (role === 'village_head')
    return card(
      <Row gutter={[16, 12]} align="middle">
        <Col xs={24} md={16}>
          <Tiles tiles={[escalations, overdue, { key: 'followups', label: 'v.wb.followups', count: visits.followupsOpen, to: '/visits/followups' }]} />
        </Col>
        <Col xs={24} md={8}>
          <RateFigure v={visits} to="/visits/plans?tab=rate" />
        </Col>
      </Row>,
    );
  // officers (and any other reader): the month's rate against the target, with what waits
  return card(
    <Row gutter={[16, 12]} align="middle">
      <Col xs={24} md={8}>
        <RateFigure v={visits} to="/visits/plans?tab=rate" />
      </Col>
      <Col xs={24} md={16}>
        <Tiles tiles={[overdue, escalations, { key: 'followups', label: 'v.wb.followups', count: visits.followupsOpen, to: '/visits/followups' }]} />
      </Col>
    </Row>,
  );
}
