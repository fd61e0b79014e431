import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Form,
  Grid,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  TreeSelect,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { fetchAssignments, keys, useAssign, useReassignVillage, useWorkers, type AssignmentFilters } from './api';
import { AssignmentHistory, roleText } from './history';
import { FreqTag, HighRiskTag } from './labels';
import type { AssignmentRow, WorkerRow } from './types';

/** The region that holds every code given: their longest common prefix cut to a region's length (6, 9 or 12 digits). */
export function commonRegion(codes: string[]): string | undefined {
  if (!codes.length) return undefined;
  let prefix = codes[0]!;
  for (const c of codes) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const len = [12, 9, 6].find((n) => n <= prefix.length);
  return len ? prefix.slice(0, len) : undefined;
}

/** Worker options for a Select: name, role, and how many people they visit. */
function workerOptions(t: (k: MessageKey, v?: Record<string, string | number>) => string, workers: WorkerRow[]) {
  return workers.map((w) => ({ value: w.id, label: `${w.name}（${roleText(t, w.role)} · ${t('v.people', { n: w.people })}）` }));
}

/** Select people → a grid worker or volunteer of their village, with a note. */
function AssignDialog({ rows, open, onClose }: { rows: AssignmentRow[]; open: boolean; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const region = commonRegion(rows.map((r) => r.regionCode));
  const villages = new Set(rows.map((r) => r.regionCode)).size;
  const workers = useWorkers(region, open);
  const assign = useAssign();
  const [form] = Form.useForm<{ workerId: number; note: string }>();
  const submit = async () => {
    let v: { workerId: number; note: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await assign.mutateAsync({ personIds: rows.map((r) => r.personId), workerId: v.workerId, note: v.note ?? '' });
      message.success(t('v.assign.done'));
      onClose(true);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('v.assign.assignTitle', { n: rows.length })}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      okButtonProps={{ loading: assign.isPending, 'data-testid': 'visits-assign-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {rows.map((r) => r.name).join('、')}
      </Typography.Paragraph>
      {villages > 1 && <Alert type="warning" showIcon message={t('v.assign.oneVillage')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="workerId" label={t('v.assign.assignTo')} rules={[{ required: true, message: t('v.assign.pickWorker') }]}>
          <Select
            data-testid="visits-assign-worker"
            showSearch
            optionFilterProp="label"
            loading={workers.isLoading}
            options={workerOptions(t, workers.data ?? [])}
          />
        </Form.Item>
        <Form.Item name="note" label={t('v.assign.note')}>
          <Input.TextArea rows={2} maxLength={200} data-testid="visits-assign-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 整村转派: a village's plan members (all, or one worker's) to another worker. */
function VillageDialog({ open, initialRegion, onClose }: { open: boolean; initialRegion: string | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const regions = useRegionTree();
  const reassign = useReassignVillage();
  const [form] = Form.useForm<{ regionCode: string; fromWorkerId: number | 0; toWorkerId: number }>();
  const regionCode = Form.useWatch('regionCode', form);
  const workers = useWorkers(regionCode, open && !!regionCode);
  const submit = async () => {
    let v: { regionCode: string; fromWorkerId: number | 0; toWorkerId: number };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await reassign.mutateAsync({ regionCode: v.regionCode, fromWorkerId: v.fromWorkerId || null, toWorkerId: v.toWorkerId });
      message.success(t('v.assign.villageDone'));
      onClose();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const options = workerOptions(t, workers.data ?? []);
  return (
    <Modal
      open={open}
      title={t('v.assign.villageTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: reassign.isPending, 'data-testid': 'visits-village-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ regionCode: initialRegion, fromWorkerId: 0 }}>
        <Form.Item name="regionCode" label={t('v.assign.villagePick')} rules={[{ required: true, message: t('v.assign.pickVillage') }]}>
          <TreeSelect
            treeData={regions}
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll={false}
            onChange={() => form.setFieldsValue({ fromWorkerId: 0, toWorkerId: undefined })}
            data-testid="visits-village-region"
          />
        </Form.Item>
        <Form.Item name="fromWorkerId" label={t('v.assign.from')}>
          <Select data-testid="visits-village-from" options={[{ value: 0, label: t('v.assign.fromAll') }, ...options]} loading={workers.isLoading} />
        </Form.Item>
        <Form.Item
          name="toWorkerId"
          label={t('v.assign.to')}
          dependencies={['fromWorkerId']}
          rules={[
            { required: true, message: t('v.assign.pickWorker') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value && value === getFieldValue('fromWorkerId') ? Promise.reject(new Error(t('v.assign.sameWorker'))) : Promise.resolve(),
            }),
          ]}
        >
          <Select data-testid="visits-village-to" showSearch optionFilterProp="label" options={options} loading={workers.isLoading} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The workers of the region: people and overdue; a click filters the list by the worker. */
function WorkersCard({ region, onPick, picked }: { region: string | undefined; onPick: (id: number | undefined) => void; picked: number | undefined }) {
  const { t } = useI18n();
  const workers = useWorkers(region);
  const columns: ColumnsType<WorkerRow> = [
    {
      title: t('v.worker'),
      key: 'name',
      render: (_, w) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={() => onPick(picked === w.id ? undefined : w.id)}
          data-testid={`visits-worker-${w.id}`}
        >
          {picked === w.id ? <strong>{w.name}</strong> : w.name}
        </Button>
      ),
    },
    { title: '', key: 'role', width: 70, render: (_, w) => <span style={{ fontSize: 12 }}>{roleText(t, w.role)}</span> },
    { title: t('v.assign.col.people'), dataIndex: 'people', width: 56, align: 'right' },
    {
      title: t('v.assign.col.overdue'),
      dataIndex: 'overdue',
      width: 56,
      align: 'right',
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
    },
  ];
  return (
    <Card size="small" title={t('v.assign.workers')} data-testid="visits-workers">
      {workers.error && <Alert type="error" showIcon message={workers.error.message} />}
      <Table<WorkerRow>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={workers.data ?? []}
        loading={workers.isLoading}
        pagination={false}
        scroll={{ y: 480 }}
      />
    </Card>
  );
}

/**
 * 探访分派: plan members by village with their worker; officers and village heads tick people and
 * assign them to a grid worker or volunteer of the village, move a village's plan from one worker to
 * another, and read a person's assignment history.
 */
export function AssignPage() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const phone = screens.xs === true;
  const regions = useRegionTree();
  const [params, setParams] = useSearchParams();
  const filters: AssignmentFilters = {
    region: params.get('region') ?? undefined,
    worker: params.get('worker') ? Number(params.get('worker')) : undefined,
    unassigned: params.get('unassigned') === 'true',
  };
  const paged = usePaged([...keys.assignments, filters], (page, pageSize) => fetchAssignments(filters, page, pageSize));
  const [selected, setSelected] = useState<AssignmentRow[]>([]);
  const [assigning, setAssigning] = useState(false);
  const [village, setVillage] = useState(false);
  const [history, setHistory] = useState<AssignmentRow | null>(null);
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    paged.setPage(1);
    setSelected([]);
  };
  const historyLink = (r: AssignmentRow) => (
    <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setHistory(r)} data-testid={`visits-history-open-${r.personId}`}>
      {t('v.assign.history')}
    </Button>
  );
  const columns: ColumnsType<AssignmentRow> = [
    {
      title: t('v.person'),
      key: 'person',
      width: 170,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Space size={4}>
            <Link to={`/register/${r.personId}`}>{r.name}</Link>
            <HighRiskTag show={r.highRisk} />
          </Space>
          <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{r.idMasked}</span>
        </Space>
      ),
    },
    { title: t('v.region'), dataIndex: 'regionName', width: 120 },
    { title: t('v.plan'), key: 'plan', width: 80, render: (_, r) => <FreqTag frequency={r.frequency} /> },
    { title: t('v.members.joined'), dataIndex: 'joinedOn', width: 105 },
    {
      title: t('v.worker'),
      key: 'worker',
      width: 120,
      render: (_, r) =>
        r.worker ? (
          <span data-testid={`visits-row-worker-${r.personId}`}>{r.worker.name}</span>
        ) : (
          <Typography.Text type="secondary">{t('v.notAssigned')}</Typography.Text>
        ),
    },
    { title: '', key: 'history', width: 90, render: (_, r) => historyLink(r) },
  ];

  return (
    <div data-testid="visits-assign-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('v.assign.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('v.assign.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <TreeSelect
          treeData={regions}
          value={filters.region}
          onChange={(v?: string) => set('region', v)}
          placeholder={t('v.region')}
          allowClear
          showSearch
          treeNodeFilterProp="title"
          style={{ width: phone ? '100%' : 220 }}
          data-testid="visits-assign-region"
        />
        <Checkbox
          checked={filters.unassigned}
          onChange={(e) => set('unassigned', e.target.checked ? 'true' : undefined)}
          data-testid="visits-assign-unassigned"
        >
          {t('v.assign.unassigned')}
        </Checkbox>
        <Button type="primary" disabled={!selected.length} onClick={() => setAssigning(true)} data-testid="visits-assign">
          {t('v.assign.assign', { n: selected.length })}
        </Button>
        <Button onClick={() => setVillage(true)} data-testid="visits-village">
          {t('v.assign.village')}
        </Button>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          {phone ? (
            <PagedCards
              paged={paged}
              testId="visits-assign-cards"
              rowKey={(r) => r.personId}
              renderCard={(r) => {
                const on = selected.some((s) => s.personId === r.personId);
                return (
                  <Card size="small" style={{ width: '100%' }}>
                    <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
                      <Checkbox
                        checked={on}
                        onChange={(e) => setSelected((prev) => (e.target.checked ? [...prev, r] : prev.filter((s) => s.personId !== r.personId)))}
                      >
                        <span style={{ fontWeight: 600 }}>{r.name}</span>
                      </Checkbox>
                      <FreqTag frequency={r.frequency} />
                    </div>
                    <div style={{ fontSize: 12, margin: '4px 0' }}>
                      {r.regionName} · {r.worker?.name ?? t('v.notAssigned')}
                    </div>
                    {historyLink(r)}
                  </Card>
                );
              }}
            />
          ) : (
            <PagedTable<AssignmentRow>
              paged={paged}
              testId="visits-assign-table"
              size="small"
              rowKey={(r) => r.personId}
              columns={columns}
              scroll={{ x: 640 }}
              rowSelection={{ selectedRowKeys: selected.map((r) => r.personId), onChange: (_k, rows) => setSelected(rows), preserveSelectedRowKeys: true }}
            />
          )}
        </Col>
        <Col xs={24} xl={7}>
          <WorkersCard region={filters.region} picked={filters.worker} onPick={(id) => set('worker', id ? String(id) : undefined)} />
        </Col>
      </Row>
      <AssignDialog
        rows={selected}
        open={assigning}
        onClose={(done) => {
          setAssigning(false);
          if (done) setSelected([]);
        }}
      />
      <VillageDialog open={village} initialRegion={filters.region} onClose={() => setVillage(false)} />
      <Drawer
        open={history !== null}
        onClose={() => setHistory(null)}
        title={history ? t('v.assign.historyTitle', { name: history.name }) : ''}
        width={phone ? '100%' : 420}
        destroyOnHidden
      >
        {history && <AssignmentHistory personId={history.personId} />}
      </Drawer>
    </div>
  );
}
