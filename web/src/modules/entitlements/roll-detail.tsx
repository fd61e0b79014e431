import { Alert, Badge, Breadcrumb, Card, Descriptions, Space, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams } from 'react-router-dom';
import { get, qs } from '../../shared/api';
import type { RerunChange, Roll, RollDetail, RollLine } from './types';
import { dash, shanghaiTime, yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { RollStatusTag } from '../../shared/ent-tags';
import { PagedTable, usePaged } from '../../shared/paged';
import { LineToggle, RollActions } from './roll-actions';

/** 名册详情: the lines of one roll, the maker's holds, and the submit / approve / return steps. */
export function RollDetailPage() {
  const { id } = useParams();
  const { t } = useI18n();
  // the roll comes with each page of its lines
  const paged = usePaged<RollDetail & { items: RollLine[] }>(
    ['rolls', 'detail', id],
    async (page, pageSize) => {
      const d = await get<RollDetail>(`/api/rolls/${id}${qs({ page, pageSize })}`);
      return { ...d, items: d.lines };
    },
    { pageSize: 50 },
  );
  const roll: Roll | null = paged.answer?.roll ?? null;
  const changes: RerunChange[] = paged.answer?.rerunChanges ?? [];

  if (paged.error && !roll) return <Alert type="error" showIcon message={paged.error} action={<Link to="/rolls">{t('roll.back')}</Link>} />;
  if (!roll) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  const editable = roll.actions.includes('edit');
  const frozen = roll.status === 'approved';

  const columns: ColumnsType<RollLine> = [
    { title: t('roll.col.name'), dataIndex: 'name', width: 90, render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('roll.col.id'), dataIndex: 'idMasked', width: 170, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('roll.col.village'), dataIndex: 'regionName', width: 120 },
    { title: t('roll.col.standard'), dataIndex: 'standardFen', width: 110, align: 'right', render: (v: number) => yuan(v) },
    {
      title: t('roll.col.amount'),
      dataIndex: 'amountFen',
      width: 110,
      align: 'right',
      render: (v: number, r) => (r.excluded ? <Typography.Text type="danger">{yuan(v)}</Typography.Text> : yuan(v)),
    },
    { title: t('roll.col.remark'), dataIndex: 'remark', render: (v: string | null) => dash(v) },
    {
      title: t('roll.col.note'),
      dataIndex: 'note',
      render: (v: RollLine['note']) =>
        v ? (
          <Typography.Text type="warning" data-testid="line-note">
            {t('roll.note.amountChanged', { from: yuan(v.fromFen), to: yuan(v.toFen) })}
          </Typography.Text>
        ) : (
          ''
        ),
    },
  ];
  const changeCols: ColumnsType<RerunChange> = [
    { title: t('roll.change.kind'), dataIndex: 'kind', width: 130, render: (v: RerunChange['kind']) => t(`roll.change.${v}`) },
    { title: t('roll.col.name'), dataIndex: 'name', width: 90, render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('roll.col.village'), dataIndex: 'regionName', width: 120 },
    { title: t('roll.change.old'), dataIndex: 'oldFen', width: 110, align: 'right', render: (v: number | null) => (v === null ? '—' : yuan(v)) },
    { title: t('roll.change.new'), dataIndex: 'newFen', width: 110, align: 'right', render: (v: number | null) => (v === null ? '—' : yuan(v)) },
    { title: t('roll.col.remark'), dataIndex: 'remark', render: (v: string | null) => dash(v) },
  ];
  columns.push({
    title: t('roll.col.excluded'),
    key: 'excluded',
    width: 110,
    fixed: 'right',
    render: (_, r) =>
      editable ? (
        <LineToggle rollId={roll.id} line={r} editable={editable} />
      ) : r.excluded ? (
        <Typography.Text type="danger">{r.pauseText ?? t('roll.col.excluded')}</Typography.Text>
      ) : (
        '—'
      ),
  });
  const title = t(roll.kind === 'regular' ? 'roll.title' : `roll.title.${roll.kind}`, { period: roll.period, item: roll.itemName, town: roll.townName });

  return (
    <div data-testid="roll-detail">
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to={`/rolls?runId=${roll.runId}`}>{t('menu.rolls')}</Link> }, { title }]} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space align="center" wrap style={{ marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <RollStatusTag status={roll.status} />
          {frozen && (
            <Badge
              status="success"
              text={<Typography.Text strong>{t('roll.frozen')}</Typography.Text>}
              data-testid="roll-frozen"
              title={t('roll.frozenHint')}
            />
          )}
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          <Descriptions.Item label={t('roll.lines')}>{roll.lines.toLocaleString()}</Descriptions.Item>
          <Descriptions.Item label={t('roll.total')}>
            <Typography.Text strong data-testid="roll-total">
              {yuan(roll.totalFen)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('roll.maker')}>{roll.madeBy ? `${roll.madeBy} ${shanghaiTime(roll.madeAt).slice(0, 16)}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('roll.checker')}>
            {roll.checkedBy ? `${roll.checkedBy} ${shanghaiTime(roll.checkedAt).slice(0, 16)}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('roll.runId')}>
            <Link to={`/runs/${roll.runId}`}>#{roll.runId}</Link>
          </Descriptions.Item>
          {roll.note && (
            <Descriptions.Item label={t('roll.note')} span={3}>
              {roll.note}
            </Descriptions.Item>
          )}
        </Descriptions>
        {/* a hold, a submit, an approval or a return refreshes the roll and the roll list (their mutations) */}
        <RollActions roll={roll} />
        {roll.checkBlocked && (
          <Alert type="info" showIcon style={{ marginTop: 12 }} data-testid="roll-check-blocked" message={t(`roll.checkBlocked.${roll.checkBlocked}`)} />
        )}
      </Card>
      {frozen && <Alert type="info" showIcon message={t('roll.frozenHint')} style={{ marginBottom: 12 }} />}
      {roll.status === 'superseded' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="roll-superseded"
          message={t('roll.superseded')}
          action={
            roll.replacedBy ? (
              <Link to={`/rolls/${roll.replacedBy}`} data-testid="roll-replacement">
                {t('roll.openReplacement', { id: roll.replacedBy })}
              </Link>
            ) : undefined
          }
        />
      )}
      {roll.stale && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="roll-stale" message={t('roll.staleTitle')} description={roll.stale} />
      )}
      {roll.rerun && (
        <Card
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="roll-rerun"
          title={t('roll.rerunTitle', { status: t(`rollstatus.${roll.rerun.fromStatus}`), id: roll.rerun.fromRollId })}
        >
          <Typography.Paragraph>
            {t('roll.rerunSummary', { ...roll.rerun })}
            {roll.status === 'draft' && roll.rerun.fromStatus !== 'draft' ? ` ${t('roll.rerunHint')}` : ''}
          </Typography.Paragraph>
          {changes.length > 0 && (
            <Table<RerunChange>
              rowKey={(r) => `${r.kind}-${r.personId}`}
              size="small"
              columns={changeCols}
              dataSource={changes}
              scroll={{ x: 700 }}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
            />
          )}
        </Card>
      )}
      <PagedTable<RollLine>
        testId="roll-lines"
        paged={paged}
        rowKey="personId"
        size="small"
        columns={columns}
        scroll={{ x: 900 }}
        rowClassName={(r) => (r.excluded ? 'roll-line-excluded' : '')}
        // a difference line opens on its months: what was due, what was paid, and why
        expandable={
          roll.kind === 'regular'
            ? undefined
            : {
                defaultExpandAllRows: true,
                rowExpandable: (r) => (r.months?.length ?? 0) > 0,
                expandedRowRender: (r) => <DifferenceMonths months={r.months ?? []} />,
              }
        }
      />
    </div>
  );
}

/** The months of a back-pay or recovery line. */
function DifferenceMonths({ months }: { months: NonNullable<RollLine['months']> }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      rowKey="month"
      pagination={false}
      data-testid="difference-months"
      dataSource={months}
      columns={[
        { title: t('roll.month'), dataIndex: 'month', width: 90 },
        { title: t('roll.due'), dataIndex: 'dueFen', width: 100, align: 'right', render: (v: number) => yuan(v) },
        { title: t('roll.paid'), dataIndex: 'paidFen', width: 100, align: 'right', render: (v: number) => yuan(v) },
        { title: t('roll.difference'), key: 'diff', width: 100, align: 'right', render: (_, m) => yuan(m.dueFen - m.paidFen) },
        { title: t('roll.reasons'), dataIndex: 'reasons', render: (v: string[]) => v.map((r) => <div key={r}>{r}</div>) },
      ]}
    />
  );
}
