import type { CSSProperties, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';

/**
 * The public pages' look (R12): an elder on a phone. Body text 18 px and up, every touch target at
 * least 44 px high, dark text on white (contrast above 7:1, WCAG AAA), plain HTML rather than heavy
 * components so the pages stay light on a slow line.
 */
export const INK = '#1a1a1a';
export const BLUE = '#0b4f9c';
export const BODY: CSSProperties = { fontSize: 18, lineHeight: 1.6, color: INK };
export const SMALL: CSSProperties = { fontSize: 18, color: '#3d3d3d' };
/** A big button-like link (44 px and more). */
export const BIG_LINK: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  minHeight: 60,
  padding: '10px 16px',
  borderRadius: 10,
  background: BLUE,
  color: '#fff',
  fontSize: 22,
  fontWeight: 600,
  textDecoration: 'none',
  textAlign: 'center',
};
export const CARD: CSSProperties = { background: '#fff', border: '1px solid #c9c2b8', borderRadius: 10, padding: 16, marginBottom: 12 };
/** An inline link with a 44 px touch area. */
export const TOUCH_LINK: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  minHeight: 44,
  color: BLUE,
  fontSize: 18,
  textDecoration: 'underline',
};

/** A toggle among choices (a filter, a county): outlined, filled when chosen; 48 px and more to tap. */
export function pill(chosen: boolean, big = false): CSSProperties {
  return {
    minHeight: big ? 56 : 48,
    padding: big ? '8px 18px' : '6px 14px',
    fontSize: big ? 20 : 18,
    borderRadius: big ? 10 : 8,
    border: `2px solid ${BLUE}`,
    background: chosen ? BLUE : '#fff',
    color: chosen ? '#fff' : BLUE,
    cursor: 'pointer',
  };
}

/** Words in both languages: the one of the page's language. */
export function usePick() {
  const { locale } = useI18n();
  return (w: { zh: string; en: string }) => (locale === 'en' ? w.en : w.zh);
}

/** A public page: the title, the language switch, the content, and the way home. */
export function PublicShell({ title, children, testId, home = true }: { title: string; children: ReactNode; testId: string; home?: boolean }) {
  const { t } = useI18n();
  return (
    <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '12px 10px 32px', ...BODY }} data-testid={testId}>
      <main style={{ maxWidth: 720, margin: '0 auto' }}>
        <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
          <h1 style={{ margin: 0, fontSize: 26, lineHeight: 1.3, flex: '1 1 200px', color: INK }}>{title}</h1>
          <LangSwitch size="large" />
        </header>
        {children}
        {home && (
          <nav style={{ marginTop: 16, textAlign: 'center' }} aria-label={t('pub.nav')}>
            <Link to="/public" style={TOUCH_LINK} data-testid="pub-home">
              {t('pub.backHome')}
            </Link>
          </nav>
        )}
      </main>
    </div>
  );
}

/** The state of a public read: loading, or its error in words. */
export function Loading({ error }: { error?: Error | null }) {
  const { t } = useI18n();
  if (error)
    return (
      <p role="alert" style={{ ...CARD, color: '#8a1010', fontSize: 18 }}>
        {error.message}
      </p>
    );
  return (
    <p role="status" style={{ ...BODY }}>
      {t('pub.loading')}
    </p>
  );
}
