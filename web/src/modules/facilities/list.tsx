import { useState } from 'react';
import { Alert, Button, Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useFacilities, useRegions, type ListFilter } from './api';
import { FacilityForm } from './facility-form';
import type { FacilityView } from './types';

export const KINDS = ['institution', 'regional_centre', 'day_care', 'community_station', 'canteen', 'care_bed_provider'] as const;

/** The grade in words of the viewer's language. */
export function gradeWords(f: { gradeText: { zh: string; en: string } | null }, locale: string, none: string): string {
  return f.gradeText ? (locale === 'en' ? f.gradeText.en : f.gradeText.zh) : none;
}

/** 养老服务设施: the facilities of the viewer's area with their beds and which checks fail; filters by kind, region and result. */
export function FacilitiesPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [filter, setFilter] = useState<ListFilter>({});
  const [editing, setEditing] = useState<FacilityView | null | 'new'>(null);
  const list = useFacilities(filter);
  const regions = useRegions();
  const towns = (regions.data?.regions ?? []).filter((r) => r.level === 'town');
  const phone = Grid.useBreakpoint().xs === true;
  const name = (f: FacilityView) => (
    <Space direction="vertical" size={0}>
      <Link to={`/facilities/${f.id}`} data-testid={`fac-open-${f.id}`}>
        {f.name}
      </Link>
      {!f.active && <Tag>{t('fac.inactive')}</Tag>}
    </Space>
  );
  const checks = (f: FacilityView) => (
    <span data-testid={`fac-checks-${f.id}`}>
      {f.failing.length === 0 ? (
        <Tag color="green">{t('fac.allPass')}</Tag>
      ) : (
        f.failing.map((k) => (
          <Tag color="red" key={k}>
            {t(`fac.check.${k}` as MessageKey)}
          </Tag>
        ))
      )}
    </span>
  );
  // a phone gets one card per facility: every field stacked, nothing off-screen
  const phoneColumns: ColumnsType<FacilityView> = [
    {
      key: 'card',
      render: (_, f) => (
        <div data-testid={`fac-card-${f.id}`}>
          {name(f)}
          <div>
            {t(`fac.kind.${f.kind}` as MessageKey)} · {t(`fac.own.${f.ownership}` as MessageKey)} · {gradeWords(f, locale, t('fac.grade.none'))}
          </div>
          <div>
            {f.regionName} · {t('fac.bedsFigures', { beds: f.beds, nursing: f.nursingBeds, occupied: f.occupied })}
          </div>
          {checks(f)}
        </div>
      ),
    },
  ];
  const columns: ColumnsType<FacilityView> = [
    {
      title: t('fac.col.name'),
      key: 'name',
      // a name must not wrap at three or four characters on a tablet
      onCell: () => ({ style: { minWidth: 180 } }),
      render: (_, f) => name(f),
    },
    { title: t('fac.col.kind'), key: 'kind', width: 130, render: (_, f) => t(`fac.kind.${f.kind}` as MessageKey) },
    { title: t('fac.col.ownership'), key: 'own', width: 110, responsive: ['lg'], render: (_, f) => t(`fac.own.${f.ownership}` as MessageKey) },
    { title: t('fac.col.grade'), key: 'grade', width: 90, render: (_, f) => gradeWords(f, locale, t('fac.grade.none')) },
    { title: t('fac.col.region'), dataIndex: 'regionName', width: 140, responsive: ['xl'] },
    {
      title: t('fac.col.beds'),
      key: 'beds',
      width: 150,
      align: 'right',
      render: (_, f) => t('fac.bedsFigures', { beds: f.beds, nursing: f.nursingBeds, occupied: f.occupied }),
    },
    {
      title: t('fac.col.checks'),
      key: 'checks',
      render: (_, f) => checks(f),
    },
  ];
  return (
    <div data-testid="fac-list-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('fac.title')}
        </Typography.Title>
        <Space wrap>
          <Link to="/facility-map" target="_blank">
            {t('fac.publicMap')}
          </Link>
          {can('facilities.manage') && (
            <Button type="primary" onClick={() => setEditing('new')} data-testid="fac-new">
              {t('fac.new')}
            </Button>
          )}
        </Space>
      </div>
      <Alert type="info" showIcon message={t('fac.intro')} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('fac.search')}
          onSearch={(q) => setFilter((f) => ({ ...f, q: q || undefined }))}
          style={{ width: 200 }}
          data-testid="fac-search"
        />
        <Select
          allowClear
          placeholder={t('fac.filter.kind')}
          style={{ width: 190 }}
          value={filter.kind}
          onChange={(kind?: string) => setFilter((f) => ({ ...f, kind }))}
          options={KINDS.map((k) => ({ value: k, label: t(`fac.kind.${k}` as MessageKey) }))}
          data-testid="fac-filter-kind"
        />
        <Select
          allowClear
          placeholder={t('fac.filter.region')}
          style={{ width: 160 }}
          value={filter.region}
          onChange={(region?: string) => setFilter((f) => ({ ...f, region }))}
          options={towns.map((r) => ({ value: r.code, label: r.name }))}
          data-testid="fac-filter-region"
        />
        <Select
          allowClear
          placeholder={t('fac.filter.failing')}
          style={{ width: 150 }}
          value={filter.failing}
          onChange={(failing?: '1' | '0') => setFilter((f) => ({ ...f, failing }))}
          options={[
            { value: '1', label: t('fac.filter.failingYes') },
            { value: '0', label: t('fac.filter.failingNo') },
          ]}
          data-testid="fac-filter-failing"
        />
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<FacilityView>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={phone ? phoneColumns : columns}
        showHeader={!phone}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={phone ? undefined : { x: 640 }}
        data-testid="fac-table"
      />
      {editing !== null && <FacilityForm facility={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
