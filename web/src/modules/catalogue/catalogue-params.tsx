import { useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import type { CatalogueParameter, ParamType, UsedParam } from './types';
import { useParameterImpact, useSetParameter } from './api';
import { dash, shanghaiTime, yuan } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { mono } from './catalogue-items';
import { actorName, paramSource } from '../../shared/labels';

/** A parameter value as people read it: money in 元 (the API sends fen), integers with their unit. */
export function paramValueText(
  type: ParamType | undefined,
  unit: string | null | undefined,
  v: number | string | null | undefined,
  t: (k: MessageKey) => string,
): string | null {
  if (v === null || v === undefined) return null;
  if (type === 'money' && typeof v === 'number') return `${yuan(v)} ${unit || t('common.yuan')}`;
  return unit ? `${v} ${unit}` : String(v);
}

export function ParamValue({ type, unit, value }: { type?: ParamType; unit?: string | null; value: number | string | null | undefined }) {
  const { t } = useI18n();
  const s = paramValueText(type, unit, value, t);
  return s === null ? (
    <Typography.Text type="danger" data-testid="param-unset">
      {t('param.unset')}
    </Typography.Text>
  ) : (
    <span>{s}</span>
  );
}

type Value = number | string | null;

/** The value in force on a date: the latest administrator's value begun by then, else the file's (as the server's engine.valueOn). */
function valueOnDate(p: CatalogueParameter, date: string): Value | undefined {
  let best: CatalogueParameter['overrides'][number] | null = null;
  for (const o of p.overrides) if (o.from <= date && (!best || o.from > best.from)) best = o;
  if (best) return best.value;
  return [...p.values].reverse().find((x) => x.from <= date && (x.to === null || date <= x.to))?.value;
}

function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The values that take effect after `today`, each with its first day: every date a value begins
 * or ends (the file's or an administrator's) where the value in force changes.
 */
export function upcomingValues(p: CatalogueParameter, today: string): { from: string; value: Value }[] {
  const dates = [...new Set([...p.overrides.map((o) => o.from), ...p.values.flatMap((v) => [v.from, ...(v.to ? [dayAfter(v.to)] : [])])])]
    .filter((d) => d > today)
    .sort();
  const out: { from: string; value: Value }[] = [];
  let before = valueOnDate(p, today) ?? null;
  for (const d of dates) {
    const v = valueOnDate(p, d) ?? null;
    if (v !== before) out.push({ from: d, value: v });
    before = v;
  }
  return out;
}

function History({ p }: { p: CatalogueParameter }) {
  const { t, locale } = useI18n();
  const fileCols: ColumnsType<UsedParam> = [
    { title: t('param.from'), dataIndex: 'from', width: 110 },
    { title: t('param.to'), dataIndex: 'to', width: 110, render: (v: string | null) => dash(v) },
    { title: t('param.value'), dataIndex: 'value', width: 140, render: (v: number | string | null) => <ParamValue type={p.type} unit={p.unit} value={v} /> },
    { title: t('param.source'), dataIndex: 'source', render: (_: string, r) => paramSource(r, locale) },
  ];
  const overrideCols: ColumnsType<CatalogueParameter['overrides'][number]> = [
    { title: t('param.from'), dataIndex: 'from', width: 110 },
    { title: t('param.value'), dataIndex: 'value', width: 140, render: (v: number | string | null) => <ParamValue type={p.type} unit={p.unit} value={v} /> },
    { title: t('param.note'), dataIndex: 'note' },
    { title: t('param.setBy'), dataIndex: 'setBy', width: 120, render: (v: string) => actorName(v, locale) },
    { title: t('param.setAt'), dataIndex: 'setAt', width: 170, render: (v: string) => shanghaiTime(v) },
  ];
  return (
    <div data-testid={`param-history-${p.name}`}>
      <Typography.Text strong>{t('param.fileValues')}</Typography.Text>
      <Table
        rowKey={(r) => r.from}
        size="small"
        columns={fileCols}
        dataSource={p.values}
        pagination={false}
        scroll={{ x: 600 }}
        style={{ margin: '4px 0 12px' }}
      />
      <Typography.Text strong>{t('param.overrides')}</Typography.Text>
      <Table
        rowKey={(r) => `${r.from}-${r.setAt}`}
        size="small"
        columns={overrideCols}
        dataSource={p.overrides}
        pagination={false}
        scroll={{ x: 640 }}
        style={{ marginTop: 4 }}
        locale={{ emptyText: t('param.noOverrides') }}
      />
    </div>
  );
}

interface AdjustFields {
  from: Dayjs;
  value: string;
  note: string;
}

/** 调整: a new value from a date on; the server refuses dates that would rewrite the past and says why. */
function AdjustModal({ jurisdiction, p, onClose, onSaved }: { jurisdiction: string; p: CatalogueParameter; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<AdjustFields>();
  const impactOf = useParameterImpact(jurisdiction);
  const setting = useSetParameter(jurisdiction);
  const busy = impactOf.isPending || setting.isPending;
  const [error, setError] = useState<string | null>(null);
  const valueLabel = p.type === 'money' ? t('param.form.valueYuan') : t('param.form.value');

  const submit = async (v: AdjustFields) => {
    setError(null);
    const change = { name: p.name, from: v.from.format('YYYY-MM-DD'), value: v.value.trim() };
    const save = async () => {
      await setting.mutateAsync({ ...change, note: v.note.trim() });
      message.success(
        t('param.saved', { label: p.label, from: change.from, value: p.type === 'money' ? `${change.value} ${t('common.yuan')}` : change.value }),
      );
      onSaved();
    };
    try {
      // Before saving: the months already run that this value reaches become out of date; say which.
      const impact = await impactOf.mutateAsync(change);
      if (!impact.staleRuns.length) {
        await save();
        return;
      }
      modal.confirm({
        title: t('param.impactTitle'),
        width: 560,
        content: (
          <div data-testid="param-impact">
            <Typography.Paragraph>{t('param.impactBody')}</Typography.Paragraph>
            <ul style={{ paddingInlineStart: 20 }}>
              {impact.staleRuns.map((r) => (
                <li key={r.id}>{t('param.impactRun', { period: r.period, id: r.id, n: r.openRolls })}</li>
              ))}
            </ul>
          </div>
        ),
        okText: t('param.impactOk'),
        cancelText: t('common.cancel'),
        okButtonProps: { 'data-testid': 'param-impact-ok' } as ButtonProps,
        onOk: async () => {
          try {
            await save();
          } catch (e) {
            setError((e as Error).message);
          }
        },
      });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Modal
      open
      title={t('param.modalTitle', { label: p.label })}
      onCancel={onClose}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'param-save' } as ButtonProps}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('param.form.hint')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="param-error" />}
      <Form<AdjustFields> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ from: dayjs().add(1, 'month').startOf('month') }}>
        <Form.Item name="from" label={t('param.form.from')} rules={[{ required: true, message: t('common.required', { what: t('param.form.from') }) }]}>
          <DatePicker style={{ width: '100%' }} data-testid="param-from" />
        </Form.Item>
        <Form.Item name="value" label={valueLabel} rules={[{ required: true, whitespace: true, message: t('common.required', { what: valueLabel }) }]}>
          <Input
            inputMode={p.type === 'text' ? 'text' : 'decimal'}
            suffix={p.type === 'money' ? t('common.yuan') : (p.unit ?? undefined)}
            data-testid="param-value"
          />
        </Form.Item>
        <Form.Item name="note" label={t('param.note')} rules={[{ required: true, whitespace: true, message: t('common.required', { what: t('param.note') }) }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('param.form.notePlaceholder')} data-testid="param-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 参数: each parameter's value today, where it comes from, and its history; administrators adjust
 * it (the catalogue and the runs refresh after a save: useSetParameter).
 */
export function CatalogueParams({
  jurisdiction,
  params,
  canSet,
  today = shanghaiTime(new Date().toISOString()).slice(0, 10),
}: {
  jurisdiction: string;
  params: CatalogueParameter[];
  canSet: boolean;
  /** the civil date in Asia/Shanghai (given in tests) */
  today?: string;
}) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<CatalogueParameter | null>(null);
  const typeKey = (v: ParamType): MessageKey => (v === 'money' ? 'ptype.money' : v === 'int' ? 'ptype.int' : 'ptype.text');
  const columns: ColumnsType<CatalogueParameter> = [
    { title: t('param.label'), dataIndex: 'label', width: 220 },
    { title: t('param.name'), dataIndex: 'name', width: 180, render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('param.type'), dataIndex: 'type', width: 70, render: (v: ParamType) => t(typeKey(v)) },
    { title: t('param.unit'), dataIndex: 'unit', width: 80, render: (v: string | null) => dash(v) },
    {
      title: t('param.current'),
      key: 'current',
      width: 240,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <ParamValue type={r.type} unit={r.unit} value={r.current?.value} />
          {r.current && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('param.currentFrom', { from: r.current.from })}
            </Typography.Text>
          )}
          {/* a value already decided for a later date shows in the row, not only in its history */}
          {upcomingValues(r, today).map((u) => (
            <Tag key={u.from} color="blue" style={{ marginTop: 4, whiteSpace: 'normal' }} data-testid={`param-upcoming-${r.name}`}>
              {t('param.upcoming', { from: u.from, value: paramValueText(r.type, r.unit, u.value, t) ?? t('param.unset') })}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('param.source'),
      key: 'source',
      render: (_, r) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {dash(r.current ? paramSource(r.current, locale) : null)}
        </Typography.Text>
      ),
    },
  ];
  if (canSet) {
    columns.push({
      title: '',
      key: 'adjust',
      width: 80,
      fixed: 'right',
      render: (_, r) => (
        <Button size="small" onClick={() => setEditing(r)} data-testid={`param-adjust-${r.name}`}>
          {t('param.adjust')}
        </Button>
      ),
    });
  }
  return (
    <div data-testid="catalogue-params">
      <Table<CatalogueParameter>
        rowKey="name"
        size="small"
        columns={columns}
        dataSource={params}
        pagination={false}
        scroll={{ x: 1000 }}
        expandable={{ expandedRowRender: (r) => <History p={r} /> }}
      />
      {editing && <AdjustModal jurisdiction={jurisdiction} p={editing} onClose={() => setEditing(null)} onSaved={() => setEditing(null)} />}
    </div>
  );
}
