import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Switch, Tag, Tooltip, Typography, type ButtonProps } from 'antd';
import type { Roll, RollAction, RollLine } from './types';
import { useI18n } from '../../shared/i18n-core';
import { useHoldLine, useRollStep, type RollStep } from './api';

/**
 * A modal asking for a note (required or not) and sending it with `send` (a mutation's
 * mutateAsync, `pending` its state); the server's refusal shows inside it.
 */
function NoteModal(props: {
  title: string;
  label: string;
  required: boolean;
  testId: string;
  field?: 'note' | 'remark';
  initial?: string;
  send: (text: string) => Promise<unknown>;
  pending: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async ({ text }: { text?: string }) => {
    setError(null);
    try {
      await props.send((text ?? '').trim());
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={props.pending}
      destroyOnClose
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': `${props.testId}-ok` } as ButtonProps}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid={`${props.testId}-error`} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ text: props.initial ?? '' }}>
        <Form.Item
          name="text"
          label={props.label}
          rules={props.required ? [{ required: true, whitespace: true, message: t('common.required', { what: props.label }) }] : []}
        >
          <Input.TextArea rows={3} maxLength={props.field === 'remark' ? 200 : 500} autoFocus data-testid={`${props.testId}-text`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Action = RollStep;

/**
 * 提交审核 (maker) · 审核通过 / 退回 (checker) · 下载 XLSX: exactly the actions the server says the
 * viewer may take on this roll now (never a button that answers 403); each state change asks for
 * its note first. The roll and the roll list refresh after a step (useRollStep).
 */
export function RollActions({ roll }: { roll: Roll }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState<Action | null>(null);
  const step = useRollStep();
  const may = (a: RollAction) => roll.actions.includes(a);
  const done: Record<Action, string> = { submit: t('roll.submitted'), approve: t('roll.approved'), return: t('roll.returned') };
  const dialogs: Record<Action, { title: string; label: string; required: boolean }> = {
    submit: { title: t('roll.submitTitle'), label: t('roll.noteOptional'), required: false },
    approve: { title: t('roll.approveTitle'), label: t('roll.noteOptional'), required: false },
    return: { title: t('roll.returnTitle'), label: t('roll.returnReason'), required: true },
  };
  if (!roll.actions.length)
    return (
      <Typography.Text type="secondary" data-testid="roll-no-actions">
        {t('roll.noActions')}
      </Typography.Text>
    );
  return (
    <Space wrap>
      {may('submit') && (
        <Button type="primary" onClick={() => setOpen('submit')} data-testid="roll-submit">
          {t('roll.submit')}
        </Button>
      )}
      {may('approve') && (
        <Button type="primary" onClick={() => setOpen('approve')} data-testid="roll-approve">
          {t('roll.approve')}
        </Button>
      )}
      {may('return') && (
        <Button danger onClick={() => setOpen('return')} data-testid="roll-return">
          {t('roll.return')}
        </Button>
      )}
      {/* A plain anchor: the browser downloads the XLSX with the session cookie. Full IDs: reveal-capable roles only. */}
      {may('export') && (
        <Button href={`/api/rolls/${roll.id}/export`} download data-testid="roll-export">
          {t('roll.export')}
        </Button>
      )}
      {open && (
        <NoteModal
          {...dialogs[open]}
          testId={`roll-${open}-dialog`}
          send={(note) => step.mutateAsync({ rollId: roll.id, step: open, note })}
          pending={step.isPending}
          onClose={() => setOpen(null)}
          onDone={() => {
            message.success(done[open]);
            setOpen(null);
          }}
        />
      )}
    </Space>
  );
}

/** 暂停发放: the maker holds a line back with a remark (required) or restores it; the roll refreshes (useHoldLine). */
export function LineToggle({ rollId, line, editable }: { rollId: number; line: RollLine; editable: boolean }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const hold = useHoldLine();
  // paused by the run (no account, an officer's pause): cleared at its cause, not here
  if (line.pause)
    return (
      <Tooltip title={t('roll.pausedHint', { reason: line.pauseText ?? line.pause })}>
        <Tag color="volcano" data-testid={`line-paused-${line.personId}`}>
          {line.pauseText ?? line.pause}
        </Tag>
      </Tooltip>
    );
  return (
    <>
      <Switch size="small" checked={line.excluded} disabled={!editable} onChange={() => setAsking(true)} data-testid={`line-exclude-${line.personId}`} />
      {asking && (
        <NoteModal
          title={t(line.excluded ? 'roll.restoreTitle' : 'roll.excludeTitle', { name: line.name })}
          label={t('roll.remark')}
          required={!line.excluded}
          field="remark"
          testId="line-remark"
          initial={line.excluded ? '' : (line.remark ?? '')}
          send={(remark) => hold.mutateAsync({ rollId, personId: line.personId, excluded: !line.excluded, remark })}
          pending={hold.isPending}
          onClose={() => setAsking(false)}
          onDone={() => setAsking(false)}
        />
      )}
    </>
  );
}
