import { useState } from 'react';
import { Alert, Card, List, Select, Space, Tag, Typography } from 'antd';
// the ESM build, as the other charts: only the parts drawn here
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { Link } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';
import { usePublicMap } from './api';
import { KINDS } from './list';
import type { PublicFacility } from './types';

echarts.use([ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const KIND_COLOR: Record<string, string> = {
  institution: '#cf1322',
  regional_centre: '#d46b08',
  day_care: '#1677ff',
  community_station: '#389e0d',
  canteen: '#722ed1',
  care_bed_provider: '#08979c',
};

/**
 * The scatter's option: one series per kind present (its colour, a legend under the chart), a
 * tooltip naming the facility, and few axis ticks with two decimals so labels do not run together
 * on a 390 px phone.
 */
export function mapOption(located: PublicFacility[], t: (k: MessageKey, p?: Record<string, string | number>) => string, grade: (f: PublicFacility) => string) {
  const kinds = KINDS.filter((k) => located.some((f) => f.kind === k));
  return {
    animation: false,
    legend: { type: 'scroll', bottom: 0, data: kinds.map((k) => t(`fac.kind.${k}` as MessageKey)) },
    grid: { left: 48, right: 16, top: 16, bottom: 72, containLabel: false },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: { name: string; f: PublicFacility } }) =>
        `${p.data.name}<br/>${t(`fac.kind.${p.data.f.kind}` as MessageKey)} ${grade(p.data.f)}<br/>${p.data.f.beds ? t('fac.map.beds', { beds: p.data.f.beds, free: p.data.f.freeBeds }) : t('fac.map.noBeds')}`,
    },
    xAxis: {
      type: 'value',
      name: t('fac.map.lng'),
      nameLocation: 'middle',
      nameGap: 26,
      scale: true,
      splitNumber: 3,
      axisLabel: { formatter: (v: number) => v.toFixed(2), hideOverlap: true },
    },
    yAxis: { type: 'value', name: t('fac.map.lat'), scale: true, splitNumber: 4, axisLabel: { formatter: (v: number) => v.toFixed(2) } },
    series: kinds.map((k) => ({
      type: 'scatter',
      name: t(`fac.kind.${k}` as MessageKey),
      itemStyle: { color: KIND_COLOR[k] },
      symbolSize: (v: number[]) => 8 + Math.min(16, Math.sqrt(v[2] ?? 0) * 2),
      data: located.filter((f) => f.kind === k).map((f) => ({ name: f.name, value: [f.lng, f.lat, f.beds], f })),
    })),
  };
}

/**
 * 养老服务设施地图 (public, no login; 000 §8): the facilities with kind, grade, address, beds and
 * free beds, and a scatter of their WGS-84 points (no base map tiles are reachable offline, so the
 * axes are longitude and latitude, said so under the chart); a filter by kind and town.
 */
export function FacilityMapPage() {
  const { t, locale } = useI18n();
  const [kind, setKind] = useState<string | undefined>();
  const [town, setTown] = useState<string | undefined>();
  const q = usePublicMap({ kind, town });
  const items = q.data?.items ?? [];
  const located = items.filter((f) => f.lat !== null && f.lng !== null);
  const grade = (f: PublicFacility) => (f.gradeText ? (locale === 'en' ? f.gradeText.en : f.gradeText.zh) : '');
  const option = mapOption(located, t, grade);
  return (
    <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '16px 8px' }} data-testid="fac-map">
      <div style={{ maxWidth: 960, margin: '0 auto' }}>
        <Card style={{ marginBottom: 12 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
            <Typography.Title level={3} style={{ margin: 0, flex: '1 1 240px' }}>
              {t('fac.map.title')}
            </Typography.Title>
            <LangSwitch size="small" />
          </div>
          <Typography.Paragraph style={{ fontSize: 16 }}>{t('fac.map.intro')}</Typography.Paragraph>
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              allowClear
              size="large"
              placeholder={t('fac.map.allKinds')}
              value={kind}
              onChange={setKind}
              style={{ width: 220 }}
              options={KINDS.map((k) => ({ value: k, label: t(`fac.kind.${k}` as MessageKey) }))}
              data-testid="fac-map-kind"
            />
            <Select
              allowClear
              size="large"
              placeholder={t('fac.map.allTowns')}
              value={town}
              onChange={setTown}
              style={{ width: 200 }}
              options={(q.data?.towns ?? []).map((r) => ({ value: r.code, label: r.name }))}
              data-testid="fac-map-town"
            />
            <span data-testid="fac-map-count">{t('fac.map.count', { n: items.length })}</span>
          </Space>
          {q.error && <Alert type="error" showIcon message={q.error.message} />}
          <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 360, width: '100%' }} />
          <Typography.Text type="secondary">{t('fac.map.axis')}</Typography.Text>
        </Card>
        <Card>
          <List<PublicFacility>
            dataSource={items}
            loading={q.isLoading}
            data-testid="fac-map-list"
            renderItem={(f) => (
              <List.Item key={f.id}>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span style={{ fontSize: 17 }}>{f.name}</span>
                      <Tag color={KIND_COLOR[f.kind]}>{t(`fac.kind.${f.kind}` as MessageKey)}</Tag>
                      {f.gradeText && <Tag>{grade(f)}</Tag>}
                    </Space>
                  }
                  description={
                    <div style={{ fontSize: 15 }}>
                      <div>
                        {f.townName} · {f.address}
                      </div>
                      <div>{f.beds ? t('fac.map.beds', { beds: f.beds, free: f.freeBeds }) : t('fac.map.noBeds')}</div>
                    </div>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
        <Space style={{ width: '100%', justifyContent: 'center', marginTop: 12 }}>
          <Link to="/login">{t('fac.map.login')}</Link>
        </Space>
      </div>
    </div>
  );
}
