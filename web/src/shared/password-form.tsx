import { useState } from 'react';
import { Alert, Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { ApiError } from './api';
import { useI18n } from './i18n-core';

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
      <Form<PasswordFields> form={form} layout="vertical" requiredMark={false} preserve={false}>
        {props.askCurrent && (
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
    </Modal>
  );
}
