import { Link } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { usePortal } from './api';
import { PlacePicker, usePlace } from './place';
import { BIG_LINK, BODY, CARD, Loading, PublicShell, TOUCH_LINK, usePick } from './frame';

/** The big buttons, in the order a family asks: what is there, where, for me, something wrong, how far, how. */
const BUTTONS: { key: MessageKey; to: string; testId: string }[] = [
  { key: 'pub.btn.services', to: '/public/catalogue', testId: 'pub-btn-services' },
  { key: 'pub.btn.facilities', to: '/facility-map', testId: 'pub-btn-facilities' },
  { key: 'pub.btn.selfCheck', to: '/self-check', testId: 'pub-btn-self-check' },
  { key: 'pub.btn.complaint', to: '/complaint', testId: 'pub-btn-complaint' },
  { key: 'pub.btn.track', to: '/complaint/track', testId: 'pub-btn-track' },
  { key: 'pub.btn.apply', to: '/public/apply', testId: 'pub-btn-apply' },
];

/** A tel: link: digits only (a dash in a local number is for reading). */
export const telHref = (n: string) => `tel:${n.replace(/[^0-9+]/g, '')}`;

/** The public portal's home (R12): big buttons to every public page, and the hotline to call. */
export function PortalPage() {
  const { t } = useI18n();
  const pick = usePick();
  // a city's platform: the county chosen gives its own name and hotline (the city's until then)
  const [place, setPlace] = usePlace();
  const portal = usePortal(place);
  const p = portal.data;
  return (
    <PublicShell title={p ? t('pub.home.title', { name: p.jurisdiction.name }) : t('pub.home.titlePlain')} testId="pub-home-page" home={false}>
      <p style={BODY}>{t('pub.home.intro')}</p>
      <PlacePicker value={place} onChange={setPlace} />
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 12 }}>
        {BUTTONS.map((b) => (
          <li key={b.to}>
            <Link to={b.to} style={BIG_LINK} data-testid={b.testId}>
              {t(b.key)}
            </Link>
          </li>
        ))}
        <li>
          {p ? (
            <a href={telHref(p.hotline)} style={{ ...BIG_LINK, background: '#1d6b2f' }} data-testid="pub-btn-call">
              {t('pub.btn.call', { number: p.hotline })}
            </a>
          ) : (
            <Loading error={portal.error} />
          )}
        </li>
      </ul>
      {p && (
        <section style={{ ...CARD, marginTop: 16 }} aria-labelledby="pub-hotline-h">
          <h2 id="pub-hotline-h" style={{ fontSize: 20, margin: '0 0 4px' }}>
            {pick(p.hotlineLabel)} {p.hotline}
          </h2>
          <p style={{ ...BODY, margin: 0 }} data-testid="pub-hours">
            {pick(p.hours)}
          </p>
        </section>
      )}
      <nav style={{ textAlign: 'center', display: 'flex', gap: 16, justifyContent: 'center', flexWrap: 'wrap' }} aria-label={t('pub.nav')}>
        <Link to="/admission/track" style={TOUCH_LINK}>
          {t('pub.link.admissionTrack')}
        </Link>
        <Link to="/public/supervision" style={TOUCH_LINK}>
          {t('pub.link.supervision')}
        </Link>
        <Link to="/login" style={TOUCH_LINK}>
          {t('pub.link.login')}
        </Link>
      </nav>
    </PublicShell>
  );
}
