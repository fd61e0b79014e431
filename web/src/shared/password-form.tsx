import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Space, Typography, type ButtonProps, type FormInstance } from 'antd';
import { ApiError, request } from './api';
import { useI18n } from './i18n-core';
import { LangSwitch } from './lang-switch';

export interface PasswordFields {
  currentPassword?: string;
  newPassword: string;
  confirm: string;
}

/**
 * A password dialog: the current password (for a change of one's own), the new one twice. The
 * policy is the server's; its refusal (which rule failed) is shown as it comes, in the chosen
 * language.
 */
export function PasswordDialog(props: {
  open: boolean;
  title: string;
  note: string;
  askCurrent: boolean;
  onSubmit: (v: PasswordFields) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<PasswordFields>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(v);
      form.resetFields();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t('account.submit')}
      cancelText={t('account.cancel')}
      confirmLoading={busy}
      onOk={() => {
        void submit().catch(() => undefined);
      }}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'password-submit' } as ButtonProps}
    >
      <Typography.Paragraph type="secondary">{props.note}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <PasswordFormFields form={form} askCurrent={props.askCurrent} />
    </Modal>
  );
}

/** The fields of a password change: the current one (for one's own), the new one twice. */
function PasswordFormFields({ form, askCurrent }: { form: FormInstance<PasswordFields>; askCurrent: boolean }) {
  const { t } = useI18n();
  return (
    <Form<PasswordFields> form={form} layout="vertical" requiredMark={false} preserve={false}>
      {askCurrent && (
        <Form.Item
          name="currentPassword"
          label={t('account.current')}
          rules={[{ required: true, message: t('login.required', { what: t('account.current') }) }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
      )}
      <Form.Item
        name="newPassword"
        label={t('account.new')}
        extra={t('account.rules')}
        rules={[{ required: true, message: t('login.required', { what: t('account.new') }) }]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('account.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('login.required', { what: t('account.confirm') }) },
          ({ getFieldValue }) => ({
            validator: (_r, value: string) =>
              !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
    </Form>
  );
}

/**
 * The whole console for a user whose password an administrator set (a new account, a reset):
 * nothing else is shown, and the server answers nothing else, until they choose their own. The
 * change ends every session, so `onChanged` returns them to the login page.
 */
export function ForcedPasswordChange(props: { username: string; onChanged: () => void; onLogout: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PasswordFields>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await request('/api/auth/password', { method: 'POST', body: { currentPassword: v.currentPassword, newPassword: v.newPassword }, noAuthRedirect: true });
      void message.success(t('account.changed'));
      props.onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ maxWidth: 440, margin: '48px auto', padding: '0 12px' }} data-testid="forced-password-change">
      <Card
        title={t('users.forcedTitle')}
        extra={
          <Space>
            <Typography.Text type="secondary">{props.username}</Typography.Text>
            <LangSwitch size="small" />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('users.forcedNote')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
        <PasswordFormFields form={form} askCurrent />
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Button onClick={props.onLogout} data-testid="forced-logout">
            {t('users.forcedLogout')}
          </Button>
          <Button type="primary" loading={busy} onClick={() => void submit().catch(() => undefined)} data-testid="password-submit">
            {t('account.submit')}
          </Button>
        </Space>
      </Card>
    </div>
  );
}
