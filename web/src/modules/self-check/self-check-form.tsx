import { Alert, Button, Col, DatePicker, Form, Radio, Row, Select, Spin, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { SelfCheckProfile } from '../catalogue/types';
import { livingLabels, options } from '../../shared/fact-labels';
import { useI18n } from '../../shared/i18n-core';
import { useFacts, type DeclaredFact } from './api';

export type SelfCheckFields = Omit<SelfCheckProfile, 'birthDate'> & { birthDate: Dayjs };

const UNKNOWN = '__unknown';

/** The facts the form asks, as the server declares them (`GET /api/facts`): a switch for each yes/no, a select for the others. */
const asked = (facts: readonly DeclaredFact[]) => facts.filter((f) => f.ask && f.default !== null);

const initialValues = (facts: readonly DeclaredFact[]): Record<string, unknown> => ({
  urban: false,
  living: [],
  ...Object.fromEntries(asked(facts).map((f) => [f.name, f.default])),
});

/**
 * The form's values → the profile the API takes. A fact answered 不清楚 (offered where the server
 * says a fact may be left unknown: `unknownWith`) is sent at its default with the facts it leaves
 * unknown listed (失能等级 不清楚 → 需要长期照护 unknown); an int fact's select answers a number.
 */
export function toProfile(v: SelfCheckFields, facts: readonly DeclaredFact[]): SelfCheckProfile {
  const out: Record<string, unknown> = { ...initialValues(facts), ...v, birthDate: v.birthDate.format('YYYY-MM-DD') };
  const unknown: string[] = [];
  for (const f of asked(facts)) {
    if (out[f.name] === UNKNOWN) {
      out[f.name] = f.default;
      unknown.push(...f.unknownWith);
    } else if (f.type === 'int' && typeof out[f.name] === 'string') {
      out[f.name] = Number(out[f.name]);
    }
  }
  if (unknown.length) out.unknown = [...new Set(unknown)];
  return out as unknown as SelfCheckProfile;
}

/** The situation of the older person, as the catalogue's rules read it; nothing here is stored. */
export function SelfCheckForm({ busy, onSubmit }: { busy: boolean; onSubmit: (p: SelfCheckProfile) => void }) {
  const { t, locale } = useI18n();
  const facts = useFacts();
  if (facts.isPending) return <Spin data-testid="sc-loading" />;
  if (facts.isError) return <Alert type="error" showIcon message={facts.error.message} data-testid="sc-facts-error" />;
  const all = facts.data.facts;
  const label = (f: DeclaredFact) => (locale === 'en' ? f.labelEn : f.label);
  const notSure = { value: UNKNOWN, label: locale === 'en' ? 'Not known (not assessed)' : '不清楚（未评估）' };
  const selects = asked(all).filter((f) => f.type !== 'bool' && f.values && f.name !== 'sex');
  const toggles = asked(all).filter((f) => f.type === 'bool');
  return (
    <Form<SelfCheckFields>
      layout="vertical"
      initialValues={initialValues(all)}
      onFinish={(v) => onSubmit(toProfile(v, all))}
      requiredMark={false}
      data-testid="self-check-form"
    >
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="birthDate" label={t('sc.birthDate')} rules={[{ required: true, message: t('common.required', { what: t('sc.birthDate') }) }]}>
            <DatePicker
              style={{ width: '100%' }}
              inputReadOnly={false}
              defaultPickerValue={dayjs('1950-01-01')}
              disabledDate={(d) => d.isAfter(dayjs())}
              data-testid="sc-birthDate"
              placeholder="YYYY-MM-DD"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="sex" label={t('sc.sex')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'M', label: t('sex.M') },
                { value: 'F', label: t('sex.F') },
              ]}
              data-testid="sc-sex"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="living" label={t('sc.living')}>
            <Select mode="multiple" allowClear data-testid="sc-living" options={options(livingLabels, locale)} />
          </Form.Item>
        </Col>
        {selects.map((f) => (
          <Col xs={24} sm={12} key={f.name}>
            <Form.Item name={f.name} label={label(f)}>
              <Select
                data-testid={`sc-${f.name}`}
                // an int fact (the disability grade) is a number in the API
                options={[
                  ...options(f.values!, locale).map((o) => (f.type === 'int' ? { ...o, value: Number(o.value) as unknown as string } : o)),
                  ...(f.unknownWith.length ? [notSure] : []),
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
        {toggles.map((f) => (
          <Col xs={12} sm={8} key={f.name}>
            <Form.Item name={f.name} label={label(f)} valuePropName="checked">
              <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} data-testid={`sc-${f.name}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="sc-submit">
        {t('sc.submit')}
      </Button>
    </Form>
  );
}
