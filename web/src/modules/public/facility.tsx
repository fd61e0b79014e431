import { Link, useParams } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useFacilityPage, usePortal } from './api';
import { BIG_LINK, BODY, CARD, Loading, PublicShell, TOUCH_LINK, usePick } from './frame';
import { countKey } from './plural';
import { telHref } from './home';

/** A facility's public page: the place, its beds and free beds by type, its published inspections and credit grade. */
export function FacilityPublicPage() {
  const { t } = useI18n();
  const pick = usePick();
  const id = Number(useParams().id);
  const q = useFacilityPage(id);
  const portal = usePortal();
  const d = q.data;
  const f = d?.facility;
  const line = (label: string, text: string, testId?: string) => (
    <p style={{ ...BODY, margin: '4px 0' }} data-testid={testId}>
      <strong>{label}</strong>
      {text}
    </p>
  );
  return (
    <PublicShell title={f ? f.name : t('pub.fac.title')} testId="pub-facility-page">
      {!d || !f ? (
        <Loading error={q.error} />
      ) : (
        <>
          <section style={CARD} aria-labelledby="pub-fac-about">
            <h2 id="pub-fac-about" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.fac.about')}
            </h2>
            {line(t('pub.fac.kind'), t(`fac.kind.${f.kind}` as MessageKey))}
            {line(t('pub.fac.grade'), f.gradeText ? pick(f.gradeText) : t('pub.fac.ungraded'))}
            {line(t('pub.fac.ownership'), t(`fac.own.${f.ownership}` as MessageKey))}
            {line(t('pub.fac.address'), `${f.townName} ${f.address}`)}
          </section>
          <section style={CARD} aria-labelledby="pub-fac-beds">
            <h2 id="pub-fac-beds" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.fac.beds')}
            </h2>
            {f.byType.length ? (
              <table style={{ ...BODY, width: '100%', borderCollapse: 'collapse' }} data-testid="pub-fac-beds">
                <thead>
                  <tr>
                    <th scope="col" style={{ textAlign: 'left', borderBottom: '2px solid #888' }}>
                      {t('pub.fac.bedType')}
                    </th>
                    <th scope="col" style={{ textAlign: 'right', borderBottom: '2px solid #888' }}>
                      {t('pub.fac.total')}
                    </th>
                    <th scope="col" style={{ textAlign: 'right', borderBottom: '2px solid #888' }}>
                      {t('pub.fac.free')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {f.byType.map((b) => (
                    <tr key={b.type}>
                      <th scope="row" style={{ textAlign: 'left', fontWeight: 400, padding: '6px 0' }}>
                        {t(`fac.bedType.${b.type}` as MessageKey)}
                      </th>
                      <td style={{ textAlign: 'right' }}>{b.beds}</td>
                      <td style={{ textAlign: 'right', fontWeight: 700 }}>{b.free}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p style={BODY}>{t('pub.fac.noBeds')}</p>
            )}
          </section>
          <section style={CARD} aria-labelledby="pub-fac-how">
            <h2 id="pub-fac-how" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.fac.how')}
            </h2>
            {/* a public or publicly built home takes elders by the county's queue (轮候), not at its own door */}
            {(f.ownership === 'public' || f.ownership === 'public_private') && (
              <p style={{ ...BODY, marginTop: 0 }} data-testid="pub-fac-queue">
                {t('pub.fac.queue', { own: t(`fac.own.${f.ownership}`) })}{' '}
                <Link to="/admission/track" style={TOUCH_LINK} data-testid="pub-fac-queue-track">
                  {t('pub.fac.queueTrack')}
                </Link>
              </p>
            )}
            <p style={{ ...BODY, marginTop: 0 }}>
              <Link to="/public/apply" style={TOUCH_LINK} data-testid="pub-fac-apply">
                {t('pub.fac.applySteps')}
              </Link>
            </p>
            {portal.data && (
              <a href={telHref(portal.data.hotline)} style={{ ...BIG_LINK, background: '#1d6b2f' }} data-testid="pub-fac-call">
                {t('pub.fac.call', { number: portal.data.hotline })}
              </a>
            )}
          </section>
          <section style={CARD} aria-labelledby="pub-fac-rating">
            <h2 id="pub-fac-rating" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.fac.rating')}
            </h2>
            <p style={{ ...BODY, margin: 0 }} data-testid="pub-fac-rating">
              {d.rating ? t('pub.fac.ratingIs', { grade: d.rating.grade, on: d.rating.computedOn }) : t('pub.fac.unrated')}
            </p>
          </section>
          <section style={CARD} aria-labelledby="pub-fac-insp">
            <h2 id="pub-fac-insp" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.fac.inspections')}
            </h2>
            {d.inspections.length === 0 ? (
              <p style={{ ...BODY, margin: 0 }}>{t('pub.fac.noInspections')}</p>
            ) : (
              <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="pub-fac-inspections">
                {d.inspections.map((r) => (
                  <li key={r.inspectionId} style={{ borderTop: '1px solid #ddd', padding: '8px 0' }}>
                    <p style={{ ...BODY, margin: 0, fontWeight: 600 }}>
                      {r.inspectedOn ?? r.signedOffAt.slice(0, 10)} · {pick(r.checklistLabel)}
                    </p>
                    <p style={{ ...BODY, margin: 0 }}>
                      {r.failed.length
                        ? t('pub.fac.failed', { passed: r.passed, failed: r.failed.length })
                        : t(countKey('pub.fac.allPassed', r.passed), { passed: r.passed })}
                    </p>
                    {r.failed.map((x, i) => (
                      <p key={i} style={{ ...BODY, margin: 0 }}>
                        · {pick(x.label)}
                      </p>
                    ))}
                    {r.findings && <p style={{ ...BODY, margin: 0 }}>{r.findings}</p>}
                    {r.rectificationDue && (
                      <p style={{ ...BODY, margin: 0 }} data-testid="pub-fac-rectification">
                        {t('pub.fac.rectify', { date: r.rectificationDue })}
                        {r.rectification && ` · ${t(`pub.fac.rect.${r.rectification}`, { date: r.followedUpOn ?? '' })}`}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <Link to="/facility-map" style={TOUCH_LINK}>
            {t('pub.fac.toMap')}
          </Link>
        </>
      )}
    </PublicShell>
  );
}
