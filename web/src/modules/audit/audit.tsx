import { useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { get, qs, type AuditItem, type AuditVerify, type Page } from '../../shared/api';
import { ExportButton } from '../../shared/export-button';
import { dash, shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { auditActionLabels, auditFieldList, entityTypeLabels, label, roleLabels } from '../../shared/labels';
import { PagedTable, usePaged } from '../../shared/paged';
import { useVerifyAudit } from './api';

/** The log's filter as the API takes it: days (Asia/Shanghai), operator, action, person; entity type and id for other objects. */
interface Filters {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  personId?: number;
  entityType?: string;
  entityId?: string;
}

interface FilterForm {
  dates?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  personId?: number | null;
  entityType?: string;
  entityId?: string;
}

function VerifyResult({ result }: { result: AuditVerify }) {
  const { t } = useI18n();
  if (result.ok) return <Alert type="success" showIcon message={t('audit.verifyOk', { n: result.entries })} data-testid="audit-verify-result" />;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="audit-verify-result"
      message={t('audit.verifyBad', { p: result.problems.length, n: result.entries })}
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {result.problems.map((p) => (
            <li key={`${p.seq}-${p.problem}`}>
              #{p.seq} [{p.problem}] {p.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** 审计日志: append-only and hash-chained; the verify button walks the chain on the server. */
export function AuditPage() {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const paged = usePaged(['audit', filters], (page, pageSize) => get<Page<AuditItem>>(`/api/audit${qs({ ...filters, page, pageSize })}`));
  const verifying = useVerifyAudit();
  const verify = verifying.data ?? null;

  const columns: ColumnsType<AuditItem> = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
    { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => shanghaiTime(v) },
    { title: t('audit.actor'), dataIndex: 'actor', width: 110 },
    { title: t('audit.role'), dataIndex: 'role', width: 130, render: (v: string) => label(roleLabels, v, locale) },
    { title: t('audit.ip'), dataIndex: 'ip', width: 120, render: (v: string | null) => dash(v) },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 160,
      render: (v: string) => (auditActionLabels[v] ? <span title={v}>{label(auditActionLabels, v, locale)}</span> : <code>{v}</code>),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      width: 120,
      render: (_, r) => (r.entityType ? `${label(entityTypeLabels, r.entityType, locale)}${r.entityId ? ` #${r.entityId}` : ''}` : '—'),
    },
    {
      title: t('audit.fields'),
      dataIndex: 'fields',
      // the fields a read touched can be many: a readable column, the table scrolling in its card
      width: 280,
      render: (v: string[] | null) => (v?.length ? <span title={v.join(', ')}>{auditFieldList(v, locale)}</span> : '—'),
    },
  ];

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.audit')}
        </Typography.Title>
        <Space wrap>
          <ExportButton url={`/api/audit/export${qs({ ...filters })}`} fileName="audit.xlsx" testId="audit-export" />
          <Button onClick={() => verifying.mutate()} loading={verifying.isPending} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        </Space>
      </Space>
      {verifying.error && <Alert type="error" showIcon message={verifying.error.message} style={{ marginBottom: 16 }} />}
      {verify && (
        <div style={{ marginBottom: 16 }}>
          <VerifyResult result={verify} />
        </div>
      )}
      <Form<FilterForm>
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) => {
          paged.setPage(1);
          setFilters({
            from: v.dates?.[0]?.format('YYYY-MM-DD'),
            to: v.dates?.[1]?.format('YYYY-MM-DD'),
            actor: v.actor?.trim() || undefined,
            action: v.action || undefined,
            personId: v.personId ?? undefined,
            entityType: v.entityType?.trim() || undefined,
            entityId: v.entityId?.trim() || undefined,
          });
        }}
      >
        <Form.Item name="dates">
          <DatePicker.RangePicker allowEmpty={[true, true]} placeholder={[t('audit.dateFrom'), t('audit.dateTo')]} data-testid="audit-filter-dates" />
        </Form.Item>
        <Form.Item name="actor">
          <Input placeholder={t('audit.actor')} allowClear style={{ width: 120 }} data-testid="audit-filter-actor" />
        </Form.Item>
        <Form.Item name="action">
          <Select
            placeholder={t('audit.anyAction')}
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 180 }}
            options={Object.keys(auditActionLabels)
              .sort()
              .map((a) => ({ value: a, label: label(auditActionLabels, a, locale) }))}
            data-testid="audit-filter-action"
          />
        </Form.Item>
        <Form.Item name="personId">
          <InputNumber placeholder={t('audit.personId')} min={1} precision={0} style={{ width: 120 }} data-testid="audit-filter-person" />
        </Form.Item>
        <Form.Item name="entityType">
          <Select
            placeholder={t('audit.entityType')}
            allowClear
            style={{ width: 130 }}
            options={Object.keys(entityTypeLabels).map((e) => ({ value: e, label: label(entityTypeLabels, e, locale) }))}
          />
        </Form.Item>
        <Form.Item name="entityId">
          <Input placeholder={t('audit.entityId')} allowClear style={{ width: 110 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
          {t('common.search')}
        </Button>
      </Form>
      <PagedTable<AuditItem>
        testId="audit-table"
        paged={paged}
        rowKey="seq"
        size="small"
        columns={columns}
        scroll={{ x: 1300 }}
        expandable={{
          rowExpandable: (r) => r.detail !== null,
          expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.detail, null, 2)}</pre>,
        }}
      />
    </div>
  );
}
