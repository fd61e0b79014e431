import { Alert, Button, Result, Select, Skeleton, Space } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { currentPeriod, shanghaiTime, shanghaiToday } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useReport } from './api';
import { dayText, quarterLabel, quarterOf, withUnit } from './parts';
import type { ReportRow } from './types';

/**
 * The report's print CSS: A4, the console's frame (menu, header) and the buttons hidden, ruled cells
 * as the seed's table prints them, a row never split across pages.
 */
const PRINT_CSS = `
@page { size: A4; margin: 14mm 12mm; }
.ind-report { max-width: 190mm; margin: 0 auto; background: #fff; color: #000; font-size: 12px; line-height: 1.5; padding: 8mm 6mm; }
.ind-report h1 { font-size: 18px; text-align: center; margin: 0 0 4px; }
.ind-report .ind-sub { text-align: center; font-size: 12px; margin-bottom: 10px; color: #333; }
.ind-report h2 { font-size: 14px; margin: 16px 0 6px; }
.ind-report .ind-scroll { overflow-x: auto; }
.ind-report table { width: 100%; min-width: 560px; border-collapse: collapse; page-break-inside: auto; }
.ind-report thead { display: table-header-group; }
.ind-report tr { page-break-inside: avoid; break-inside: avoid; }
.ind-report th, .ind-report td { border: 1px solid #000; padding: 3px 6px; vertical-align: middle; text-align: left; }
.ind-report th { background: #f2f2f2; font-weight: 600; text-align: center; }
.ind-report td.c { text-align: center; }
.ind-report td.n { text-align: right; white-space: nowrap; }
.ind-report td.why { color: #555; font-size: 11px; }
.ind-report .met { color: #237804; }
.ind-report .not_met { color: #a8071a; font-weight: 600; }
.ind-report .ind-running { color: #ad6800; font-weight: 600; }
.ind-report .ind-note { margin-top: 10px; font-size: 11px; color: #333; }
@media print {
  .ant-layout-sider, .ant-layout-header, .ind-noprint, .ant-message, .ant-float-btn, .ant-drawer { display: none !important; }
  .ant-layout, .ant-layout-content, body { background: #fff !important; margin: 0 !important; padding: 0 !important; }
  .ind-report { padding: 0; max-width: none; }
  .ind-report .ind-scroll { overflow: visible; }
  .ind-report table { min-width: 0; }
}
`;

/** The running quarter, then the seven before it, newest first. */
function recentQuarters(): string[] {
  const [y, m] = currentPeriod().split('-').map(Number) as [number, number];
  let year = y;
  let q = Math.ceil(m / 3);
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(`${year}Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}

/** The quarter the report opens at: the last completed one (on 2026-12-01, 2026Q3), not the running one. */
export function lastCompletedQuarter(): string {
  return recentQuarters()[1]!;
}

/**
 * A table of rows: the seed's (numbered by its own row numbers, targets the plan's 2025 figures) or
 * the others (numbered 1, 2, ..., targets the jurisdiction's settings).
 */
function Rows({ rows, seed, testId }: { rows: ReportRow[]; seed: boolean; testId: string }) {
  const { t, pick } = useI18n();
  // the category cell spans its rows, as the seed's table prints it
  const spans = rows.map((r, i) => {
    const cat = pick(r.category.zh, r.category.en);
    if (i > 0 && pick(rows[i - 1]!.category.zh, rows[i - 1]!.category.en) === cat) return 0;
    let n = 1;
    while (i + n < rows.length && pick(rows[i + n]!.category.zh, rows[i + n]!.category.en) === cat) n++;
    return n;
  });
  return (
    <div className="ind-scroll">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th style={{ width: '11%' }}>{t('ind.r.col.category')}</th>
            <th style={{ width: '6%' }}>{t('ind.r.col.no')}</th>
            <th>{t('ind.r.col.name')}</th>
            <th style={{ width: '11%' }}>{seed ? t('ind.r.col.target') : t('ind.col.target')}</th>
            <th style={{ width: '9%' }}>{t('ind.r.col.attribute')}</th>
            <th style={{ width: '14%' }}>{t('ind.r.col.value')}</th>
            <th style={{ width: '10%' }}>{t('ind.r.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.seedRow ?? ''}-${r.key ?? i}`} data-testid={`${testId}-row`} data-key={r.key ?? ''}>
              {spans[i]! > 0 && (
                <td className="c" rowSpan={spans[i]}>
                  {pick(r.category.zh, r.category.en)}
                </td>
              )}
              <td className="c">{seed ? (r.seedRow ?? '') : i + 1}</td>
              <td>{pick(r.name.zh, r.name.en)}</td>
              <td className="c">{r.target}</td>
              <td className="c">{pick(r.attribute.zh, r.attribute.en)}</td>
              {r.reason ? (
                <td colSpan={2} className="why" data-testid="ind-report-reason">
                  {t('ind.r.unsupported', { reason: pick(r.reason.zh, r.reason.en) })}
                </td>
              ) : (
                <>
                  <td className="n">
                    {r.unit ? withUnit(r.value, r.unit, t) : '—'}
                    {r.denominator !== null && r.numerator !== null && (
                      <div style={{ fontSize: 10, color: '#555' }}>
                        {r.numerator.toLocaleString('en-US')} / {r.denominator.toLocaleString('en-US')}
                      </div>
                    )}
                  </td>
                  <td className={`c ${r.status}`}>{t(`ind.status.${r.status}` as MessageKey)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The day a running quarter's figures run to: the day they were computed, today when not known. */
const asOfDay = (computedAt: string | null) => (computedAt ? shanghaiTime(computedAt).slice(0, 10) : shanghaiToday());

/** /indicators/report?quarter=YYYYQn&region=: the quarterly report in seed 001's table layout, ready to print (PDF through the browser). */
export function IndicatorReportPage() {
  const { t, pick } = useI18n();
  const [params, setParams] = useSearchParams();
  const quarter = /^\d{4}Q[1-4]$/.test(params.get('quarter') ?? '') ? params.get('quarter')! : lastCompletedQuarter();
  const runningQuarter = quarterOf(currentPeriod());
  const region = params.get('region') ?? undefined;
  const q = useReport(quarter, region);
  const data = q.data;
  const setQuarter = (v: string) => {
    const p = new URLSearchParams(params);
    p.set('quarter', v);
    setParams(p);
  };
  return (
    <div>
      <style>{PRINT_CSS}</style>
      <Space className="ind-noprint" wrap style={{ marginBottom: 12 }}>
        <Select
          value={quarter}
          onChange={setQuarter}
          style={{ width: 170 }}
          aria-label={t('ind.r.quarter')}
          options={recentQuarters().map((v) => ({
            value: v,
            label: v === runningQuarter ? `${quarterLabel(v, t)}${t('ind.r.runningMark')}` : quarterLabel(v, t),
          }))}
          data-testid="ind-report-quarter"
        />
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!data} data-testid="ind-print">
          {t('ind.r.print')}
        </Button>
        <Link to={`/indicators${data ? `?period=${data.period}&region=${data.region.code}` : ''}`}>{t('ind.d.back')}</Link>
      </Space>
      {q.error && !data && (
        <div data-testid="ind-error">
          <Result status="404" title={t('ind.notFound')} subTitle={q.error.message} />
        </div>
      )}
      {q.error && data && <Alert type="error" showIcon message={q.error.message} />}
      {q.isLoading && <Skeleton active />}
      {data && (
        <div className="ind-report" data-testid="ind-report">
          <h1 data-testid="ind-report-title">{t('ind.r.title', { region: data.region.name, quarter: quarterLabel(data.quarter, t) })}</h1>
          <div className="ind-sub" data-testid="ind-report-asof">
            {t('ind.r.asOf', {
              months: data.months.length > 1 ? `${data.months[0]} – ${data.months[data.months.length - 1]}` : (data.months[0] ?? data.period),
              period: data.period,
              at: data.computedAt ? shanghaiTime(data.computedAt) : '—',
            })}
          </div>
          {data.running && (
            <div className="ind-sub ind-running" data-testid="ind-report-running">
              {t('ind.r.runningNote', { date: pick(dayText(asOfDay(data.computedAt)).zh, dayText(asOfDay(data.computedAt)).en) })}
            </div>
          )}
          <h2>{t('ind.r.seedTable')}</h2>
          <Rows rows={data.rows} seed testId="ind-report-seed" />
          {data.others.length > 0 && (
            <>
              <h2>{t('ind.r.others')}</h2>
              <Rows rows={data.others} seed={false} testId="ind-report-others" />
            </>
          )}
          <div className="ind-note">{t('ind.r.note', { period: data.period })}</div>
        </div>
      )}
    </div>
  );
}
