import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Grid, Input, Modal, Segmented, Select, Space, Tag, TreeSelect, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { qs } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { ExportButton } from '../../shared/export-button';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { dueParams, fetchDue, keys, useAssessors, useAssign, type DueFilters } from './api';
import { LevelTag, reasonKey } from './labels';
import type { DueRow } from './types';

const STATES = ['overdue', 'due_soon', 'requested', 'all'] as const;
const stateKey = (s: string) => `asm.due.state.${s === 'due_soon' ? 'soon' : s}` as MessageKey;
const STATE_COLORS: Record<string, string> = { overdue: 'red', due_soon: 'gold', requested: 'blue' };

function StateTag({ r }: { r: DueRow }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLORS[r.state]} data-testid={`due-state-${r.personId}`}>
      {t(stateKey(r.state))}
    </Tag>
  );
}

function Overdue({ r }: { r: DueRow }) {
  const { t } = useI18n();
  if (r.daysOverdue <= 0) return <span>—</span>;
  return <Typography.Text type="danger">{t('asm.due.days', { n: r.daysOverdue })}</Typography.Text>;
}

function Last({ r }: { r: DueRow }) {
  const { t } = useI18n();
  if (!r.last) return <Typography.Text type="secondary">{t('asm.due.never')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      <span>{r.last.referenceDate}</span>
      <LevelTag level={r.last.level} />
    </Space>
  );
}

function Assigned({ r }: { r: DueRow }) {
  const { t } = useI18n();
  return r.assignment ? <span>{r.assignment.assessor.name}</span> : <Typography.Text type="secondary">{t('asm.due.notAssigned')}</Typography.Text>;
}

/** The assign dialog: pick an assessor, add a note; persons assigned to someone else are reassigned. */
function AssignDialog({ rows, open, onClose }: { rows: DueRow[]; open: boolean; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const assessors = useAssessors(open);
  const assign = useAssign();
  const [form] = Form.useForm<{ assessorId: number; note: string }>();
  const assessorId = Form.useWatch('assessorId', form);
  const reassigning = rows.filter((r) => r.assignment && r.assignment.assessor.id !== assessorId).length;
  const submit = async () => {
    let v: { assessorId: number; note: string };
    try {
      v = await form.validateFields();
    } catch {
      return; // the fields say what is missing
    }
    try {
      const r = await assign.mutateAsync({ personIds: rows.map((x) => x.personId), assessorId: v.assessorId, note: v.note ?? '' });
      message.success(t('asm.due.assigned', { n: r.assigned, re: r.reassigned, same: r.unchanged }));
      form.resetFields();
      onClose(true);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('asm.due.assignTitle', { n: rows.length })}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      okButtonProps={{ loading: assign.isPending, 'data-testid': 'due-assign-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {rows.map((r) => r.name).join('、')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="assessorId" label={t('asm.due.assignTo')} rules={[{ required: true, message: t('asm.due.pickAssessor') }]}>
          <Select
            data-testid="due-assign-assessor"
            showSearch
            optionFilterProp="label"
            loading={assessors.isLoading}
            options={(assessors.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name}（${a.regionName}）` }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('asm.due.note')}>
          <Input.TextArea rows={2} maxLength={200} data-testid="due-assign-note" />
        </Form.Item>
      </Form>
      {reassigning > 0 && assessorId !== undefined && (
        <Alert type="warning" showIcon message={t('asm.due.willReassign', { n: reassigning })} data-testid="due-reassign-warning" />
      )}
    </Modal>
  );
}

/**
 * 待评估名单: who is due by the schedule or asked for an assessment, in the viewer's region (an
 * assessor: the people assigned to them and their region's list). Officers tick rows and assign them
 * to an assessor; assessors start an assessment from a row. Filters live in the URL, so the
 * workbench's to-dos link to a state.
 */
export function DuePage() {
  const { t } = useI18n();
  const { can, user } = useAuth();
  // an assessor starts an assessment only for the people assigned to them (the others are not theirs to open)
  const start = (r: DueRow) =>
    r.assignment?.assessor.id === user?.id ? (
      <Link to={`/assessments/new?personId=${r.personId}`} data-testid={`due-start-${r.personId}`}>
        {t('asm.due.start')}
      </Link>
    ) : (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('asm.due.notMine')}
      </Typography.Text>
    );
  const phone = Grid.useBreakpoint().xs === true;
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const officer = can('assessments.schedule');
  const assessor = can('assessments.write');
  const stateParam = params.get('state');
  const filters: DueFilters = {
    regionCode: params.get('region') ?? undefined,
    state: (STATES as readonly string[]).includes(stateParam ?? '') ? (stateParam as DueFilters['state']) : 'all',
    assessorId: params.get('assessor') ? Number(params.get('assessor')) : undefined,
    unassigned: params.get('unassigned') === 'true',
  };
  const assessors = useAssessors(officer);
  const paged = usePaged([...keys.due, filters], (page, pageSize) => fetchDue(filters, page, pageSize));
  const [selected, setSelected] = useState<DueRow[]>([]);
  const [assigning, setAssigning] = useState(false);

  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
    setSelected([]);
  };

  const columns: ColumnsType<DueRow> = [
    {
      title: t('asm.col.person'),
      key: 'person',
      width: 170,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/register/${r.personId}`}>{r.name}</Link>
          <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{r.idMasked}</span>
        </Space>
      ),
    },
    { title: t('asm.due.col.age'), dataIndex: 'age', width: 60, align: 'right' },
    { title: t('asm.col.region'), dataIndex: 'regionName', width: 120 },
    {
      title: t('asm.due.state'),
      key: 'state',
      width: 150,
      render: (_, r) => (
        <Space direction="vertical" size={2}>
          <StateTag r={r} />
          {r.openRequest && (
            <Typography.Text style={{ fontSize: 12 }}>
              {t('asm.due.requested', { reason: t(reasonKey(r.openRequest.reason)) })}
              {r.openRequest.note ? `：${r.openRequest.note}` : ''}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('asm.due.col.due'), dataIndex: 'dueDate', width: 105 },
    { title: t('asm.due.col.overdue'), key: 'overdue', width: 90, align: 'right', render: (_, r) => <Overdue r={r} /> },
    { title: t('asm.due.col.last'), key: 'last', width: 170, render: (_, r) => <Last r={r} /> },
    { title: t('asm.due.col.assigned'), key: 'assigned', width: 110, render: (_, r) => <Assigned r={r} /> },
  ];
  if (assessor)
    columns.push({
      title: '',
      key: 'start',
      width: 90,
      render: (_, r) => start(r),
    });

  const exportUrl = `/api/assessments/due/export${qs(dueParams(filters))}`;
  return (
    <div data-testid="due-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('asm.due.title')}
        {paged.answer && (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
            {t('asm.cov.asOf', { date: paged.answer.on })}
          </Typography.Text>
        )}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('asm.due.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
          <Segmented
            data-testid="due-states"
            value={filters.state}
            onChange={(v) => set('state', v === 'all' ? undefined : String(v))}
            options={STATES.map((s) => ({ value: s, label: t(stateKey(s)) }))}
          />
        </div>
        <TreeSelect
          treeData={regions}
          value={filters.regionCode}
          onChange={(v?: string) => set('region', v)}
          placeholder={t('asm.due.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: phone ? '100%' : 200 }}
          data-testid="due-region"
        />
        {officer && (
          <>
            <Select
              value={filters.assessorId}
              onChange={(v?: number) => set('assessor', v ? String(v) : undefined)}
              placeholder={t('asm.due.assessor')}
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: phone ? '100%' : 160 }}
              options={(assessors.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
              data-testid="due-assessor"
            />
            <Checkbox checked={filters.unassigned} onChange={(e) => set('unassigned', e.target.checked ? 'true' : undefined)} data-testid="due-unassigned">
              {t('asm.due.unassigned')}
            </Checkbox>
          </>
        )}
        <ExportButton url={exportUrl} fileName="assessments-due.xlsx" testId="due-export" />
        {officer && !phone && (
          <Button type="primary" disabled={!selected.length} onClick={() => setAssigning(true)} data-testid="due-assign">
            {t('asm.due.assign', { n: selected.length })}
          </Button>
        )}
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="due-cards"
          rowKey={(r) => r.personId}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }} data-testid={`due-card-${r.personId}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/register/${r.personId}`} style={{ fontWeight: 600 }}>
                  {r.name}
                </Link>
                <StateTag r={r} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {r.regionName} · {t('asm.due.age', { n: r.age })} · {t('asm.due.col.due')} {r.dueDate} <Overdue r={r} />
              </div>
              <div style={{ fontSize: 12, display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
                <Last r={r} />
                <Assigned r={r} />
              </div>
              {assessor && start(r)}
            </Card>
          )}
        />
      ) : (
        <PagedTable<DueRow>
          paged={paged}
          testId="due-table"
          size="small"
          rowKey={(r) => r.personId}
          columns={columns}
          scroll={{ x: 1100 }}
          rowSelection={
            officer
              ? { selectedRowKeys: selected.map((r) => r.personId), onChange: (_keys, rows) => setSelected(rows), preserveSelectedRowKeys: true }
              : undefined
          }
        />
      )}
      <AssignDialog
        rows={selected}
        open={assigning}
        onClose={(done) => {
          setAssigning(false);
          if (done) setSelected([]);
        }}
      />
    </div>
  );
}
