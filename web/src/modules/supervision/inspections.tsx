import { useState } from 'react';
import { App, Button, Card, DatePicker, Drawer, Form, Input, List, Radio, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useAuth } from '../../shared/auth';
import { shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { useFollowUp, useInspections, useSignOff, useSubmit, type InspectionView } from './api';

const STATUS_COLOR = { assigned: 'gold', submitted: 'blue', signed_off: 'green' } as const;

/** The checklist form: one row per item (pass / fail / N/A, a note for a failure); large targets for a tablet or phone. */
function ChecklistForm({ ins, onDone }: { ins: InspectionView; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const submit = useSubmit();
  const prior = new Map(ins.items.map((i) => [i.itemKey, i]));
  const [answers, setAnswers] = useState<Record<string, { result?: 'pass' | 'fail' | 'na'; note?: string }>>(() =>
    Object.fromEntries((ins.checklist?.items ?? []).map((i) => [i.key, { result: prior.get(i.key)?.result, note: prior.get(i.key)?.note ?? '' }])),
  );
  const [date, setDate] = useState(ins.inspectedOn ?? shanghaiToday());
  const [findings, setFindings] = useState(ins.findings ?? '');
  const items = ins.checklist?.items ?? [];
  const send = () =>
    submit.mutate(
      {
        id: ins.id,
        body: {
          inspectedOn: date,
          findings: findings || null,
          items: items
            .filter((i) => answers[i.key]?.result)
            .map((i) => ({ itemKey: i.key, result: answers[i.key]!.result!, note: answers[i.key]!.note || null })),
        },
      },
      { onSuccess: () => (void message.success(t('sv.insp.submitted')), onDone()), onError: (e) => void message.error(e.message) },
    );
  return (
    <div data-testid="sv-checklist">
      <Form layout="vertical">
        <Form.Item label={t('sv.insp.date')}>
          <DatePicker value={dayjs(date)} onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} allowClear={false} />
        </Form.Item>
      </Form>
      <List
        dataSource={items}
        renderItem={(i) => {
          const a = answers[i.key] ?? {};
          return (
            <List.Item style={{ display: 'block' }} data-testid={`sv-item-${i.key}`}>
              <div style={{ marginBottom: 6 }}>
                {locale === 'en' ? i.label.en : i.label.zh}{' '}
                <Tag color={i.severity === 'serious' ? 'red' : i.severity === 'major' ? 'orange' : 'default'}>{t(`sv.severity.${i.severity}`)}</Tag>
              </div>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                size="large"
                value={a.result}
                onChange={(e) => setAnswers({ ...answers, [i.key]: { ...a, result: e.target.value as 'pass' | 'fail' | 'na' } })}
                options={[
                  { value: 'pass', label: t('sv.insp.pass') },
                  { value: 'fail', label: t('sv.insp.fail') },
                  { value: 'na', label: t('sv.insp.na') },
                ]}
              />
              {a.result === 'fail' && (
                <Input.TextArea
                  style={{ marginTop: 6 }}
                  placeholder={t('sv.insp.note')}
                  value={a.note}
                  maxLength={500}
                  autoSize
                  onChange={(e) => setAnswers({ ...answers, [i.key]: { ...a, note: e.target.value } })}
                />
              )}
            </List.Item>
          );
        }}
      />
      <Typography.Text>{t('sv.insp.findings')}</Typography.Text>
      <Input.TextArea value={findings} onChange={(e) => setFindings(e.target.value)} maxLength={2000} autoSize={{ minRows: 3 }} style={{ marginBottom: 12 }} />
      <Button type="primary" size="large" block loading={submit.isPending} onClick={send} data-testid="sv-submit">
        {t('sv.insp.submit')}
      </Button>
    </div>
  );
}

function Actions({ ins }: { ins: InspectionView }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const signOff = useSignOff();
  const followUp = useFollowUp();
  const [note, setNote] = useState('');
  if (!can('supervision.manage')) return null;
  if (ins.status === 'submitted')
    return (
      <Button
        type="primary"
        loading={signOff.isPending}
        onClick={() => signOff.mutate(ins.id, { onSuccess: () => void message.success(t('sv.insp.signedOff')), onError: (e) => void message.error(e.message) })}
      >
        {t('sv.insp.signOff')}
      </Button>
    );
  if (ins.status === 'signed_off' && ins.rectificationDue && !ins.followedUpOn)
    return (
      <Space.Compact style={{ width: '100%' }}>
        <Input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('sv.insp.followUp')} />
        <Button
          onClick={() =>
            followUp.mutate(
              { id: ins.id, note, on: shanghaiToday() },
              { onSuccess: () => void message.success(t('sv.insp.followUpDone')), onError: (e) => void message.error(e.message) },
            )
          }
        >
          {t('sv.insp.followUp')}
        </Button>
      </Space.Compact>
    );
  return null;
}

/** 检查任务: an inspector's own (the checklist form), the bureau's all (sign-off, follow-up). */
export function InspectionsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const [mine, setMine] = useState(user?.role === 'inspector');
  const q = useInspections(mine);
  const [open, setOpen] = useState<InspectionView | null>(null);
  const canFill = (i: InspectionView) => i.status !== 'signed_off' && i.inspectors.some((x) => x.id === user?.id);
  return (
    <div data-testid="sv-inspections-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('sv.insp.title')}
        </Typography.Title>
        {user?.role !== 'inspector' && (
          <Segmented
            value={mine ? 'm' : 'a'}
            onChange={(v) => setMine(v === 'm')}
            options={[
              { value: 'a', label: t('sv.insp.all') },
              { value: 'm', label: t('sv.insp.mine') },
            ]}
          />
        )}
      </div>
      <List
        loading={q.isLoading}
        grid={{ gutter: 12, xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        dataSource={q.data?.items ?? []}
        renderItem={(i) => (
          <List.Item>
            <Card
              size="small"
              title={i.targetName}
              extra={<Tag color={STATUS_COLOR[i.status]}>{t(`sv.insp.status.${i.status}`)}</Tag>}
              data-testid={`sv-insp-${i.id}`}
            >
              <div>{i.checklist ? (locale === 'en' ? i.checklist.label.en : i.checklist.label.zh) : i.checklistKey}</div>
              <div>
                {i.roundId ? `${t('sv.insp.round')} #${i.roundId}` : t('sv.insp.adHoc')} · {i.inspectors.map((x) => x.name).join('、')}
              </div>
              {i.inspectedOn && (
                <div>
                  {t('sv.insp.date')}：{i.inspectedOn}
                </div>
              )}
              {i.rectificationDue && (
                <div>
                  {t('sv.insp.due')}：{i.rectificationDue}
                  {i.followedUpOn && ` ✓ ${i.followedUpOn}`}
                </div>
              )}
              {i.items.some((x) => x.result === 'fail') && (
                <div style={{ color: '#cf1322' }}>
                  {t('sv.public.failed')}：{i.items.filter((x) => x.result === 'fail').length}
                </div>
              )}
              <Space style={{ marginTop: 8 }} wrap>
                {canFill(i) && (
                  <Button type="primary" onClick={() => setOpen(i)} data-testid={`sv-fill-${i.id}`}>
                    {t('sv.insp.fill')}
                  </Button>
                )}
                <Actions ins={i} />
              </Space>
            </Card>
          </List.Item>
        )}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} title={open?.targetName} width={Math.min(720, window.innerWidth)} destroyOnHidden>
        {open && <ChecklistForm ins={open} onDone={() => setOpen(null)} />}
      </Drawer>
    </div>
  );
}
