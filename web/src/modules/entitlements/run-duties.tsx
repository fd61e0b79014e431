import { useState } from 'react';
import { Alert, Button, Card, Col, Drawer, Empty, Grid, Row, Space, Spin, Statistic, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { get, qs, type Page } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import type { Duty, RosterRow } from './types';
import { useRunDuties } from './api';
import { useI18n } from '../../shared/i18n-core';
import { BenefitKindTag, scheduleLabel } from '../../shared/ent-tags';
import { PagedTable, usePaged } from '../../shared/paged';

function Roster({ runId, duty }: { runId: number; duty: Duty }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const paged = usePaged(
    ['runs', runId, 'rosters', duty.itemId],
    (page, pageSize) => get<Page<RosterRow>>(`/api/runs/${runId}/rosters/${duty.itemId}${qs({ page, pageSize })}`),
    { pageSize: 50 },
  );
  const columns: ColumnsType<RosterRow> = [
    { title: t('change.col.name'), dataIndex: 'name', width: 90 },
    { title: t('change.col.id'), dataIndex: 'idMasked', width: 170, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('roster.sex'), dataIndex: 'sex', width: 60, render: (v: 'M' | 'F') => t(v === 'M' ? 'sex.M' : 'sex.F') },
    { title: t('roster.birthDate'), dataIndex: 'birthDate', width: 110 },
    { title: t('change.col.town'), dataIndex: 'townName', width: 100 },
    { title: t('change.col.village'), dataIndex: 'regionName', width: 110 },
  ];
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        {duty.insurer && (
          <span>
            {t('duty.insurer')}: {duty.insurer}
          </span>
        )}
        {/* The export carries full ID numbers: the server allows it to roles that may reveal them. */}
        {can('register.reveal') && (
          <Button href={`/api/runs/${runId}/rosters/${duty.itemId}/export`} download data-testid="roster-export">
            {t('duty.export')}
          </Button>
        )}
      </Space>
      <PagedTable<RosterRow> testId="roster-table" paged={paged} rowKey="personId" size="small" columns={columns} scroll={{ x: 640 }} />
    </div>
  );
}

/** 日历事项: this month's birthday greetings, 重阳 visits and insurers' rosters, each with its list. */
export function RunDuties({ runId }: { runId: number }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const duties = useRunDuties(runId);
  const data = duties.data ?? null;
  const error = duties.error?.message ?? null;
  const [open, setOpen] = useState<Duty | null>(null);

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!data) return <Spin />;
  if (!data.duties.length) return <Empty description={t('duty.none')} />;
  return (
    <div data-testid="run-duties">
      <Row gutter={[12, 12]}>
        {data.duties.map((d) => (
          <Col key={d.itemId} xs={24} sm={12} lg={8}>
            <Card
              size="small"
              hoverable
              data-testid={`duty-${d.itemId}`}
              onClick={() => setOpen(d)}
              title={
                <Space size={4}>
                  <span>{d.no}.</span>
                  <span>{d.name}</span>
                </Space>
              }
              extra={<BenefitKindTag kind={d.kind} />}
            >
              <Statistic value={d.count} suffix={t('duty.people', { n: '' }).trim()} valueStyle={{ fontSize: 22 }} />
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {scheduleLabel(d.when, t)} · {d.note}
              </Typography.Text>
              {d.insurer && (
                <Typography.Text style={{ fontSize: 12, display: 'block' }}>
                  {t('duty.insurer')}: {d.insurer}
                </Typography.Text>
              )}
            </Card>
          </Col>
        ))}
      </Row>
      <Drawer
        title={open ? t('duty.rosterTitle', { name: open.name }) : ''}
        open={open !== null}
        onClose={() => setOpen(null)}
        width={screens.md ? 820 : '100%'}
        destroyOnClose
      >
        {open && <Roster runId={runId} duty={open} />}
      </Drawer>
    </div>
  );
}
