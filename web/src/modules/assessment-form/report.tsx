import { Button, Result, Spin } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { shanghaiTime } from '../../shared/format';
import { useAssessment } from './api';
import { instrument, levelName, pickText } from './instrument';
import type { AssessmentView } from './types';

/**
 * The report's print CSS: A4, the console's frame (menu, header) hidden, the tables as the
 * standard's forms print them (ruled cells, the indicator's sub-total under its items).
 */
const PRINT_CSS = `
@page { size: A4; margin: 12mm 12mm 14mm; }
.af-report { max-width: 190mm; margin: 0 auto; background: #fff; color: #000; font-size: 12px; line-height: 1.5; padding: 8mm 0; }
.af-report h1 { font-size: 20px; text-align: center; margin: 0 0 4px; }
.af-report .af-sub { text-align: center; font-size: 12px; margin-bottom: 12px; }
.af-report h2 { font-size: 14px; margin: 14px 0 6px; }
.af-report table { width: 100%; border-collapse: collapse; page-break-inside: auto; }
.af-report tr { page-break-inside: avoid; }
.af-report th, .af-report td { border: 1px solid #000; padding: 3px 6px; vertical-align: top; text-align: left; }
.af-report th { background: #f2f2f2; font-weight: 600; }
.af-report td.num, .af-report th.num { text-align: center; width: 44px; }
.af-report .af-sign img { height: 56px; }
.af-report .af-verify { margin-top: 14px; border: 1px dashed #000; padding: 6px 10px; display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
@media print {
  .ant-layout-sider, .ant-layout-header, .af-noprint, .ant-message, .ant-float-btn { display: none !important; }
  .ant-layout, .ant-layout-content, body { background: #fff !important; margin: 0 !important; padding: 0 !important; }
  .af-report { padding: 0; max-width: none; }
}
`;

/** 信息提供者: the name with the relation in brackets, either alone, or a dash. */
function informantText({ name, relation }: { name: string; relation: string }): string {
  if (name && relation) return `${name}（${relation}）`;
  return name || relation || '—';
}

function Row2({ cells }: { cells: [string, React.ReactNode][] }) {
  return (
    <tr>
      {cells.map(([k, v]) => [
        <th key={`${k}-k`} style={{ width: '16%' }}>
          {k}
        </th>,
        <td key={`${k}-v`}>{v}</td>,
      ])}
    </tr>
  );
}

/** /assessments/:id/report: the report in the layout of the standard's forms, ready to print (PDF through the browser). */
export function AssessmentReportPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const query = useAssessment(id);
  if (query.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!query.data) return <Result status="404" title={query.error?.message ?? t('af.notFound')} />;
  return <Report view={query.data} />;
}

export function Report({ view: v }: { view: AssessmentView }) {
  const { t, locale } = useI18n();
  const data = instrument(v.instrumentVersion);
  const verifyUrl = `${window.location.origin}/verify`;
  const yes = (b: boolean) => (b ? t('af.yes') : t('af.no'));
  const risk = v.basic.riskEvents;
  const riskText = (['falls', 'choking', 'suicide', 'selfHarm', 'wandering', 'other'] as const)
    .filter((k) => risk[k] > 0)
    .map((k) => `${t(`af.risk.${k}`)} ${risk[k]}`)
    .join('，');
  return (
    <div>
      <style>{PRINT_CSS}</style>
      <div className="af-noprint" style={{ display: 'flex', gap: 12, marginBottom: 12 }}>
        <Button type="primary" size="large" onClick={() => window.print()} data-testid="af-print">
          {t('af.report.print')}
        </Button>
        <Link to={`/assessments/${v.id}`}>{t('af.title.view')}</Link>
      </div>
      <div className="af-report" data-testid="af-report">
        <h1>{t('af.title.report')}</h1>
        <div className="af-sub">
          {pickText(data.title, locale)} · {t('af.report.no')} {v.id}
        </div>
        {v.status !== 'reviewed' && <div style={{ textAlign: 'center', fontWeight: 600, marginBottom: 8 }}>{t('af.report.notReviewed')}</div>}

        <h2>{t('af.report.a1')}</h2>
        <table>
          <tbody>
            <Row2
              cells={[
                [t('af.referenceDate'), v.referenceDate],
                [t('af.reason'), t(`af.reason.${v.reason}`)],
                [t('af.place'), t(`af.place.${v.place}`)],
              ]}
            />
          </tbody>
        </table>

        <h2>{t('af.report.person')}</h2>
        <table>
          <tbody>
            <Row2
              cells={[
                [t('af.report.name'), v.personName],
                [t('af.report.sex'), v.sex === 'F' ? t('af.sex.F') : v.sex === 'M' ? t('af.sex.M') : v.sex],
                [t('af.report.birth'), `${v.birthDate}（${t('af.person.age', { age: v.ageAtReference })}）`],
              ]}
            />
            <Row2
              cells={[
                [t('af.report.id'), v.idMasked],
                [t('af.report.region'), v.regionName],
                [t('af.basic.marital'), t(`af.marital.${v.basic.maritalStatus}`)],
              ]}
            />
            <Row2
              cells={[
                [t('af.basic.livingWith'), v.basic.livingWith.map((x) => t(`af.living.${x}`)).join('、') || '—'],
                [t('af.basic.payment'), v.basic.medicalPayment.map((x) => t(`af.pay.${x}`)).join('、') || '—'],
                [t('af.basic.informant'), informantText(v.basic.informant)],
              ]}
            />
            <Row2
              cells={[
                [t('af.basic.dementia'), yes(v.basic.dementia)],
                [t('af.basic.mentalDisorder'), yes(v.basic.mentalDisorder)],
                [t('af.basic.riskEvents'), riskText || t('af.pi.none')],
              ]}
            />
            <Row2
              cells={[
                [t('af.basic.diagnoses'), v.basic.diagnoses || '—'],
                [t('af.basic.medications'), v.basic.medications || '—'],
                [t('af.health.coma'), yes(v.health.coma)],
              ]}
            />
          </tbody>
        </table>

        {data.indicators.map((ind) => (
          <div key={ind.code}>
            <h2>
              {ind.code} {pickText(ind, locale)}
            </h2>
            <table>
              <thead>
                <tr>
                  <th style={{ width: '22%' }}>{t('af.item')}</th>
                  <th>{t('af.answer')}</th>
                  <th className="num">{t('af.score')}</th>
                </tr>
              </thead>
              <tbody>
                {ind.items.map((item) => {
                  const s = v.answers[item.code];
                  const opt = item.options.find((o) => o.score === s);
                  return (
                    <tr key={item.code}>
                      <td>
                        {item.code} {pickText(item, locale)}
                      </td>
                      <td>{opt ? pickText(opt, locale) : '—'}</td>
                      <td className="num">{s ?? '—'}</td>
                    </tr>
                  );
                })}
                <tr>
                  <th colSpan={2} style={{ textAlign: 'right' }}>
                    {pickText(ind, locale)} {t('af.subtotal')}（{ind.max}）
                  </th>
                  <th className="num">{v.scoring.subtotals[ind.code] ?? 0}</th>
                </tr>
              </tbody>
            </table>
          </div>
        ))}

        <h2>{t('af.report.results')}</h2>
        <table>
          <tbody>
            <tr>
              <th style={{ width: '30%' }}>{t('af.total')}</th>
              <td data-testid="af-report-total">
                {v.scoring.total} / {data.total.max}
              </td>
            </tr>
            <tr>
              <th>{t('af.level.preliminary')}</th>
              <td>{levelName(v.instrumentVersion, v.scoring.preliminary, locale)}</td>
            </tr>
            <tr>
              <th>{t('af.adjustments')}</th>
              <td>
                {v.scoring.adjustments.length === 0 ? t('af.adjustments.none') : v.scoring.adjustments.map((a) => <div key={a}>{t(`af.adj.${a}`)}</div>)}
                {v.scoring.adjustments.includes('mental') && v.scoring.adjustments.includes('riskEvents') && <div>{t('af.adj.once')}</div>}
              </td>
            </tr>
            <tr>
              <th>{t('af.level.final')}</th>
              <td style={{ fontSize: 16, fontWeight: 700 }} data-testid="af-report-level">
                {levelName(v.instrumentVersion, v.scoring.final, locale)}
              </td>
            </tr>
            <tr>
              <th>{t('af.nextDue')}</th>
              <td>
                {v.nextDue ?? '—'}
                {v.validUntil && `（${t('af.validUntil')} ${v.validUntil}）`}
              </td>
            </tr>
            {v.notes && (
              <tr>
                <th>{t('af.notes')}</th>
                <td>{v.notes}</td>
              </tr>
            )}
          </tbody>
        </table>

        <h2>{t('af.signatures')}</h2>
        <table className="af-sign">
          <tbody>
            <tr>
              <th style={{ width: '18%' }}>{t('af.assessor1')}</th>
              <td>
                {v.assessor1.name} {v.signatures.assessor1 && <img src={v.signatures.assessor1} alt="" />}
              </td>
              <th style={{ width: '18%' }}>{t('af.assessor2')}</th>
              <td>
                {v.assessor2?.name ?? ''} {v.signatures.assessor2 && <img src={v.signatures.assessor2} alt="" />}
              </td>
            </tr>
            <tr>
              <th>{v.signatures.elder ? t(`af.sign.signer.${v.signatures.elder.signer}`) : t('af.sign.elder')}</th>
              <td>
                {v.signatures.elder?.name ?? ''} {v.signatures.elder && <img src={v.signatures.elder.image} alt="" />}
              </td>
              <th>{t('af.reviewer')}</th>
              <td>
                {v.reviewer?.name ?? ''} {v.reviewedAt ? shanghaiTime(v.reviewedAt) : ''}
              </td>
            </tr>
          </tbody>
        </table>

        {v.verifyCode && (
          <div className="af-verify" data-testid="af-report-verify">
            <span>
              {t('af.report.verify')}：<b data-testid="af-verify-code">{v.verifyCode}</b>
            </span>
            <span>{t('af.report.verifyAt', { url: `${verifyUrl}?code=${v.verifyCode}` })}</span>
          </div>
        )}
      </div>
    </div>
  );
}
