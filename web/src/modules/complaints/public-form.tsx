import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import type { MessageKey } from '../../shared/i18n-core';
import { useI18n } from '../../shared/i18n-core';
import { LangSwitch } from '../../shared/lang-switch';
import { usePortal } from '../public/api';
import { PublicTheme } from '../public/theme';
import { COMPLAINT_CATEGORIES, useFile, usePublicTargets } from './api';

/** Large type for an elder on a phone: every control and word at least 18 px. */
export const BIG = { fontSize: 18 } as const;

export function PublicFrame({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <PublicTheme>
      <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: '12px 8px', ...BIG }} data-testid={testId}>
        <div style={{ maxWidth: 720, margin: '0 auto' }}>
          <Card styles={{ body: { padding: 16 } }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
              <Typography.Title level={3} style={{ margin: 0, flex: '1 1 200px' }}>
                {title}
              </Typography.Title>
              <LangSwitch size="small" />
            </div>
            {children}
          </Card>
        </div>
      </div>
    </PublicTheme>
  );
}

/**
 * The consent box: a native checkbox 28 px square, in a label that is the whole row (the words
 * included), at least 56 px high, so a finger or a click anywhere on it ticks it and Space does too.
 * Form.Item hands it `checked` and `onChange`.
 */
function ConsentBox({ checked, onChange, text }: { checked?: boolean; onChange?: (checked: boolean) => void; text: string }) {
  return (
    <label
      data-testid="cp-consent-row"
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 14,
        minHeight: 56,
        padding: '10px 12px',
        border: `2px solid ${checked ? '#0b4f9c' : '#8c8c8c'}`,
        borderRadius: 8,
        background: checked ? '#e6f0fb' : '#fff',
        cursor: 'pointer',
        ...BIG,
        lineHeight: 1.5,
      }}
    >
      <input
        type="checkbox"
        checked={checked === true}
        onChange={(e) => onChange?.(e.target.checked)}
        data-testid="cp-consent"
        style={{ width: 28, height: 28, flex: '0 0 auto', margin: 0, accentColor: '#0b4f9c', cursor: 'pointer' }}
      />
      <span data-testid="cp-consent-text">{text}</span>
    </label>
  );
}

interface FormValues {
  about: 'pick' | 'other';
  target?: string;
  targetName?: string;
  regionCode?: string;
  category: string;
  text: string;
  happenedOn?: { format(f: string): string };
  consent?: boolean;
  contactName?: string;
  contactPhone?: string;
}

/** 投诉举报 (public, no login): who it is about, what kind of problem, what happened, optionally how to reach the complainant. */
export function PublicComplaintPage() {
  const { t, locale } = useI18n();
  const targets = usePublicTargets();
  // the consent text is the jurisdiction's setting (public.consent)
  const portal = usePortal();
  const consentText = portal.data ? (locale === 'en' ? portal.data.consent.en : portal.data.consent.zh) : t('cp.pub.consentFallback');
  const file = useFile();
  const [form] = Form.useForm<FormValues>();
  const about = Form.useWatch('about', form) ?? 'pick';
  const consent = Form.useWatch('consent', form) === true;
  const [done, setDone] = useState<{ trackingNumber: string; dueOn: string } | null>(null);
  const navigate = useNavigate();

  const submit = (v: FormValues) => {
    const [kind, id] = (v.target ?? '').split(':');
    file.mutate(
      {
        targetKind: v.about === 'other' ? 'other' : (kind as 'facility' | 'provider'),
        ...(v.about === 'other' ? { targetName: v.targetName, regionCode: v.regionCode } : { targetId: Number(id) }),
        category: v.category as (typeof COMPLAINT_CATEGORIES)[number],
        text: v.text,
        ...(v.happenedOn ? { happenedOn: v.happenedOn.format('YYYY-MM-DD') } : {}),
        // name and phone go only with the box ticked: nothing personal is kept without consent (R12)
        ...(v.consent && v.contactName ? { contactName: v.contactName } : {}),
        ...(v.consent && v.contactPhone ? { contactPhone: v.contactPhone } : {}),
        ...(v.consent ? { consent: true } : {}),
      },
      { onSuccess: (r) => setDone(r) },
    );
  };

  if (done)
    return (
      <PublicFrame title={t('cp.pub.done')} testId="cp-public-done">
        <Typography.Paragraph style={BIG}>{t('cp.pub.number')}</Typography.Paragraph>
        <div
          data-testid="cp-tracking-number"
          style={{
            fontSize: 26,
            fontWeight: 700,
            letterSpacing: 1,
            wordBreak: 'break-all',
            background: '#fffbe6',
            padding: 12,
            borderRadius: 8,
            marginBottom: 12,
          }}
        >
          {done.trackingNumber}
        </div>
        <Typography.Paragraph style={BIG}>{t('cp.pub.due', { date: done.dueOn })}</Typography.Paragraph>
        <Space wrap>
          <Button size="large" onClick={() => void navigator.clipboard?.writeText(done.trackingNumber)}>
            {t('cp.pub.copy')}
          </Button>
          {/* the code goes in the router's state, never in the address (the browser's history keeps addresses) */}
          <Button size="large" type="primary" onClick={() => navigate('/complaint/track', { state: { n: done.trackingNumber } })} data-testid="cp-go-track">
            {t('cp.pub.goTrack')}
          </Button>
          <Button
            size="large"
            onClick={() => {
              form.resetFields();
              setDone(null);
            }}
          >
            {t('cp.pub.another')}
          </Button>
        </Space>
      </PublicFrame>
    );

  const label = (k: MessageKey) => <span style={BIG}>{t(k)}</span>;
  return (
    <PublicFrame title={t('cp.pub.title')} testId="cp-public-form">
      <Typography.Paragraph style={BIG}>{t('cp.pub.intro')}</Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" size="large" initialValues={{ about: 'pick' }} onFinish={submit} requiredMark={false}>
        <Form.Item name="about" label={label('cp.pub.about')}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="cp-about">
            <Radio.Button value="pick">{t('cp.pub.aboutPick')}</Radio.Button>
            <Radio.Button value="other">{t('cp.pub.aboutOther')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {about === 'pick' ? (
          // required={false}: the rule still asks, but antd's aria-required lands on the select's div too (axe: aria-allowed-attr)
          <Form.Item name="target" label={label('cp.pub.aboutPick')} required={false} rules={[{ required: true, message: t('cp.pub.about') }]}>
            <Select
              showSearch
              data-testid="cp-target"
              loading={targets.isLoading}
              optionFilterProp="label"
              placeholder={t('cp.pub.aboutPick')}
              options={(targets.data?.targets ?? []).map((x) => ({ value: `${x.kind}:${x.id}`, label: `${x.name}（${x.regionName}）` }))}
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="targetName" label={label('cp.pub.targetName')} rules={[{ required: true, min: 2, max: 100 }]}>
              <Input data-testid="cp-target-name" maxLength={100} />
            </Form.Item>
            <Form.Item name="regionCode" label={label('cp.pub.town')} required={false} rules={[{ required: true }]}>
              <Select data-testid="cp-town" options={(targets.data?.towns ?? []).map((x) => ({ value: x.code, label: x.name }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="category" label={label('cp.pub.category')} required={false} rules={[{ required: true, message: t('cp.pub.category') }]}>
          <Select data-testid="cp-category" options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`cp.cat.${c}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="text" label={label('cp.pub.text')} extra={t('cp.pub.textHelp')} rules={[{ required: true, min: 10, max: 2000 }]}>
          <Input.TextArea data-testid="cp-text" rows={6} maxLength={2000} showCount style={BIG} />
        </Form.Item>
        <Form.Item name="happenedOn" label={label('cp.pub.when')}>
          <DatePicker style={{ width: '100%' }} inputReadOnly />
        </Form.Item>
        <Typography.Title level={5}>{t('cp.pub.contact')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('cp.pub.contactNote')}</Typography.Paragraph>
        <Form.Item name="consent" valuePropName="checked">
          <ConsentBox text={consentText} />
        </Form.Item>
        {consent && (
          <>
            <Form.Item name="contactName" label={label('cp.pub.contactName')}>
              <Input data-testid="cp-contact-name" maxLength={40} style={BIG} />
            </Form.Item>
            <Form.Item name="contactPhone" label={label('cp.pub.contactPhone')}>
              <Input data-testid="cp-contact-phone" inputMode="tel" maxLength={24} style={BIG} />
            </Form.Item>
          </>
        )}
        {file.error && <Alert type="error" showIcon message={file.error.message} style={{ marginBottom: 12, ...BIG }} data-testid="cp-error" />}
        <Button type="primary" htmlType="submit" size="large" block loading={file.isPending} data-testid="cp-submit" style={{ height: 52, fontSize: 20 }}>
          {t('cp.pub.submit')}
        </Button>
      </Form>
      <Space direction="vertical" style={{ width: '100%', marginTop: 16, alignItems: 'center' }}>
        <Link to="/complaint/track" style={BIG}>
          {t('cp.pub.toTrack')}
        </Link>
        <Link to="/login">{t('cp.pub.login')}</Link>
      </Space>
    </PublicFrame>
  );
}
