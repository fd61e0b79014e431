import { useEffect, useMemo } from 'react';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import type { Roll, RollStatus } from './types';
import { useCatalogueInForce } from '../catalogue/api';
import { useRolls } from './api';
import { shanghaiTime, yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { RollStatusTag } from '../../shared/ent-tags';

interface Filters {
  runId?: string;
  period?: Dayjs | null;
  status?: RollStatus;
  itemId?: string;
}

const STATUSES: RollStatus[] = ['draft', 'submitted', 'returned', 'approved'];

/** Who did what and when, in one cell. */
function Who({ name, at }: { name: string | null; at: string | null }) {
  if (!name) return <>—</>;
  return (
    <Space direction="vertical" size={0}>
      <span>{name}</span>
      {at && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {shanghaiTime(at).slice(0, 16)}
        </Typography.Text>
      )}
    </Space>
  );
}

/** 发放名册: one roll per cash item and town; the filters live in the URL (?runId= from a run's page). */
export function RollsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();

  const runId = params.get('runId') ?? '';
  const period = params.get('period') ?? '';
  const status = params.get('status') ?? '';
  const itemId = params.get('itemId') ?? '';

  useEffect(() => {
    form.setFieldsValue({
      runId: runId || undefined,
      period: period ? dayjs(`${period}-01`) : null,
      status: (status || undefined) as RollStatus | undefined,
      itemId: itemId || undefined,
    });
  }, [form, runId, period, status, itemId]);

  const rolls = useRolls({ runId, period, status, itemId });
  const data = rolls.data ?? null;
  const error = rolls.error?.message ?? null;
  const loading = rolls.isFetching;
  // the cash items of the catalogue for the filter (without catalogue.read: those of the rolls listed)
  const catalogue = useCatalogueInForce(can('catalogue.read')).data;
  const cashItems = useMemo(
    () => (catalogue?.items ?? []).filter((i) => i.benefit.kind === 'cash_monthly').map((i) => ({ value: i.id, label: `${i.no}. ${i.name}` })),
    [catalogue],
  );

  const itemOptions = useMemo(() => {
    if (cashItems.length) return cashItems;
    const seen = new Map<string, string>();
    data?.items.forEach((r) => seen.set(r.itemId, r.itemName));
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [cashItems, data]);

  const search = (v: Filters) => {
    const next: Record<string, string> = {};
    if (v.runId?.trim()) next.runId = v.runId.trim();
    if (v.period) next.period = v.period.format('YYYY-MM');
    if (v.status) next.status = v.status;
    if (v.itemId) next.itemId = v.itemId;
    setParams(next);
  };

  const columns: ColumnsType<Roll> = [
    { title: t('roll.period'), dataIndex: 'period', width: 90 },
    {
      title: t('roll.item'),
      dataIndex: 'itemName',
      width: 180,
      render: (v: string, r) => (
        <>
          {r.kind !== 'regular' && (
            <Tag color={r.kind === 'backpay' ? 'blue' : 'orange'} data-testid="roll-kind">
              {t(`rollkind.${r.kind}`)}
            </Tag>
          )}
          <Link to={`/rolls/${r.id}`}>{v}</Link>
        </>
      ),
    },
    { title: t('roll.town'), dataIndex: 'townName', width: 110 },
    { title: t('roll.lines'), dataIndex: 'lines', width: 80, align: 'right' },
    { title: t('roll.total'), dataIndex: 'totalFen', width: 130, align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('roll.status'),
      dataIndex: 'status',
      width: 110,
      render: (v: RollStatus, r) => (
        <Space size={2} wrap>
          <RollStatusTag status={v} />
          {r.stale && (
            <Tooltip title={r.stale}>
              <Tag color="orange" data-testid="roll-stale-tag">
                {t('run.stale')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('roll.maker'), key: 'maker', width: 150, render: (_, r) => <Who name={r.madeBy} at={r.madeAt} /> },
    { title: t('roll.checker'), key: 'checker', width: 150, render: (_, r) => <Who name={r.checkedBy} at={r.checkedAt} /> },
    { title: t('roll.runId'), dataIndex: 'runId', width: 80, render: (v: number) => <Link to={`/runs/${v}`}>#{v}</Link> },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.rolls')}
      </Typography.Title>
      <Form<Filters> form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="runId">
          <Input placeholder={t('roll.runId')} allowClear style={{ width: 110 }} inputMode="numeric" data-testid="rolls-run" />
        </Form.Item>
        <Form.Item name="period">
          <DatePicker picker="month" placeholder={t('roll.period')} style={{ width: 130 }} data-testid="rolls-period" />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('roll.status')}
            style={{ width: 120 }}
            data-testid="rolls-status"
            options={STATUSES.map((s) => ({ value: s, label: t(`rollstatus.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="itemId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('roll.item')}
            style={{ width: 200 }}
            options={itemOptions}
            data-testid="rolls-item"
          />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="rolls-submit">
            {t('common.search')}
          </Button>
          <Button onClick={() => setParams({})}>{t('common.reset')}</Button>
        </Space>
      </Form>
      {runId && (
        <Tag
          closable
          onClose={() => {
            const n = new URLSearchParams(params);
            n.delete('runId');
            setParams(n);
          }}
          style={{ marginBottom: 12 }}
        >
          {t('roll.run', { id: runId })}
        </Tag>
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <div data-testid="rolls-table">
        <Table<Roll>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1100 }}
          pagination={{ defaultPageSize: 100, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
          onRow={(r) => ({ onClick: () => navigate(`/rolls/${r.id}`), style: { cursor: 'pointer' } })}
          summary={() =>
            data && data.items.length ? (
              <Table.Summary fixed>
                <Table.Summary.Row data-testid="rolls-totals">
                  <Table.Summary.Cell index={0} colSpan={3}>
                    <Typography.Text strong>{t('roll.totals', { n: data.totals.rolls })}</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    <Typography.Text strong>{data.totals.lines.toLocaleString()}</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    <Typography.Text strong>{yuan(data.totals.totalFen)}</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} colSpan={4} />
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </div>
    </div>
  );
}
