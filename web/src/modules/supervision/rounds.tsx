import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useAnnounce, useChecklists, useDraw, useDrand, useRound, useRounds, type RoundView } from './api';
import { RoundDetails, VerifyPanel } from './round-view';

const HEX = /^[0-9a-f]{64}$/;

function AnnounceButton() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const drand = useDrand();
  const settings = useChecklists();
  const announce = useAnnounce();
  const [form] = Form.useForm<{ name: string; checklistKey: string; drandRound: number }>();
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="sv-announce">
        {t('sv.announce')}
      </Button>
      <Modal
        open={open}
        title={t('sv.announce')}
        onCancel={() => setOpen(false)}
        okButtonProps={{ loading: announce.isPending }}
        onOk={() =>
          void form.validateFields().then((v) =>
            announce.mutate(v, {
              onSuccess: (r) => {
                setOpen(false);
                setSecret(r.secret);
                void message.success(t('sv.announce.ok'));
              },
              onError: (e) => void message.error(e.message),
            }),
          )
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ checklistKey: 'comprehensive', drandRound: drand.data?.suggestedRound }}>
          <Form.Item name="name" label={t('sv.announce.name')} rules={[{ required: true, min: 2 }]}>
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="checklistKey" label={t('sv.announce.checklist')} rules={[{ required: true }]}>
            <Select options={(settings.data?.checklists ?? []).map((c) => ({ value: c.key, label: locale === 'en' ? c.label.en : c.label.zh }))} />
          </Form.Item>
          <Form.Item
            name="drandRound"
            label={t('sv.announce.drand')}
            rules={[{ required: true }]}
            extra={drand.data && t('sv.announce.drandHint', { round: drand.data.suggestedRound, at: shanghaiTime(drand.data.suggestedAt) })}
          >
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={secret !== null}
        title={t('sv.secret.title')}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert type="warning" showIcon message={t('sv.secret.body')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: secret ?? '' }} style={{ fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="sv-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}

function DrawButton({ round }: { round: RoundView }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const draw = useDraw();
  const [form] = Form.useForm<{ secret: string; externalValue: string }>();
  const hex = [{ required: true }, { pattern: HEX, message: '64 × [0-9a-f]' }];
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid={`sv-draw-${round.id}`}>
        {t('sv.draw')}
      </Button>
      <Modal
        open={open}
        title={`${t('sv.draw')} · ${round.name}`}
        onCancel={() => setOpen(false)}
        okButtonProps={{ loading: draw.isPending }}
        onOk={() =>
          void form.validateFields().then((v) =>
            draw.mutate(
              { id: round.id, ...v },
              {
                onSuccess: () => {
                  setOpen(false);
                  void message.success(t('sv.draw.ok'));
                },
                onError: (e) => void message.error(e.message),
              },
            ),
          )
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="secret" label={t('sv.draw.secret')} rules={hex}>
            <Input style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Form.Item
            name="externalValue"
            label={t('sv.draw.external', { round: round.externalRound })}
            rules={hex}
            extra={t('sv.draw.externalHelp', { round: round.externalRound })}
          >
            <Input style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function DrawFor({ id }: { id: number }) {
  const q = useRound(id);
  return q.data ? <DrawButton round={q.data} /> : null;
}

/** 双随机抽查: the rounds; the bureau announces one and draws it when drand's round is out. */
export function RoundsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const q = useRounds();
  const manage = can('supervision.manage');
  return (
    <div data-testid="sv-rounds-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('sv.rounds.title')}
        </Typography.Title>
        {manage && <AnnounceButton />}
      </div>
      <Alert type="info" showIcon message={t('sv.rounds.intro')} style={{ marginBottom: 12 }} />
      <Table
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 760 }}
        data-testid="sv-rounds"
        columns={[
          { title: t('sv.col.name'), dataIndex: 'name', render: (v: string, r) => <Link to={`/supervision/rounds/${r.id}`}>{v}</Link> },
          {
            title: t('sv.col.status'),
            dataIndex: 'status',
            width: 130,
            render: (s: string) => <Tag color={s === 'drawn' ? 'green' : 'gold'}>{t(s === 'drawn' ? 'sv.status.drawn' : 'sv.status.announced')}</Tag>,
          },
          { title: t('sv.col.targets'), dataIndex: 'targets', width: 80, align: 'right' },
          { title: t('sv.col.drawn'), dataIndex: 'drawn', width: 80, align: 'right' },
          { title: t('sv.col.drand'), dataIndex: 'externalRound', width: 110 },
          { title: t('sv.col.announced'), dataIndex: 'announcedAt', width: 160, render: (v: string) => shanghaiTime(v) },
          { title: '', key: 'a', width: 90, render: (_, r) => (manage && r.status === 'announced' ? <DrawFor id={r.id} /> : null) },
        ]}
      />
    </div>
  );
}

export function RoundPage() {
  const id = Number(useParams().id);
  const q = useRound(id);
  if (!q.data) return q.error ? <Alert type="error" message={q.error.message} /> : null;
  return (
    <div>
      <RoundDetails round={q.data} />
      <div style={{ marginTop: 16 }}>
        <VerifyPanel round={q.data} />
      </div>
    </div>
  );
}
