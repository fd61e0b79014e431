import { Button, Col, DatePicker, Form, Radio, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { SelfCheckProfile } from '../entitlements-api';
import { disabilityGradeLabels, disabilityKindLabels, hardshipLabels, livingLabels, ltcLabels, options, pensionLabels, veteranLabels } from '../fact-labels';
import { useI18n, type MessageKey } from '../i18n';

export type SelfCheckFields = Omit<SelfCheckProfile, 'birthDate'> & { birthDate: Dayjs };

const initial: Omit<SelfCheckFields, 'birthDate'> = {
  sex: 'M', hukouLocal: true, urban: false, hardship: 'none', living: [], specialFamily: false, disabilityGrade: 0,
  disabilityKind: 'none', ltcGrade: 'none', pensionType: 'none', veteranCategory: 'none', specialContribution: false,
  medicalInsured: true, vagrant: false,
};

export function toProfile(v: SelfCheckFields): SelfCheckProfile {
  return { ...initial, ...v, birthDate: v.birthDate.format('YYYY-MM-DD'), disabilityGrade: Number(v.disabilityGrade) };
}

/** The situation of the older person, as the catalogue's rules read it; nothing here is stored. */
export function SelfCheckForm({ busy, onSubmit }: { busy: boolean; onSubmit: (v: SelfCheckFields) => void }) {
  const { t, locale } = useI18n();
  const select = (name: keyof SelfCheckFields, label: MessageKey, labels: Parameters<typeof options>[0], multiple = false) => (
    <Col xs={24} sm={12}>
      <Form.Item name={name} label={t(label)}>
        <Select
          mode={multiple ? 'multiple' : undefined} allowClear={multiple} data-testid={`sc-${name}`}
          // the disability grade is a number in the API (0 = none)
          options={options(labels, locale).map((o) => (name === 'disabilityGrade' ? { ...o, value: Number(o.value) } : o))}
        />
      </Form.Item>
    </Col>
  );
  const toggle = (name: keyof SelfCheckFields, label: MessageKey) => (
    <Col xs={12} sm={8}>
      <Form.Item name={name} label={t(label)} valuePropName="checked">
        <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} data-testid={`sc-${name}`} />
      </Form.Item>
    </Col>
  );
  return (
    <Form<SelfCheckFields> layout="vertical" initialValues={initial} onFinish={onSubmit} requiredMark={false} data-testid="self-check-form">
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="birthDate" label={t('sc.birthDate')} rules={[{ required: true, message: t('common.required', { what: t('sc.birthDate') }) }]}>
            <DatePicker
              style={{ width: '100%' }} inputReadOnly={false} defaultPickerValue={dayjs('1950-01-01')}
              disabledDate={(d) => d.isAfter(dayjs())} data-testid="sc-birthDate" placeholder="YYYY-MM-DD"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="sex" label={t('sc.sex')}>
            <Radio.Group optionType="button" options={[{ value: 'M', label: t('sex.M') }, { value: 'F', label: t('sex.F') }]} data-testid="sc-sex" />
          </Form.Item>
        </Col>
        {select('hardship', 'sc.hardship', hardshipLabels)}
        {select('living', 'sc.living', livingLabels, true)}
        {select('ltcGrade', 'sc.ltcGrade', ltcLabels)}
        {select('disabilityGrade', 'sc.disabilityGrade', disabilityGradeLabels)}
        {select('disabilityKind', 'sc.disabilityKind', disabilityKindLabels)}
        {select('pensionType', 'sc.pensionType', pensionLabels)}
        {select('veteranCategory', 'sc.veteranCategory', veteranLabels)}
      </Row>
      <Row gutter={12}>
        {toggle('hukouLocal', 'sc.hukouLocal')}
        {toggle('urban', 'sc.urban')}
        {toggle('medicalInsured', 'sc.medicalInsured')}
        {toggle('specialFamily', 'sc.specialFamily')}
        {toggle('specialContribution', 'sc.specialContribution')}
        {toggle('vagrant', 'sc.vagrant')}
      </Row>
      <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="sc-submit">{t('sc.submit')}</Button>
    </Form>
  );
}
