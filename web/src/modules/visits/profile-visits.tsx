import { Alert, Card, Col, Empty, Grid, List, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { usePersonPlan, usePersonVisits } from './api';
import { AssignmentHistory } from './history';
import { DueTag, Findings, FreqTag, modeKey, useWords } from './labels';
import type { DueView, MembershipView, VisitEventView } from './types';

const minutesOf = (v: VisitEventView) => v.minutes ?? Math.max(0, Math.round((Date.parse(v.endedAt) - Date.parse(v.startedAt)) / 60_000));

function Membership({ m, current }: { m: MembershipView; current: boolean }) {
  const { t } = useI18n();
  const words = useWords();
  const reason =
    m.leftReason && ['rule', 'plan_changed', 'closed'].includes(m.leftReason) ? t(`v.profile.leftReason.${m.leftReason}` as MessageKey) : m.leftReason;
  return (
    <Space direction="vertical" size={2} style={{ width: '100%' }}>
      <Space size={6} wrap>
        {m.frequency && <FreqTag frequency={m.frequency} />}
        <Typography.Text strong={current}>{m.planLabel ? words(m.planLabel) : m.planKey}</Typography.Text>
        <Typography.Text type="secondary">{t('v.profile.since', { date: m.joinedOn })}</Typography.Text>
        {m.leftOn && (
          <Typography.Text type="secondary">
            {t('v.profile.left', { date: m.leftOn })}
            {reason ? `（${reason}）` : ''}
          </Typography.Text>
        )}
      </Space>
      {m.ruleWords && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {words(m.ruleWords)}
        </Typography.Text>
      )}
    </Space>
  );
}

/**
 * The profile's 探访 tab: the person's visit plan (and its changes), their visit periods (last 12)
 * with what became of each, their visits with the findings, and who visits them. Mounted only when
 * the tab is opened: each read is audited.
 */
export function ProfileVisits({ personId }: { personId: string }) {
  const { t } = useI18n();
  const words = useWords();
  const { can } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const plan = usePersonPlan(personId);
  const visits = usePersonVisits(personId);
  const error = plan.error ?? visits.error;
  if (error) return <Alert type="error" showIcon message={error.message} />;
  if (!plan.data || !visits.data) return <Spin style={{ display: 'block', margin: '40px auto' }} />;
  const memberships = plan.data.memberships;
  const current = memberships.find((m) => m.leftOn === null);
  const past = memberships.filter((m) => m !== current);
  const dues: DueView[] = plan.data.dues.length ? plan.data.dues : (visits.data.dues ?? []);

  const dueCols: ColumnsType<DueView> = [
    { title: t('v.profile.window'), key: 'w', render: (_, d) => `${d.windowStart} ~ ${d.windowEnd}` },
    { title: t('v.fu.status'), key: 's', width: 90, render: (_, d) => <DueTag status={d.status} /> },
    { title: t('v.profile.when'), dataIndex: 'doneOn', width: 110, render: (v?: string | null) => v ?? '—' },
  ];
  // Sized to fit half a tablet's page (1024 px, the menu a strip of icons) without scrolling: when
  // over who, how over how long, the findings, and whether it counted — never pushed off-screen.
  const visitCols: ColumnsType<VisitEventView> = [
    {
      title: `${t('v.profile.when')} · ${t('v.profile.by')}`,
      key: 'when',
      width: 140,
      render: (_, v) => (
        <div style={{ lineHeight: 1.35 }}>
          <div style={{ whiteSpace: 'nowrap' }}>{shanghaiTime(v.startedAt).slice(0, 16)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} ellipsis={{ tooltip: v.performer?.name }}>
            {v.performer?.name ?? '—'}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('v.profile.mode'),
      key: 'mode',
      width: 84,
      render: (_, v) => (
        <div style={{ lineHeight: 1.35 }}>
          <div>{t(modeKey(v.mode))}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {t('v.profile.minutes', { n: minutesOf(v) })}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('v.profile.findings'), key: 'findings', render: (_, v) => <Findings codes={v.findings} /> },
    {
      title: t('v.profile.counted'),
      key: 'counted',
      width: 76,
      render: (_, v) =>
        v.counted === undefined ? (
          '—'
        ) : (
          <Tag color={v.counted ? 'green' : 'default'} style={{ marginInlineEnd: 0 }} data-testid={`profile-visit-counted-${v.id}`}>
            {t(v.counted ? 'v.profile.counted' : 'v.profile.notCounted')}
          </Tag>
        ),
    },
  ];

  return (
    <Row gutter={[16, 16]} data-testid="profile-visits">
      <Col xs={24} xl={10}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card size="small" title={t('v.profile.plan')} data-testid="profile-visit-plan">
            {current ? <Membership m={current} current /> : <Typography.Text type="secondary">{t('v.profile.notInPlan')}</Typography.Text>}
            {current && (plan.data.why ?? []).length > 0 && (
              <div style={{ marginTop: 8 }} data-testid="profile-visit-why">
                <Typography.Text style={{ fontSize: 13 }}>{t('v.profile.why')}</Typography.Text>
                <Space size={[4, 4]} wrap style={{ marginTop: 4 }}>
                  {(plan.data.why ?? []).map((w) => (
                    <Tag key={w.zh} color="blue" style={{ whiteSpace: 'normal' }}>
                      {words(w)}
                    </Tag>
                  ))}
                </Space>
              </div>
            )}
            {past.length > 0 && (
              <>
                <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 4px', fontSize: 12 }}>
                  {t('v.profile.history')}
                </Typography.Text>
                <List
                  size="small"
                  dataSource={past}
                  renderItem={(m) => (
                    <List.Item style={{ paddingLeft: 0 }}>
                      <Membership m={m} current={false} />
                    </List.Item>
                  )}
                />
              </>
            )}
          </Card>
          {can('visits.read') && (
            <Card size="small" title={t('v.profile.worker')}>
              <AssignmentHistory personId={personId} />
            </Card>
          )}
          <Card size="small" title={t('v.profile.dues')}>
            <Table<DueView>
              size="small"
              rowKey={(d) => `${d.windowStart}-${d.planKey}`}
              columns={dueCols}
              dataSource={dues.slice(0, 12)}
              pagination={false}
              data-testid="profile-visit-dues"
            />
          </Card>
        </Space>
      </Col>
      <Col xs={24} xl={14}>
        <Card size="small" title={t('v.profile.visits')}>
          {!visits.data.visits.length ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('v.profile.noVisits')} />
          ) : phone ? (
            <List
              size="small"
              dataSource={visits.data.visits}
              renderItem={(v) => (
                <List.Item style={{ display: 'block' }}>
                  <div style={{ fontSize: 12 }}>
                    {shanghaiTime(v.startedAt)} · {t(modeKey(v.mode))} · {t('v.profile.minutes', { n: minutesOf(v) })} · {v.performer?.name ?? ''}
                  </div>
                  <Findings codes={v.findings} />
                </List.Item>
              )}
            />
          ) : (
            <Table<VisitEventView>
              size="small"
              rowKey="id"
              columns={visitCols}
              dataSource={visits.data.visits}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              tableLayout="fixed"
              data-testid="profile-visit-events"
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
