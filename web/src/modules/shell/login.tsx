import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';

interface Fields {
  username: string;
  password: string;
}

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

export function LoginPage() {
  const { user, login } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;
  // after a password change every session has ended: say why the login page is back
  const [notice] = useState(takeLoginNotice);

  if (user) return <Navigate to={from && from !== '/login' ? from : '/'} replace />;

  const submit = async (v: Fields) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username, v.password);
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (e) {
      // The server's message is already in the chosen language (wrong password, locked until …, rate limited).
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f1eb', padding: 16 }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
        </div>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Text type="secondary">{t('login.title')}</Typography.Text>
          <LangSwitch size="small" />
        </div>
        {notice === 'passwordChanged' && !error && (
          <Alert type="success" showIcon message={t('account.changed')} style={{ marginBottom: 16 }} data-testid="login-notice" />
        )}
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.required', { what: t('login.username') }) }]}>
            <Input autoComplete="username" data-testid="login-username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required', { what: t('login.password') }) }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/self-check" data-testid="login-self-check">
            {t('sc.title')}
          </Link>
        </div>
      </Card>
    </div>
  );
}
