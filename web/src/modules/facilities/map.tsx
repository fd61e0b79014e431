import { Suspense, lazy, useState } from 'react';
import { Alert, Card, Select, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';
import { countKey } from '../public/plural';
import { PublicTheme } from '../public/theme';
import { usePublicMap } from './api';
import type { PublicFacility } from './types';

// the facility kinds (as list.tsx), declared here so that the public page does not pull the officers' list into its chunk
const KINDS = ['institution', 'regional_centre', 'day_care', 'community_station', 'canteen', 'care_bed_provider'] as const;
const BED_TYPES = ['ordinary', 'nursing', 'dementia'] as const;
// ECharts comes only with the chart (its own chunk): on a phone the list is read first
const MapChart = lazy(() => import('./map-chart').then((m) => ({ default: m.MapChart })));
/** A phone shows the list and draws the chart when asked; a wide screen draws it at once. */
const wide = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(min-width: 768px)').matches;
const BIG = { fontSize: 18 } as const;
type FilterName = 'kind' | 'town' | 'grade' | 'freeBed';
const LINK = {
  display: 'inline-flex',
  alignItems: 'center',
  minHeight: 44,
  fontSize: 20,
  fontWeight: 600,
  color: '#0b4f9c',
  textDecoration: 'underline',
} as const;

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
        `${p.data.name}<br/>${t(`fac.kind.${p.data.f.kind}` as MessageKey)} ${grade(p.data.f)}<br/>${p.data.f.beds ? t(countKey('fac.map.beds', p.data.f.beds), { beds: p.data.f.beds, free: p.data.f.freeBeds }) : t('fac.map.noBeds')}`,
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
 * 养老服务设施地图 (public, no login; 000 §8, R12): the facilities with kind, grade, address, beds
 * and free beds by type, filtered by kind, town, grade and "has a free bed of this type" (a daughter
 * looking for a nursing bed), as a list a phone can read (each facility links to its page) and a
 * scatter of their WGS-84 points (no base map tiles are reachable offline, so the axes are
 * longitude and latitude, said so under the chart).
 */
export function FacilityMapPage() {
  const { t, locale } = useI18n();
  // the filters live in the address (?kind=&grade=&freeBed=&town=): a search can be shared, and Back restores it
  const [params, setParams] = useSearchParams();
  const param = (name: FilterName) => params.get(name) || undefined;
  const kind = param('kind');
  const town = param('town');
  const grade = param('grade');
  const freeBed = param('freeBed');
  const setFilter = (name: FilterName) => (value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      // one history entry per search the user makes; Back returns to the previous one
      { replace: false },
    );
  const [setKind, setTown, setGrade, setFreeBed] = (['kind', 'town', 'grade', 'freeBed'] as const).map(setFilter);
  const [chart, setChart] = useState(wide);
  const q = usePublicMap({ kind, town, grade, freeBed });
  // every facility (the first answer, cached): the grades there are to choose from
  const all = usePublicMap({});
  const items = q.data?.items ?? [];
  const located = items.filter((f) => f.lat !== null && f.lng !== null);
  const gradeOf = (f: PublicFacility) => (f.gradeText ? (locale === 'en' ? f.gradeText.en : f.gradeText.zh) : '');
  const grades = [...new Map((all.data?.items ?? []).filter((f) => f.grade && f.gradeText).map((f) => [f.grade!, gradeOf(f)])).entries()].sort((a, b) =>
    a[0].localeCompare(b[0]),
  );
  const select = { allowClear: true, size: 'large' as const, style: { width: '100%', ...BIG } };
  return (
    <PublicTheme>
      <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '16px 8px', ...BIG }} data-testid="fac-map">
        <main style={{ maxWidth: 960, margin: '0 auto' }}>
          <Card style={{ marginBottom: 12 }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
              <Typography.Title level={1} style={{ margin: 0, flex: '1 1 240px', fontSize: 26 }}>
                {t('fac.map.title')}
              </Typography.Title>
              <LangSwitch size="large" />
            </div>
            <Typography.Paragraph style={BIG}>{t('fac.map.intro')}</Typography.Paragraph>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: 12, marginBottom: 12 }}>
              <div style={BIG}>
                {t('fac.map.kind')}
                <Select
                  {...select}
                  aria-label={t('fac.map.kind')}
                  placeholder={t('fac.map.allKinds')}
                  value={kind}
                  onChange={setKind}
                  options={KINDS.map((k) => ({ value: k, label: t(`fac.kind.${k}` as MessageKey) }))}
                  data-testid="fac-map-kind"
                />
              </div>
              <div style={BIG}>
                {t('fac.map.freeBed')}
                <Select
                  {...select}
                  aria-label={t('fac.map.freeBed')}
                  placeholder={t('fac.map.anyBeds')}
                  value={freeBed}
                  onChange={setFreeBed}
                  options={BED_TYPES.map((b) => ({ value: b, label: t(`fac.map.free.${b}` as MessageKey) }))}
                  data-testid="fac-map-free-bed"
                />
              </div>
              <div style={BIG}>
                {t('fac.map.grade')}
                <Select
                  {...select}
                  aria-label={t('fac.map.grade')}
                  placeholder={t('fac.map.allGrades')}
                  value={grade}
                  onChange={setGrade}
                  options={grades.map(([g, label]) => ({ value: g, label }))}
                  data-testid="fac-map-grade"
                />
              </div>
              <div style={BIG}>
                {t('fac.map.town')}
                <Select
                  {...select}
                  aria-label={t('fac.map.town')}
                  placeholder={t('fac.map.allTowns')}
                  value={town}
                  onChange={setTown}
                  options={(q.data?.towns ?? all.data?.towns ?? []).map((r) => ({ value: r.code, label: r.name }))}
                  data-testid="fac-map-town"
                />
              </div>
            </div>
            <p style={{ ...BIG, margin: 0 }} aria-live="polite" data-testid="fac-map-count">
              {t(countKey('fac.map.count', items.length), { n: items.length })}
            </p>
            {q.error && <Alert type="error" showIcon message={q.error.message} />}
          </Card>
          <Card style={{ marginBottom: 12 }}>
            {q.isLoading && <p style={BIG}>{t('fac.map.loading')}</p>}
            <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="fac-map-list">
              {items.map((f) => (
                <li key={f.id} style={{ borderBottom: '1px solid #d9d3ca', padding: '10px 0' }} data-testid={`fac-map-item-${f.id}`}>
                  <Link to={`/public/facilities/${f.id}`} style={LINK}>
                    {f.name}
                  </Link>
                  <div style={BIG}>
                    {t(`fac.kind.${f.kind}` as MessageKey)}
                    {f.gradeText ? ` · ${gradeOf(f)}` : ''}
                  </div>
                  <div style={BIG}>
                    {f.townName} · {f.address}
                  </div>
                  <div style={BIG}>{f.beds ? t(countKey('fac.map.beds', f.beds), { beds: f.beds, free: f.freeBeds }) : t('fac.map.noBeds')}</div>
                  {f.byType.some((b) => b.type !== 'ordinary') && (
                    <div style={BIG}>
                      {f.byType
                        .filter((b) => b.type !== 'ordinary')
                        .map((b) => t('fac.map.freeOfType', { type: t(`fac.bedType.${b.type}` as MessageKey), free: b.free }))
                        .join('；')}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </Card>
          <Card>
            {chart ? (
              <Suspense fallback={<p style={BIG}>{t('fac.map.loading')}</p>}>
                <MapChart option={mapOption(located, t, gradeOf)} label={t(countKey('fac.map.chartLabel', located.length), { n: located.length })} />
                <Typography.Text style={{ ...BIG, color: '#4a4a4a' }}>{t('fac.map.axis')}</Typography.Text>
              </Suspense>
            ) : (
              <button
                type="button"
                onClick={() => setChart(true)}
                style={{ minHeight: 48, width: '100%', fontSize: 18, borderRadius: 8, border: '2px solid #0b4f9c', background: '#fff', color: '#0b4f9c' }}
                data-testid="fac-map-show-chart"
              >
                {t('fac.map.showChart')}
              </button>
            )}
          </Card>
          <nav style={{ display: 'flex', gap: 16, justifyContent: 'center', flexWrap: 'wrap', marginTop: 12 }} aria-label={t('fac.map.title')}>
            <Link to="/public" style={{ ...LINK, fontWeight: 400, fontSize: 18 }}>
              {t('fac.map.home')}
            </Link>
            <Link to="/login" style={{ ...LINK, fontWeight: 400, fontSize: 18 }}>
              {t('fac.map.login')}
            </Link>
          </nav>
        </main>
      </div>
    </PublicTheme>
  );
}
