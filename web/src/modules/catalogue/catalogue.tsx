import { Alert, Card, Descriptions, Grid, Select, Space, Spin, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import type { CatalogueView, FactInfo } from './types';
import { factValueLabel } from '../../shared/fact-labels';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { CatalogueItems, mono } from './catalogue-items';
import { CatalogueParams } from './catalogue-params';
import { useCatalogueInForce, useCatalogueOf } from './api';

function FactsTable({ facts }: { facts: FactInfo[] }) {
  const { t, pick, locale } = useI18n();
  const typeKey = (v: string): MessageKey | null => (v === 'int' ? 'ftype.int' : v === 'bool' ? 'ftype.bool' : v === 'enum' ? 'ftype.enum' : null);
  const columns: ColumnsType<FactInfo> = [
    { title: t('fact.name'), dataIndex: 'name', width: 170, render: (v: string) => <span style={mono}>{v}</span> },
    { title: t('fact.label'), dataIndex: 'label', render: (_: string, r) => pick(r.label, r.labelEn) },
    {
      title: t('fact.type'),
      dataIndex: 'type',
      width: 90,
      render: (v: string) => {
        const k = typeKey(v);
        return k ? t(k) : v;
      },
    },
    {
      title: t('fact.values'),
      dataIndex: 'values',
      render: (v: Record<string, string> | null, r) =>
        v && r.type !== 'bool'
          ? Object.entries(v).map(([code, zhLabel]) => (
              <Tag key={code} style={{ marginBottom: 2 }}>
                <span style={mono}>{code}</span> {locale === 'en' ? factValueLabel(r.name, code, locale) : zhLabel}
              </Tag>
            ))
          : '—',
    },
  ];
  return (
    <div data-testid="catalogue-facts">
      <Table<FactInfo> rowKey="name" size="small" columns={columns} dataSource={facts} pagination={false} scroll={{ x: 760 }} />
    </div>
  );
}

/** 服务清单: the catalogue in force, its parameters (adjusted here by the bureau) and the facts rules read. */
export function CataloguePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const narrow = !Grid.useBreakpoint().md;
  const tab = params.get('tab') ?? 'items';
  const wanted = params.get('j');
  // The plain /api/catalogue is the one this platform runs; it tells which jurisdiction to mark.
  const inForce = useCatalogueInForce();
  const activeJ = inForce.data?.jurisdiction ?? null;
  const other = useCatalogueOf(wanted && activeJ && wanted !== activeJ ? wanted : null);
  const showsOther = other.fetchStatus !== 'idle' || other.data !== undefined;
  // while another jurisdiction's catalogue loads, the one shown stays
  const data: CatalogueView | null = (showsOther ? (other.data ?? inForce.data) : inForce.data) ?? null;
  const error = (inForce.error ?? other.error)?.message ?? null;
  const loading = inForce.isFetching || other.isFetching;

  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };

  if (error && !data) return <Alert type="error" showIcon message={error} />;
  if (!data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  return (
    <div data-testid="catalogue-page">
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.catalogue')}
        </Typography.Title>
        {data.jurisdictions.length > 1 && (
          // one list of the catalogues on disk (five and more do not fit a row of buttons): each
          // with where it is in force among the viewer's jurisdictions, and whether partial
          <Select
            data-testid="catalogue-jurisdiction"
            value={data.jurisdiction}
            onChange={(v) => setParam('j', v)}
            style={{ minWidth: narrow ? 220 : 320, maxWidth: '100%' }}
            options={data.jurisdictions.map((j) => ({
              value: j.jurisdiction,
              label: (
                <span>
                  {j.title}
                  {j.inUse && (
                    <Tag color="green" style={{ marginLeft: 6, marginRight: 0 }}>
                      {t('cat.inUse')}
                    </Tag>
                  )}
                  {j.partial && <Tag style={{ marginLeft: 6, marginRight: 0 }}>{t('catalogue.partial')}</Tag>}
                </span>
              ),
            }))}
          />
        )}
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Spin spinning={loading}>
        <Card size="small" style={{ marginBottom: 16 }} data-testid="catalogue-header">
          <Space align="center" wrap style={{ marginBottom: 8 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {data.title}
            </Typography.Title>
            {data.inForceIn.map((j) => (
              <Tag color="green" key={j.code} data-testid="catalogue-in-force-in">
                {t('cat.inUseBy', { name: j.name })}
              </Tag>
            ))}
            {data.partial && (
              <Tooltip title={t('catalogue.partialHint')}>
                <Tag data-testid="catalogue-partial">{t('catalogue.partial')}</Tag>
              </Tooltip>
            )}
          </Space>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('cat.effective')}>{data.effective}</Descriptions.Item>
            {/* the file a catalogue is loaded from is the bureau's business, not every officer's */}
            {can('catalogue.set_parameter') && (
              <Descriptions.Item label={t('cat.file')}>
                <span style={mono}>{data.file}</span>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('cat.source')} span={2}>
              {data.source}
            </Descriptions.Item>
          </Descriptions>
          {!data.mayChange && can('catalogue.set_parameter') && (
            <Alert
              type="info"
              showIcon
              style={{ margin: '8px 0' }}
              data-testid="catalogue-not-yours"
              message={data.inForceIn.length ? t('cat.notYoursBy', { names: data.inForceIn.map((j) => j.name).join('、') }) : t('cat.notYours')}
            />
          )}
          {data.notes.length > 0 && (
            <>
              <Typography.Text type="secondary">{t('cat.notes')}</Typography.Text>
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                {data.notes.map((n) => (
                  <li key={n}>
                    <Typography.Text style={{ fontSize: 13 }}>{n}</Typography.Text>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParam('tab', k)}
          items={[
            {
              key: 'items',
              label: `${t('cat.tab.items')} (${data.items.length})`,
              children: <CatalogueItems items={data.items} technical={can('catalogue.set_parameter')} parameters={data.parameters} />,
            },
            {
              key: 'params',
              label: `${t('cat.tab.params')} (${data.parameters.length})`,
              children: <CatalogueParams jurisdiction={data.jurisdiction} params={data.parameters} canSet={can('catalogue.set_parameter') && data.mayChange} />,
            },
            { key: 'facts', label: `${t('cat.tab.facts')} (${data.facts.length})`, children: <FactsTable facts={data.facts} /> },
          ]}
        />
      </Spin>
    </div>
  );
}
