import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Radio, Result, Select, Space, Spin, Tag, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import { ApiError, type ImportSummary, type Source } from '../../shared/api';
import { shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { ErrorReportLink, ImportCounts, ImportErrorsTable } from './import-parts';
import { useSources, useUpload } from './api';

type Outcome =
  | { kind: 'ok'; summary: ImportSummary }
  | { kind: 'rows'; message: string; importId: number; rowsBad: number; rowsTotal: number }
  | { kind: 'error'; message: string };

function SourceColumns({ source }: { source: Source }) {
  const { t, pick } = useI18n();
  return (
    <div data-testid="import-columns" style={{ marginTop: 8 }}>
      <Typography.Text type="secondary">{t('import.columns')}：</Typography.Text>
      <div style={{ marginTop: 4 }}>
        {source.columns.map((c) => (
          <Tag key={c.field} color={c.required ? 'red' : undefined} title={pick(c.label, c.labelEn)} style={{ marginBottom: 4 }}>
            {c.header}
            {c.required ? ` (${t('import.required')})` : ''}
          </Tag>
        ))}
      </div>
      <Space size={0} wrap>
        <Button type="link" style={{ paddingLeft: 0 }} href={`/api/sources/${source.key}/template.xlsx`} download data-testid="import-template">
          {t('import.template')}
        </Button>
        <Button type="link" href={`/api/sources/${source.key}/template.csv`} download data-testid="import-template-csv">
          {t('import.templateCsv')}
        </Button>
      </Space>
    </div>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  if (outcome.kind === 'error') return <Alert type="error" showIcon message={t('import.failed')} description={outcome.message} data-testid="import-error" />;
  if (outcome.kind === 'rows') {
    return (
      <div>
        <Alert
          type="error"
          showIcon
          message={outcome.message}
          data-testid="import-rows-alert"
          action={<ErrorReportLink importId={outcome.importId} />}
          style={{ marginBottom: 12 }}
        />
        <ImportErrorsTable importId={outcome.importId} />
      </div>
    );
  }
  const s = outcome.summary;
  return (
    <div data-testid="import-result">
      <Result
        status={s.rowsBad ? 'warning' : 'success'}
        title={t('import.success')}
        subTitle={t(s.rowsBad ? 'import.successPartial' : 'import.successSub', { file: s.fileName, total: s.rowsTotal, bad: s.rowsBad })}
        extra={<ImportCounts summary={s} />}
      />
      {s.rowsBad > 0 && (
        <div>
          <div style={{ marginBottom: 8 }}>
            <ErrorReportLink importId={s.id} />
          </div>
          <ImportErrorsTable importId={s.id} />
        </div>
      )}
    </div>
  );
}

/** 数据导入: one department file at a time, all-or-nothing by default. */
export function ImportsPage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [sourceKey, setSourceKey] = useState<string | undefined>();
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs(shanghaiToday()));
  const [mode, setMode] = useState<'all' | 'valid'>('all');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const sourcesQuery = useSources();
  const sources: Source[] | null = sourcesQuery.data?.sources ?? null;
  const loadError = sourcesQuery.error?.message ?? null;
  const upload = useUpload();
  const busy = upload.isPending;

  const source = sources?.find((s) => s.key === sourceKey);

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    if (!sourceKey) return;
    setOutcome(null);
    try {
      const r = await upload.mutateAsync({ source: sourceKey, asOf: asOf.format('YYYY-MM-DD'), mode, file: file as File });
      setOutcome({ kind: 'ok', summary: r.import });
      onSuccess?.(r);
    } catch (e) {
      const err = e as Error;
      if (e instanceof ApiError && e.code === 'IMPORT_ROWS') {
        const d = (e.details ?? {}) as { importId?: number; rowsBad?: number; rowsTotal?: number };
        if (d.importId !== undefined) {
          setOutcome({ kind: 'rows', message: e.message, importId: d.importId, rowsBad: d.rowsBad ?? 0, rowsTotal: d.rowsTotal ?? 0 });
        } else setOutcome({ kind: 'error', message: e.message });
      } else {
        setOutcome({ kind: 'error', message: err.message });
      }
      onError?.(err);
    }
  };

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('menu.imports')}
        </Typography.Title>
        <Link to="/imports/history">{t('menu.importHistory')}</Link>
      </Space>
      {loadError && <Alert type="error" showIcon message={loadError} style={{ marginBottom: 16 }} />}
      <Card>
        <Form layout="vertical" style={{ maxWidth: 720 }}>
          <Form.Item label={t('import.source')} required>
            <Select
              data-testid="import-source"
              loading={sources === null}
              placeholder={t('import.sourcePlaceholder')}
              value={sourceKey}
              onChange={(v: string) => {
                setSourceKey(v);
                setOutcome(null);
              }}
              showSearch
              optionFilterProp="label"
              options={(sources ?? []).map((s) => ({ value: s.key, label: pick(s.label, s.labelEn) }))}
              style={{ maxWidth: 360 }}
            />
            {source && <SourceColumns source={source} />}
          </Form.Item>
          <Form.Item label={t('import.asOf')} required>
            <DatePicker value={asOf} onChange={(d) => d && setAsOf(d)} allowClear={false} data-testid="import-asof" />
          </Form.Item>
          <Form.Item label={t('import.mode')}>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'all' | 'valid')} data-testid="import-mode">
              <Space direction="vertical">
                <Radio value="all">{t('import.mode.all')}</Radio>
                <Radio value="valid">{t('import.mode.valid')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item label={t('import.file')} required>
            <div data-testid="import-upload">
              <Upload.Dragger
                name="file"
                accept=".csv,.xlsx"
                multiple={false}
                showUploadList={false}
                disabled={busy}
                beforeUpload={() => {
                  if (!sourceKey) {
                    message.warning(t('import.needSource'));
                    return false;
                  }
                  return true;
                }}
                customRequest={customRequest}
              >
                {busy ? (
                  <Spin tip={t('import.uploading')}>
                    <div style={{ height: 48 }} />
                  </Spin>
                ) : (
                  <>
                    <p style={{ fontSize: 16, margin: '8px 0' }}>{t('import.drop')}</p>
                    <p style={{ color: '#888', margin: 0 }}>{t('import.dropHint')}</p>
                  </>
                )}
              </Upload.Dragger>
            </div>
          </Form.Item>
        </Form>
      </Card>
      {outcome && (
        <div style={{ marginTop: 16 }}>
          <OutcomeView outcome={outcome} />
        </div>
      )}
    </div>
  );
}
