import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, List, Modal, Select, Space, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined, EyeOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { showServerError } from '../alarm-devices/form-errors';
import { useContacts, useRevealContact, useSaveContact } from './api';
import { RELATIONS, useHotlineWords, usePhoneRule } from './labels';
import type { ContactRelation, ContactView } from './types';

interface ContactForm {
  name: string;
  relation: ContactRelation;
  phone?: string;
  rank?: number;
}
const CONTACT_FIELDS = ['name', 'relation', 'phone', 'rank'] as const;

/** 新增 / 修改紧急联系人: an edit leaves the number as it is unless a new one is typed. */
export function ContactDialog({ personId, contact, onClose }: { personId: number; contact: ContactView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const w = useHotlineWords();
  const phoneRule = usePhoneRule();
  const [form] = Form.useForm<ContactForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useSaveContact(personId);
  const submit = async (v: ContactForm) => {
    setError(null);
    const phone = v.phone?.trim() || undefined;
    try {
      const saved = await save.mutateAsync(
        contact
          ? { id: contact.id, body: { name: v.name.trim(), relation: v.relation, rank: v.rank, ...(phone ? { phone } : {}) } }
          : { id: null, body: { name: v.name.trim(), relation: v.relation, phone: phone ?? '', rank: v.rank } },
      );
      message.success(t('hl.ct.saved', { name: saved.name }));
      onClose();
    } catch (e) {
      setError(showServerError(form, e, CONTACT_FIELDS, { HOTLINE_PHONE_FORMAT: 'phone' }));
    }
  };
  return (
    <Modal
      open
      title={contact ? t('hl.ct.edit', { name: contact.name }) : t('hl.ct.new')}
      okText={t('hl.save')}
      cancelText={t('hl.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'hl-ct-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="hl-ct-error" />}
      <Form<ContactForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={contact ? { name: contact.name, relation: contact.relation, rank: contact.rank } : { relation: 'child' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="name"
          label={t('hl.ct.name')}
          rules={[
            { required: true, whitespace: true, message: t('hl.required', { field: t('hl.ct.name') }) },
            { max: 40, message: t('hl.tooLong', { n: 40 }) },
          ]}
        >
          <Input data-testid="hl-ct-name" />
        </Form.Item>
        <Form.Item name="relation" label={t('hl.ct.relation')} rules={[{ required: true, message: t('hl.required', { field: t('hl.ct.relation') }) }]}>
          <Select data-testid="hl-ct-relation" options={RELATIONS.map((r) => ({ value: r, label: w.relation(r), title: w.relation(r) }))} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('hl.ct.phone')}
          extra={contact ? t('hl.ct.phoneKeep', { masked: contact.phoneMasked }) : undefined}
          rules={[...(contact ? [] : [{ required: true, whitespace: true, message: t('hl.required', { field: t('hl.ct.phone') }) }]), phoneRule]}
        >
          <Input inputMode="tel" autoComplete="off" data-testid="hl-ct-phone" />
        </Form.Item>
        <Form.Item name="rank" label={t('hl.ct.rank')} extra={t('hl.ct.rankHint')}>
          <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} data-testid="hl-ct-rank" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 紧急联系人: in call order; reveal a number to dial (audited on the server; shown as a tel: link
 * until the page is left), add, edit, move up or down. Fits a phone's width (a grid worker keeps them).
 */
export function ContactsCard({ personId }: { personId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const w = useHotlineWords();
  const keeper = can('hotline.contacts');
  const contacts = useContacts(personId, keeper);
  const save = useSaveContact(personId);
  const reveal = useRevealContact();
  const [shown, setShown] = useState<Record<number, string>>({});
  const [editing, setEditing] = useState<ContactView | 'new' | null>(null);
  const list = [...(contacts.data ?? [])].sort((a, b) => a.rank - b.rank || a.id - b.id);
  const doReveal = async (c: ContactView) => {
    try {
      const r = await reveal.mutateAsync(c.id);
      setShown((s) => ({ ...s, [c.id]: r.phone }));
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  /** swaps the call order of two neighbours (two edits; the list is read again after). */
  const move = async (i: number, by: -1 | 1) => {
    const a = list[i];
    const b = list[i + by];
    if (!a || !b) return;
    const [ra, rb] = a.rank === b.rank ? [b.rank + (by < 0 ? 0 : 1), a.rank + (by < 0 ? 1 : 0)] : [b.rank, a.rank];
    try {
      await save.mutateAsync({ id: a.id, body: { rank: ra } });
      await save.mutateAsync({ id: b.id, body: { rank: rb } });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  if (!keeper) return null;
  return (
    <Card
      size="small"
      title={t('hl.ct.title')}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="hl-ct-add">
          {t('hl.ct.add')}
        </Button>
      }
      data-testid="hl-contacts"
    >
      {contacts.error && <Alert type="error" showIcon message={contacts.error.message} />}
      <List<ContactView>
        size="small"
        loading={contacts.isFetching && !contacts.data}
        dataSource={list}
        locale={{ emptyText: t('hl.ct.none') }}
        renderItem={(c, i) => (
          <List.Item key={c.id} style={{ flexWrap: 'wrap', gap: 4 }} data-testid={`hl-ct-${c.id}`}>
            <div style={{ minWidth: 0, flex: '1 1 160px' }}>
              <Typography.Text strong>
                {c.rank}. {c.name}
              </Typography.Text>{' '}
              <Typography.Text type="secondary">{w.relation(c.relation)}</Typography.Text>
              <div>
                {shown[c.id] ? (
                  <a href={`tel:${shown[c.id]!.replace(/[^0-9+]/g, '')}`} data-testid={`hl-ct-dial-${c.id}`}>
                    <PhoneOutlined /> {shown[c.id]}
                  </a>
                ) : (
                  <Typography.Text data-testid={`hl-ct-masked-${c.id}`}>{c.phoneMasked}</Typography.Text>
                )}
              </div>
            </div>
            <Space size={2} wrap>
              {!shown[c.id] && (
                <Button
                  size="small"
                  icon={<EyeOutlined />}
                  loading={reveal.isPending && reveal.variables === c.id}
                  onClick={() => void doReveal(c)}
                  data-testid={`hl-ct-reveal-${c.id}`}
                >
                  {t('hl.ct.reveal')}
                </Button>
              )}
              <Button
                size="small"
                icon={<EditOutlined />}
                aria-label={t('hl.ct.editShort')}
                title={t('hl.ct.editShort')}
                onClick={() => setEditing(c)}
                data-testid={`hl-ct-edit-${c.id}`}
              />
              <Button
                size="small"
                icon={<ArrowUpOutlined />}
                aria-label={t('hl.ct.up')}
                title={t('hl.ct.up')}
                disabled={i === 0 || save.isPending}
                onClick={() => void move(i, -1)}
                data-testid={`hl-ct-up-${c.id}`}
              />
              <Button
                size="small"
                icon={<ArrowDownOutlined />}
                aria-label={t('hl.ct.down')}
                title={t('hl.ct.down')}
                disabled={i === list.length - 1 || save.isPending}
                onClick={() => void move(i, 1)}
                data-testid={`hl-ct-down-${c.id}`}
              />
            </Space>
          </List.Item>
        )}
      />
      {editing && <ContactDialog personId={personId} contact={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
