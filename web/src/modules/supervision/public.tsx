import { Card, List, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { shanghaiTime, shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';
import { countKey } from '../public/plural';
import { PublicTheme } from '../public/theme';
import { useFormula, usePublicResults, usePublicRounds, useRound } from './api';
import { RoundDetails, StratumTag, VerifyPanel } from './round-view';

function Frame({ children }: { children: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <PublicTheme>
      <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '16px 8px' }}>
        <div style={{ maxWidth: 960, margin: '0 auto' }}>
          <Card style={{ marginBottom: 12 }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap' }}>
              <Typography.Title level={4} style={{ margin: 0, flex: '1 1 240px' }}>
                {t('sv.public.title')}
              </Typography.Title>
              <LangSwitch size="small" />
            </div>
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              {t('sv.public.intro')}
            </Typography.Paragraph>
          </Card>
          {children}
        </div>
      </div>
    </PublicTheme>
  );
}

function Rounds() {
  const { t } = useI18n();
  const q = usePublicRounds();
  return (
    <List
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      data-testid="sv-public-rounds"
      renderItem={(r) => (
        <List.Item>
          <Space direction="vertical" size={0} style={{ width: '100%' }}>
            <Link to={`/public/supervision/rounds/${r.id}`} style={{ fontSize: 16 }}>
              {r.name}
            </Link>
            {/* the status and each figure in words of their own: "Announced, not drawn 15 targets · 4 to be drawn · announced …" */}
            <span data-testid="sv-public-round-line">
              <Tag>{t(r.status === 'drawn' ? 'sv.status.drawn' : 'sv.status.announced')}</Tag>{' '}
              {[
                t(countKey('sv.public.targets', r.targets), { n: r.targets }),
                t(r.status === 'drawn' ? 'sv.public.drawnN' : 'sv.public.toDraw', { n: r.drawn }),
                t('sv.public.announcedAt', { at: shanghaiTime(r.announcedAt) }),
              ].join(' · ')}
            </span>
          </Space>
        </List.Item>
      )}
    />
  );
}

function Results() {
  const { t, locale } = useI18n();
  const q = usePublicResults();
  const L = (x: { zh: string; en: string }) => (locale === 'en' ? x.en : x.zh);
  // a label's colon in the page's language (a full-width one in an English line reads as a typo)
  const colon = locale === 'en' ? ': ' : '：';
  return (
    <List
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      data-testid="sv-public-results"
      renderItem={(r) => (
        <List.Item>
          <Space direction="vertical" size={2} style={{ width: '100%' }}>
            <strong style={{ fontSize: 16 }}>{r.targetName}</strong>
            <span>
              {L(r.checklistLabel)} · {r.inspectedOn} · {t(countKey('sv.public.passed', r.passed), { n: r.passed })}
            </span>
            {r.failed.length ? (
              <div>
                {t('sv.public.failed')}
                {colon}
                {r.failed.map((f, i) => (
                  <Tag key={i} color={f.severity === 'serious' ? 'red' : f.severity === 'major' ? 'orange' : 'default'} style={{ whiteSpace: 'normal' }}>
                    {locale === 'en' ? `${L(f.label)} (${t(`sv.severity.${f.severity}`)})` : `${L(f.label)}（${t(`sv.severity.${f.severity}`)}）`}
                  </Tag>
                ))}
              </div>
            ) : (
              <Tag color="green">{t('sv.public.none')}</Tag>
            )}
            {r.findings && <Typography.Text type="secondary">{r.findings}</Typography.Text>}
            {r.rectificationDue && (
              <span data-testid="sv-public-rectification">
                {t('sv.insp.due')}
                {colon}
                {r.rectificationDue}
                {/* where the rectification stands, as the facility's page says it */}
                {` · ${
                  r.followedUpOn
                    ? t('sv.public.rectified', { on: r.followedUpOn })
                    : t(shanghaiToday() > r.rectificationDue ? 'sv.public.overdue' : 'sv.public.rectifying')
                }`}
              </span>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

export function Formula() {
  const { t, locale } = useI18n();
  const q = useFormula();
  if (!q.data) return null;
  const f = q.data.formula;
  return (
    <div data-testid="sv-formula">
      <Typography.Paragraph>{t('sv.formula.window', { days: f.windowDays })}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        scroll={{ x: 360 }}
        dataSource={f.terms}
        columns={[
          { title: '', key: 'k', render: (_, x) => (locale === 'en' ? q.data.termLabels[x.key]?.en : q.data.termLabels[x.key]?.zh) },
          { title: t('sv.term.weight'), dataIndex: 'pointsPerUnit', width: 90, align: 'right' },
          { title: t('sv.term.max'), dataIndex: 'maxPoints', width: 80, align: 'right' },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 8 }}>
        {t('sv.formula.satisfaction', { target: f.satisfactionTarget, min: f.satisfactionMinResponses })}
      </Typography.Paragraph>
      <Typography.Paragraph>{t('sv.formula.bands', f.bands)}</Typography.Paragraph>
      <Typography.Paragraph strong>{t('sv.formula.cap', { grade: f.seriousFindingCap })}</Typography.Paragraph>
      <Typography.Paragraph>
        {t('sv.formula.shares')}：
        {Object.entries(q.data.drawShares).map(([g, p]) => (
          <span key={g} style={{ marginRight: 8 }}>
            <StratumTag s={g} /> {p}%
          </span>
        ))}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('sv.formula.doc')}</Typography.Paragraph>
    </div>
  );
}

/** 双随机一公开 (public, no login): the rounds, the published results, the rating formula. */
export function PublicSupervisionPage() {
  const { t } = useI18n();
  return (
    <Frame>
      <Card>
        <Tabs
          items={[
            { key: 'rounds', label: t('sv.public.rounds'), children: <Rounds /> },
            { key: 'results', label: t('sv.public.results'), children: <Results /> },
            { key: 'formula', label: t('sv.public.formula'), children: <Formula /> },
          ]}
        />
      </Card>
    </Frame>
  );
}

/** One round, public: everything needed to re-run it, and the button that does. */
export function PublicRoundPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const q = useRound(id, true);
  return (
    <Frame>
      <Card>
        <Link to="/public/supervision">← {t('sv.public.back')}</Link>
        {q.data && (
          <>
            <div style={{ marginTop: 12 }}>
              <VerifyPanel round={q.data} />
            </div>
            <div style={{ marginTop: 16 }}>
              <RoundDetails round={q.data} />
            </div>
          </>
        )}
        {q.error && <Typography.Text type="danger">{q.error.message}</Typography.Text>}
      </Card>
    </Frame>
  );
}
