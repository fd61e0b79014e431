import type { ReactNode } from 'react';
import { Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { WorkbenchReply } from '../../../../src/modules/workbench/workbench.schema';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';

export type AlarmsWorkbench = NonNullable<WorkbenchReply['alarms']>;

function Tile({ testId, title, value, to, note }: { testId: string; title: string; value: ReactNode; to: string | null; note?: ReactNode }) {
  const body = (
    <Card size="small" hoverable={to !== null} styles={{ body: { padding: 12 } }} style={{ height: '100%' }}>
      <Statistic title={title} valueRender={() => <span style={{ fontSize: 22 }}>{value}</span>} />
      {note}
    </Card>
  );
  return (
    <Col xs={12} sm={12} lg={6}>
      {to ? (
        <Link to={to} data-testid={testId} style={{ display: 'block', height: '100%' }}>
          {body}
        </Link>
      ) : (
        <div data-testid={testId}>{body}</div>
      )}
    </Col>
  );
}

/**
 * The workbench's alarms card (issue 18), from the workbench API's `alarms` block: for the hotline
 * (operators, supervisor) the queue now — open alarms, escalated, return calls due today — and this
 * month's share acknowledged within the target time; officers and inspectors see the month's alarms
 * and that share. Each figure leads to its page where the viewer may go.
 */
export function AlarmsWorkbenchCard({ alarms }: { alarms: AlarmsWorkbench | null | undefined }) {
  const { t } = useI18n();
  const { user, can } = useAuth();
  if (!alarms || !user) return null;
  const desk = user.role === 'hotline_operator' || user.role === 'hotline_supervisor';
  const reports = can('alarms.reports') ? '/alarms/reports' : null;
  const pct = alarms.ackSharePermille === null ? '—' : `${(alarms.ackSharePermille / 10).toFixed(1)}%`;
  const ack = (
    <Tile
      testId="wb-ar-ack"
      title={t('ar.wb.ack', { sec: alarms.ackSeconds })}
      value={
        <Typography.Text type={alarms.ackMet === false ? 'danger' : undefined} style={{ fontSize: 22 }}>
          {pct}
        </Typography.Text>
      }
      to={reports}
      note={
        <span>
          <Tag color={alarms.ackMet === null ? 'default' : alarms.ackMet ? 'green' : 'red'}>
            {alarms.ackMet === null ? t('ar.noData') : alarms.ackMet ? t('ar.met') : t('ar.notMet')}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('ar.target', { share: `${(alarms.ackTargetPermille / 10).toFixed(1)}%` })}
          </Typography.Text>
        </span>
      }
    />
  );
  return (
    <Card size="small" title={t('ar.wb.title')} data-testid="workbench-alarms">
      <Row gutter={[12, 12]}>
        {desk ? (
          <>
            <Tile
              testId="wb-ar-open"
              title={t('ar.wb.open')}
              value={alarms.openAlarms}
              to="/alarms"
              note={
                <Typography.Text type={alarms.raised ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                  {t('ar.wb.raised', { n: alarms.raised })}
                </Typography.Text>
              }
            />
            <Tile
              testId="wb-ar-escalated"
              title={t('ar.wb.escalated')}
              value={alarms.escalated}
              to={can('alarms.supervise') ? '/alarms/supervisor' : '/alarms'}
            />
            <Tile testId="wb-ar-callbacks" title={t('ar.wb.callbacks')} value={alarms.callbacksDue} to="/hotline/callbacks" />
            {ack}
          </>
        ) : (
          <>
            <Tile testId="wb-ar-month" title={t('ar.wb.month')} value={alarms.monthAlarms} to={reports ?? '/alarms'} />
            {ack}
          </>
        )}
      </Row>
    </Card>
  );
}
