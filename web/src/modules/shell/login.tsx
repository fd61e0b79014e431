import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n, type Locale } from '../../shared/i18n-core';
import { workbenchQuery } from './api';

const NOTICE_KEY = 'yy.loginNotice';
export type LoginNotice = 'passwordChanged';

/** A message for the next login page (it survives the redirect that ending a session causes). */
export function setLoginNotice(notice: LoginNotice): void {
  try {
    sessionStorage.setItem(NOTICE_KEY, notice);
  } catch {
    /* storage off: no notice */
  }
}

function takeLoginNotice(): LoginNotice | null {
  try {
    const v = sessionStorage.getItem(NOTICE_KEY);
    sessionStorage.removeItem(NOTICE_KEY);
    return v === 'passwordChanged' ? v : null;
  } catch {
    return null;
  }
}

/** 中文 / English as two plain buttons (the console's LangSwitch is antd's Segmented). */
function LoginLangSwitch() {
  const { locale, setLocale, t } = useI18n();
  const options: { label: string; value: Locale }[] = [
    { label: t('lang.zh'), value: 'zh-CN' },
    { label: t('lang.en'), value: 'en' },
  ];
  return (
    <span className="yy-login-lang" role="group" data-testid="lang-switch">
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={locale === o.value} onClick={() => setLocale(o.value)}>
          {o.label}
        </button>
      ))}
    </span>
  );
}

/**
 * The login page: a plain form, no Ant Design, styled by index.html (issue 14: it is all a phone's
 * cold load fetches; antd and the console's frame follow, prefetched while the user types).
 */
export function LoginPage() {
  const { user, login } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;
  // after a password change every session has ended: say why the login page is back
  const [notice] = useState(takeLoginNotice);

  if (user) return <Navigate to={from && from !== '/login' ? from : '/'} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const blank = { username: username.trim() === '', password: password === '' };
    setMissing(blank);
    if (blank.username || blank.password || busy) return;
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      const to = from && from !== '/login' ? from : '/';
      // the workbench's data is asked for now, while its frame and page are rendered (issue 14)
      if (to === '/') void queryClient.prefetchQuery(workbenchQuery);
      navigate(to, { replace: true });
    } catch (e) {
      // The server's message is already in the chosen language (wrong password, locked until …, rate limited).
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="yy-login">
      <main className="yy-login-card">
        <h1>{t('app.title')}</h1>
        <div className="yy-login-row">
          <span className="yy-login-sub">{t('login.title')}</span>
          <LoginLangSwitch />
        </div>
        {notice === 'passwordChanged' && !error && (
          <div className="yy-login-alert yy-login-ok" role="status" data-testid="login-notice">
            {t('account.changed')}
          </div>
        )}
        {error && (
          <div className="yy-login-alert yy-login-bad" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor="login-username">{t('login.username')}</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="off"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={missing.username || undefined}
            data-testid="login-username"
          />
          <div className="yy-login-help">{missing.username ? t('login.required', { what: t('login.username') }) : ''}</div>
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={missing.password || undefined}
            data-testid="login-password"
          />
          <div className="yy-login-help">{missing.password ? t('login.required', { what: t('login.password') }) : ''}</div>
          <button type="submit" className="yy-login-submit" disabled={busy} aria-busy={busy} data-testid="login-submit">
            {t('login.submit')}
          </button>
        </form>
        <div className="yy-login-foot">
          <Link to="/self-check" data-testid="login-self-check">
            {t('login.selfCheck')}
          </Link>
        </div>
      </main>
    </div>
  );
}
