import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { usePortal } from './api';
import { BIG_LINK, BODY, CARD, Loading, PublicShell, usePick } from './frame';
import { telHref } from './home';

/** 怎么申请: the steps in plain words, where to go, when, and whom to call (the jurisdiction's setting `public`). */
export function ApplyPage() {
  const { t } = useI18n();
  const pick = usePick();
  const portal = usePortal();
  const p = portal.data;
  return (
    <PublicShell title={t('pub.apply.title')} testId="pub-apply-page">
      {!p ? (
        <Loading error={portal.error} />
      ) : (
        <>
          <section style={CARD} aria-labelledby="pub-steps-h">
            <h2 id="pub-steps-h" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.apply.steps')}
            </h2>
            <ol style={{ ...BODY, paddingLeft: 28, margin: 0 }} data-testid="pub-apply-steps">
              {p.apply.map((s, i) => (
                <li key={i} style={{ marginBottom: 8 }}>
                  {pick(s)}
                </li>
              ))}
            </ol>
          </section>
          <section style={CARD} aria-labelledby="pub-where-h">
            <h2 id="pub-where-h" style={{ fontSize: 22, marginTop: 0 }}>
              {t('pub.apply.where')}
            </h2>
            <p style={{ ...BODY, margin: 0 }} data-testid="pub-apply-window">
              {pick(p.window)}
            </p>
            <p style={{ ...BODY, marginBottom: 0 }}>{pick(p.hours)}</p>
          </section>
          <div style={{ display: 'grid', gap: 12 }}>
            <Link to="/self-check" style={BIG_LINK}>
              {t('pub.btn.selfCheck')}
            </Link>
            <a href={telHref(p.hotline)} style={{ ...BIG_LINK, background: '#1d6b2f' }} data-testid="pub-apply-call">
              {t('pub.btn.call', { number: p.hotline })}
            </a>
          </div>
        </>
      )}
    </PublicShell>
  );
}
