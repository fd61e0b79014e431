import { lazy, Suspense } from 'react';
import { Alert, Card, Col, Empty, List, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { RunStatusTag } from '../../shared/ent-tags';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { label, roleLabels } from '../../shared/labels';
// issue 18 (alarms-reports)
import { AlarmsWorkbenchCard } from '../alarm-reports/workbench';
// end alarms-reports
import { AssessmentWorkbench } from '../assessment/workbench';
import { IndicatorsWorkbenchCard } from '../indicators/workbench';
import { ServicesWorkbenchCard } from '../services/workbench';
import { TimebankWorkbenchCard } from '../timebank/workbench';
import { VisitsWorkbenchCard } from '../visits/workbench';
import { useWorkbench, type WorkbenchReply } from './api';

// echarts is the largest part of the workbench: its own chunk, fetched after the to-dos show
const charts = () => import('./charts');
const BandChart = lazy(() => charts().then((m) => ({ default: m.BandChart })));
const TownChart = lazy(() => charts().then((m) => ({ default: m.TownChart })));
const AllowanceChart = lazy(() => charts().then((m) => ({ default: m.AllowanceChart })));

type Todo = WorkbenchReply['todos'][number];

/** Where each to-do is worked on. */
function todoLink(t: Todo): string {
  switch (t.key) {
    case 'rollsToSubmit':
      return '/rolls?status=draft';
    case 'rollsToApprove':
      return '/rolls?status=submitted';
    case 'changes':
      return '/changes';
    case 'verify':
      return '/changes?kind=verify';
    case 'paused':
      return '/paused';
    case 'failedPayments':
      return '/payments';
    case 'conflicts':
      return '/conflicts';
    case 'failedImports':
      return '/imports/history';
  }
}

function Todos({ todos }: { todos: Todo[] }) {
  const { t } = useI18n();
  if (!todos.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.noTodos')} />;
  return (
    <Row gutter={[12, 12]} data-testid="workbench-todos">
      {todos.map((td) => (
        <Col key={td.key} xs={12} sm={8} lg={4}>
          <Link to={todoLink(td)} data-testid={`todo-${td.key}`} aria-label={`${t(`wb.todo.${td.key}` as MessageKey)} ${td.count}`}>
            <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
              <Statistic
                title={t(`wb.todo.${td.key}` as MessageKey)}
                value={td.count}
                valueStyle={{ color: td.count > 0 ? '#c0392b' : undefined, fontSize: 24 }}
              />
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  );
}

function Activity({ items }: { items: WorkbenchReply['activity'] }) {
  const { t, locale } = useI18n();
  return (
    <List
      size="small"
      data-testid="workbench-activity"
      locale={{ emptyText: t('wb.noActivity') }}
      dataSource={items}
      renderItem={(a) => (
        <List.Item>
          <Space size={6} wrap>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {shanghaiTime(a.at)}
            </Typography.Text>
            {a.kind === 'run' ? (
              <>
                <Link to={`/runs/${a.id}`}>{t('wb.activity.run', { period: a.period })}</Link>
                <RunStatusTag status={a.status} />
              </>
            ) : (
              <>
                <Link to="/imports/history">
                  {t('wb.activity.import', { source: locale === 'en' ? a.sourceLabelEn : a.sourceLabel, created: a.created, updated: a.updated })}
                </Link>
                <Tag color={a.status === 'applied' ? 'green' : a.status === 'applying' ? 'blue' : 'red'}>
                  {['applied', 'rejected', 'failed', 'applying'].includes(a.status) ? t(`istatus.${a.status}` as MessageKey) : a.status}
                </Tag>
              </>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

function Figures({ data }: { data: WorkbenchReply }) {
  const { t } = useI18n();
  const p = data.population;
  const chartFallback = <Skeleton.Node active style={{ width: '100%', height: 240 }} />;
  return (
    <Row gutter={[12, 12]} data-testid="workbench-figures">
      {p && (
        <>
          <Col xs={24} md={8}>
            <Card size="small" title={t('wb.figures')} extra={<Typography.Text type="secondary">{t('wb.ageOn', { date: data.on })}</Typography.Text>}>
              <Space size={24} wrap>
                <Statistic title={t('wb.elders')} value={p.total} suffix={t('wb.people')} data-testid="fig-total" />
                <Statistic title={t('wb.over80')} value={p.over80} suffix={t('wb.people')} data-testid="fig-over80" />
                <Statistic
                  title={t('wb.over80Share')}
                  value={p.total ? (p.over80 * 100) / p.total : 0}
                  precision={1}
                  suffix="%"
                  data-testid="fig-over80-share"
                />
              </Space>
              <Suspense fallback={chartFallback}>
                <BandChart population={p} label={t('wb.byBand')} unit={t('wb.people')} />
              </Suspense>
            </Card>
          </Col>
          <Col xs={24} md={data.allowance ? 8 : 16}>
            <Card size="small" title={t('wb.byTown')}>
              <Suspense fallback={chartFallback}>
                <TownChart population={p} label={t('wb.byTown')} />
              </Suspense>
            </Card>
          </Col>
        </>
      )}
      {data.allowance && (
        <Col xs={24} md={8}>
          <Card size="small" title={t('wb.allowance')}>
            <Suspense fallback={chartFallback}>
              <AllowanceChart allowance={data.allowance} label={t('wb.allowance')} names={[t('wb.allowance.total'), t('wb.allowance.approved')]} />
            </Suspense>
          </Card>
        </Col>
      )}
    </Row>
  );
}

/** 工作台: the first page of every role — what waits for the viewer, what happened, their region in figures. */
export function HomePage() {
  const { user } = useAuth();
  const { t, locale } = useI18n();
  const wb = useWorkbench();
  if (!user) return null;
  return (
    <div data-testid="home">
      <Space size={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('home.welcome', { name: user.displayName })}
        </Typography.Title>
        <Tag color="blue">{label(roleLabels, user.role, locale)}</Tag>
        <Typography.Text type="secondary">{user.regionName}</Typography.Text>
      </Space>
      {wb.error && <Alert type="error" showIcon message={wb.error.message} />}
      {!wb.data && !wb.error && <Skeleton active />}
      {wb.data && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {/* an assessor's work is all on the assessment card, a visitor's on the visits card: no empty 待办 above them */}
          {(wb.data.todos.length > 0 || (!wb.data.assessment && !wb.data.visits)) && (
            <Card size="small" title={t('wb.todos')}>
              <Todos todos={wb.data.todos} />
            </Card>
          )}
          {/* issue 20: the key indicators of the viewer's region this month (bureau and towns), with a link to them all */}
          <IndicatorsWorkbenchCard />
          {/* capability assessment: 80+ coverage and what is due (officers), assigned and co-signatures (assessors) */}
          <AssessmentWorkbench figures={wb.data.assessment} />
          {/* visits (issue 16): escalations and overdue (village head), the month's rate (officers), due today (visitors), the hotline's queue */}
          <VisitsWorkbenchCard visits={wb.data.visits} />
          {/* the time bank (issue 16): accounts, hours held, deposits waiting, the last ledger check; a volunteer's balance */}
          <TimebankWorkbenchCard timebank={wb.data.timebank} />
          {/* home services (issue 17): exceptions waiting, this month's orders, last month's settlements */}
          <ServicesWorkbenchCard />
          {/* issue 18 (alarms-reports): the hotline's queue, return calls due, this month's acknowledgement share */}
          <AlarmsWorkbenchCard alarms={wb.data.alarms} />
          {/* end alarms-reports */}
          {(wb.data.population || wb.data.allowance) && <Figures data={wb.data} />}
          {wb.data.activity.length > 0 && (
            <Card size="small" title={t('wb.activity')}>
              <Activity items={wb.data.activity} />
            </Card>
          )}
        </Space>
      )}
    </div>
  );
}
