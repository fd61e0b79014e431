import { Button, Col, DatePicker, Form, Radio, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { DECLARATIONS } from '../../../../src/modules/catalogue/declarations';
import type { SelfCheckProfile } from '../catalogue/types';
import { livingLabels, options } from '../../shared/fact-labels';
import { useI18n } from '../../shared/i18n-core';

export type SelfCheckFields = Omit<SelfCheckProfile, 'birthDate'> & { birthDate: Dayjs };

/** The facts the form asks, from their declarations: a switch for each yes/no, a select for the others. */
const ASKED = DECLARATIONS.filter((d) => d.ask && d.profile);
const UNKNOWN = '__unknown';

const initial: Record<string, unknown> = {
  urban: false, living: [], ...Object.fromEntries(ASKED.map((d) => [d.name, d.profile!.default])),
};

/**
 * The form's values → the profile the API takes. A fact answered 不清楚 (only facts that may be
 * unknown offer it) is sent as unknown; a select of a fact whose unknown is read from another
 * column (失能等级 → 需要长期照护) sends that fact as unknown.
 */
export function toProfile(v: SelfCheckFields): SelfCheckProfile {
  const out: Record<string, unknown> = { ...initial, ...v, birthDate: v.birthDate.format('YYYY-MM-DD') };
  const unknown: string[] = [];
  for (const d of ASKED) {
    if (out[d.name] !== UNKNOWN) continue;
    out[d.name] = d.profile!.default;
    for (const u of DECLARATIONS) if (u.unknown && (u === d || u.columns.some((c) => d.columns.includes(c)))) unknown.push(u.name);
  }
  if (unknown.length) out.unknown = [...new Set(unknown)];
  if (typeof out.disabilityGrade === 'string') out.disabilityGrade = Number(out.disabilityGrade);
  return out as unknown as SelfCheckProfile;
}

/** Facts that may be unknown, directly or through a fact read from the same column. */
const mayBeUnknown = (name: string) => {
  const d = DECLARATIONS.find((x) => x.name === name)!;
  return DECLARATIONS.some((u) => u.unknown && (u === d || u.columns.some((c) => d.columns.includes(c))));
};

/** The situation of the older person, as the catalogue's rules read it; nothing here is stored. */
export function SelfCheckForm({ busy, onSubmit }: { busy: boolean; onSubmit: (v: SelfCheckFields) => void }) {
  const { t, locale } = useI18n();
  const label = (l: { zh: string; en: string }) => (locale === 'en' ? l.en : l.zh);
  const notSure = { value: UNKNOWN, label: locale === 'en' ? 'Not known (not assessed)' : '不清楚（未评估）' };
  const selects = ASKED.filter((d) => d.type.t !== 'bool' && d.values && d.name !== 'sex');
  const toggles = ASKED.filter((d) => d.type.t === 'bool');
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
        <Col xs={24} sm={12}>
          <Form.Item name="living" label={t('sc.living')}>
            <Select mode="multiple" allowClear data-testid="sc-living" options={options(livingLabels, locale)} />
          </Form.Item>
        </Col>
        {selects.map((d) => (
          <Col xs={24} sm={12} key={d.name}>
            <Form.Item name={d.name} label={label(d.label)}>
              <Select
                data-testid={`sc-${d.name}`}
                // an int fact (the disability grade) is a number in the API
                options={[
                  ...options(d.values!, locale).map((o) => (d.type.t === 'int' ? { ...o, value: Number(o.value) as unknown as string } : o)),
                  ...(mayBeUnknown(d.name) ? [notSure] : []),
                ]}
              />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Row gutter={12}>
        <Col xs={12} sm={8}>
          <Form.Item name="urban" label={t('sc.urban')} valuePropName="checked">
            <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} data-testid="sc-urban" />
          </Form.Item>
        </Col>
        {toggles.map((d) => (
          <Col xs={12} sm={8} key={d.name}>
            <Form.Item name={d.name} label={label(d.label)} valuePropName="checked">
              <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} data-testid={`sc-${d.name}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="sc-submit">{t('sc.submit')}</Button>
    </Form>
  );
}
