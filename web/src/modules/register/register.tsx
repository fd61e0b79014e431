import { useEffect } from 'react';
import { Button, Card, Form, Grid, Input, Select, Space, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { get, qs, type Page, type PersonRow } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { ExportButton } from '../../shared/export-button';
import { useI18n } from '../../shared/i18n-core';
import { PersonStatusTag } from '../../shared/tags';
import { useSearchTags } from './api';
import { PersonTags } from './person-tags';
import { useRegionTree } from './use-regions';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';

interface Filters {
  q?: string;
  regionCode?: string;
  tags?: string[];
  status?: string;
}

type PagedPersons = ReturnType<typeof usePaged<Page<PersonRow>>>;

/**
 * The register on a phone (< 576 px): one card per person, the essentials first — name, age and
 * sex, where they live, status — then the tags and the masked ID; the card opens the profile.
 */
function PersonCards({ paged }: { paged: PagedPersons }) {
  const { t } = useI18n();
  return (
    <PagedCards
      paged={paged}
      testId="register-cards"
      rowKey={(r) => r.id}
      renderCard={(r) => (
        <Link to={`/register/${r.id}`} style={{ width: '100%', color: 'inherit' }} data-testid={`person-card-${r.id}`}>
          <Card size="small" hoverable>
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {r.name}
                </Typography.Text>
                <PersonStatusTag status={r.status} />
              </div>
              <Typography.Text>
                {t(r.sex === 'M' ? 'sex.M' : 'sex.F')} · {t('register.col.age')} {r.age} · {r.townName ? `${r.townName} · ${r.regionName}` : r.regionName}
              </Typography.Text>
              {r.tags.length > 0 && <PersonTags tags={r.tags} />}
              <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
                {r.idMasked}
              </Typography.Text>
            </Space>
          </Card>
        </Link>
      )}
    />
  );
}

/** 老年人名册: search and page through the register; the search lives in the URL so Back keeps it. */
export function RegisterPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const regions = useRegionTree();
  const searchTags = useSearchTags();
  const { can } = useAuth();
  // a phone: cards instead of a table squeezed into 390 px
  const phone = Grid.useBreakpoint().xs === true;

  const q = params.get('q') ?? '';
  const regionCode = params.get('regionCode') ?? '';
  const tags = params.get('tags') ?? '';
  const status = params.get('status') ?? 'active';
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);

  useEffect(() => {
    form.setFieldsValue({ q, regionCode: regionCode || undefined, tags: tags ? tags.split(',') : [], status });
  }, [form, q, regionCode, tags, status]);

  const paged = usePaged(
    ['persons', { q, regionCode, tags, status }],
    (page, pageSize) => get<Page<PersonRow>>(`/api/persons${qs({ q, regionCode, tags, status, page, pageSize })}`),
    {
      controlled: {
        page,
        pageSize,
        onChange: (p, ps) => {
          const next = new URLSearchParams(params);
          next.set('page', String(p));
          next.set('pageSize', String(ps));
          setParams(next);
        },
      },
    },
  );

  const search = (v: Filters) => {
    const next: Record<string, string> = { status: v.status ?? 'active', page: '1', pageSize: String(pageSize) };
    if (v.q?.trim()) next.q = v.q.trim();
    if (v.regionCode) next.regionCode = v.regionCode;
    if (v.tags?.length) next.tags = v.tags.join(',');
    setParams(next);
  };

  const columns: ColumnsType<PersonRow> = [
    { title: t('register.col.name'), dataIndex: 'name', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
    { title: t('register.col.sex'), dataIndex: 'sex', width: 70, render: (v: 'M' | 'F') => t(v === 'M' ? 'sex.M' : 'sex.F') },
    { title: t('register.col.age'), dataIndex: 'age', width: 70 },
    { title: t('register.col.id'), dataIndex: 'idMasked', render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('register.col.village'), dataIndex: 'regionName', render: (v: string, r) => (r.townName ? `${r.townName} · ${v}` : v) },
    { title: t('register.col.tags'), dataIndex: 'tags', render: (v: string[]) => <PersonTags tags={v} /> },
    { title: t('register.col.status'), dataIndex: 'status', width: 90, render: (v: string) => <PersonStatusTag status={v} /> },
  ];

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.register')}
      </Typography.Title>
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="q">
          <Input placeholder={t('register.q')} aria-label={t('register.q')} allowClear data-testid="register-search" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="regionCode">
          <TreeSelect
            treeData={regions}
            placeholder={t('register.region')}
            allowClear
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll={false}
            style={{ width: 200 }}
            data-testid="register-region"
          />
        </Form.Item>
        <Form.Item name="tags">
          <Select
            mode="multiple"
            placeholder={t('register.tags')}
            allowClear
            maxTagCount="responsive"
            style={{ width: 220 }}
            options={(searchTags.data ?? []).map((tag) => ({ value: tag.key, label: locale === 'en' ? tag.labelEn : tag.label }))}
            optionFilterProp="label"
            data-testid="register-tags"
          />
        </Form.Item>
        <Form.Item name="status">
          <Select
            style={{ width: 110 }}
            options={[
              { value: 'active', label: t('status.active') },
              { value: 'closed', label: t('status.closed') },
              { value: 'all', label: t('status.all') },
            ]}
            data-testid="register-status"
          />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="register-submit">
            {t('common.search')}
          </Button>
          <Button onClick={() => setParams({})}>{t('common.reset')}</Button>
          {/* every match of the search (not the page shown), masked unless full IDs are asked for: audited on the server */}
          <ExportButton
            url={`/api/persons/export${qs({ q, regionCode, tags, status })}`}
            fileName="register.xlsx"
            full={can('register.reveal')}
            testId="register-export"
          />
        </Space>
      </Form>
      {phone ? (
        <PersonCards paged={paged} />
      ) : (
        <PagedTable<PersonRow>
          testId="register-table"
          paged={paged}
          rowKey="id"
          size="middle"
          columns={columns}
          scroll={{ x: 800 }}
          onRow={(r) => ({ onClick: () => navigate(`/register/${r.id}`), style: { cursor: 'pointer' } })}
        />
      )}
    </div>
  );
}
