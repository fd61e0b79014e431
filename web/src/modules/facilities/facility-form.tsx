import { Alert, App, Checkbox, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useRegions, useSaveFacility } from './api';
import { KINDS } from './list';
import type { FacilityBody, FacilityView } from './types';

const INSTITUTION_GRADES = ['1', '2', '3', '4', '5'];
const HOME_CARE_GRADES = ['basic', '1A', '2A', '3A', '4A', '5A'];
const CN = ['一', '二', '三', '四', '五'];

/** The grades a kind may hold, as the server checks them (institutions 一级…五级; home-care organisations 基础级, 1A…5A; canteens none). */
export function gradeOptions(kind: string, locale: string): { value: string; label: string }[] {
  const list = kind === 'institution' ? INSTITUTION_GRADES : kind === 'canteen' ? [] : HOME_CARE_GRADES;
  return list.map((g) => ({
    value: g,
    label: /^[1-5]$/.test(g)
      ? locale === 'en'
        ? `Grade ${g}`
        : `${CN[Number(g) - 1]}级`
      : g === 'basic'
        ? locale === 'en'
          ? 'Basic'
          : '基础级'
        : locale === 'en'
          ? g
          : `${g}级`,
  }));
}

/** A coordinate as typed: a decimal comma (120,3 — a European keyboard, or the Chinese full-width ，) is a decimal point, never dropped (which made 1203). */
const decimalComma = (v: string | undefined) => (v ?? '').replace(/[,，]/g, '.').replace(/[^\d.-]/g, '');

/** Creating or changing a facility (officers): the server refuses impossible coordinates, a point outside China and a grade not of the kind, naming why. */
export function FacilityForm({ facility, onClose }: { facility: FacilityView | null; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FacilityBody>();
  const save = useSaveFacility();
  const regions = useRegions();
  const kind = Form.useWatch('kind', form) ?? facility?.kind ?? 'institution';
  const places = (regions.data?.regions ?? []).filter((r) => r.level === 'town' || r.level === 'village');
  const initial: FacilityBody = facility
    ? {
        name: facility.name,
        kind: facility.kind,
        ownership: facility.ownership,
        regionCode: facility.regionCode,
        address: facility.address,
        lat: facility.lat,
        lng: facility.lng,
        grade: facility.grade,
        governmentWork: facility.governmentWork,
        providerId: facility.providerId,
        hardshipHome: facility.hardshipHome,
        active: facility.active,
      }
    : {
        name: '',
        kind: 'institution',
        ownership: 'public',
        regionCode: '',
        address: '',
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
      };
  const submit = (v: FacilityBody) =>
    save.mutate(
      {
        id: facility?.id ?? null,
        body: { ...initial, ...v, grade: v.grade ?? null, lat: v.lat ?? null, lng: v.lng ?? null, providerId: v.providerId ?? null },
      },
      {
        onSuccess: () => {
          void message.success(t('fac.form.saved'));
          onClose();
        },
      },
    );
  return (
    <Modal
      open
      title={t(facility ? 'fac.form.title.edit' : 'fac.form.title.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('fac.form.save')}
      cancelText={t('fac.cancel')}
      confirmLoading={save.isPending}
      width={640}
      okButtonProps={{ 'data-testid': 'fac-form-save' }}
      destroyOnHidden
    >
      <Form<FacilityBody> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="fac-form">
        <Form.Item name="name" label={t('fac.form.name')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={80} data-testid="fac-form-name" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Form.Item name="kind" label={t('fac.form.kind')} style={{ flex: '1 1 200px' }} rules={[{ required: true }]}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`fac.kind.${k}` as MessageKey) }))} onChange={() => form.setFieldValue('grade', null)} />
          </Form.Item>
          <Form.Item name="ownership" label={t('fac.form.ownership')} style={{ flex: '1 1 160px' }} rules={[{ required: true }]}>
            <Select options={(['public', 'public_private', 'private'] as const).map((o) => ({ value: o, label: t(`fac.own.${o}`) }))} />
          </Form.Item>
          <Form.Item name="grade" label={t('fac.form.grade')} style={{ flex: '1 1 120px' }}>
            <Select allowClear placeholder={t('fac.grade.none')} options={gradeOptions(kind, locale)} />
          </Form.Item>
        </div>
        <Form.Item name="regionCode" label={t('fac.form.region')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={places.map((r) => ({ value: r.code, label: r.name }))} data-testid="fac-form-region" />
        </Form.Item>
        <Form.Item name="address" label={t('fac.form.address')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Form.Item name="lat" label={t('fac.form.lat')} style={{ flex: '1 1 140px' }}>
            <InputNumber style={{ width: '100%' }} step={0.0001} parser={decimalComma} data-testid="fac-form-lat" />
          </Form.Item>
          <Form.Item name="lng" label={t('fac.form.lng')} style={{ flex: '1 1 140px' }}>
            <InputNumber style={{ width: '100%' }} step={0.0001} parser={decimalComma} data-testid="fac-form-lng" />
          </Form.Item>
        </div>
        <Alert type="info" message={t('fac.form.locationHelp')} style={{ marginBottom: 12 }} />
        <Form.Item name="providerId" label={t('fac.form.providerId')}>
          <InputNumber min={1} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="governmentWork" valuePropName="checked" style={{ marginBottom: 4 }}>
          <Checkbox>{t('fac.form.governmentWork')}</Checkbox>
        </Form.Item>
        <Form.Item name="hardshipHome" valuePropName="checked" style={{ marginBottom: 4 }}>
          <Checkbox>{t('fac.form.hardshipHome')}</Checkbox>
        </Form.Item>
        <Form.Item name="active" valuePropName="checked">
          <Checkbox>{t('fac.form.active')}</Checkbox>
        </Form.Item>
      </Form>
      {save.error && <Alert type="error" showIcon message={save.error.message} data-testid="fac-form-error" />}
    </Modal>
  );
}
