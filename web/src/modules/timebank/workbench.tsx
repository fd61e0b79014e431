import type { ReactNode } from 'react';
import { Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { WorkbenchReply } from '../../../../src/modules/workbench/workbench.schema';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { useHours } from './hours';

export type TimebankWorkbench = NonNullable<WorkbenchReply['timebank']>;

/** A figure of the card: a link when it leads somewhere the viewer may go. */
function Tile({ testId, title, value, to, note }: { testId: string; title: string; value: ReactNode; to: string | null; note?: ReactNode }) {
  const body = (
    <Card size="small" hoverable={to !== null} styles={{ body: { padding: 12 } }}>
      <Statistic title={title} valueRender={() => <span style={{ fontSize: 22 }}>{value}</span>} />
      {note}
    </Card>
  );
  return (
    <Col xs={12} sm={12} lg={6}>
      {to ? (
        <Link to={to} data-testid={testId}>
          {body}
        </Link>
      ) : (
        <div data-testid={testId}>{body}</div>
      )}
    </Col>
  );
}

/**
 * The workbench's time-bank card, from the workbench API's `timebank` block (null for a role that
 * does not read the time bank): the accounts of the viewer's region, the hours they hold, the
 * confirmed hours waiting for deposit and the last ledger check; a volunteer's card is their balance.
 */
export function TimebankWorkbenchCard({ timebank }: { timebank: TimebankWorkbench | null | undefined }) {
  const { t } = useI18n();
  const hours = useHours();
  const { user, can } = useAuth();
  if (!timebank || !user) return null;
  const card = (children: ReactNode) => (
    <Card size="small" title={t('tb.wb.title')} data-testid="workbench-timebank">
      {children}
    </Card>
  );
  if (user.role === 'volunteer')
    return card(
      <Link to="/timebank/me" data-testid="wb-tb-balance" style={{ display: 'block', maxWidth: 360 }}>
        <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
          <Statistic
            title={t('tb.wb.balance')}
            valueRender={() => <span style={{ fontSize: 24 }}>{timebank.accounts ? hours(timebank.minutesOutstanding) : t('tb.wb.noAccount')}</span>}
          />
          <span style={{ fontSize: 12, color: '#1677ff' }}>{t('tb.wb.openMine')}</span>
        </Card>
      </Link>,
    );
  const check = timebank.lastCheck;
  return card(
    <Row gutter={[12, 12]}>
      <Tile testId="wb-tb-accounts" title={t('tb.wb.accounts')} value={timebank.accounts} to="/timebank" />
      <Tile testId="wb-tb-outstanding" title={t('tb.wb.outstanding')} value={hours(timebank.minutesOutstanding)} to="/timebank" />
      <Tile
        testId="wb-tb-pending"
        title={t('tb.wb.pending')}
        value={<span style={{ color: timebank.pendingDeposits ? '#c0392b' : undefined }}>{timebank.pendingDeposits}</span>}
        to={can('timebank.deposit') ? '/timebank/pending' : null}
      />
      <Tile
        testId="wb-tb-check"
        title={t('tb.wb.check')}
        value={
          check ? (
            <Tag color={check.ok ? 'green' : 'red'} style={{ fontSize: 14, padding: '2px 8px' }}>
              {t(check.ok ? 'tb.checks.ok' : 'tb.checks.bad')}
            </Tag>
          ) : (
            <Typography.Text type="secondary">{t('tb.wb.checkNone')}</Typography.Text>
          )
        }
        to="/timebank/checks"
        note={
          check && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {check.on}
            </Typography.Text>
          )
        }
      />
    </Row>,
  );
}
