import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Grid,
  Input,
  Modal,
  Progress,
  Radio,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useAuth } from '../../shared/auth';
import { shanghaiToday, yuan } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import type { Region } from '../../shared/api';
import { useRegions } from '../register/api';
import { newClientId, useCreatePoint, useDaily, useMealCoverage, useMeals, usePatchPoint, usePoints, useQuote, useRecordMeal } from './api';
import { DateInput, PersonPicker, ProviderSelect } from './pickers';
import type { CoveragePart, DailyRow, MealKind, MealMode, MealPointKind, MealPointView, MealView, QuoteBody, QuoteReply } from './types';

const DailyChart = lazy(() => import('./charts').then((m) => ({ default: m.DailyChart })));

const MEALS: MealKind[] = ['breakfast', 'lunch', 'dinner'];
const MODES: MealMode[] = ['dine_in', 'delivery'];
const mealKey = (m: MealKind) => `mb.meals.meal.${m}` as MessageKey;
const modeKey = (m: MealMode) => `mb.meals.mode.${m}` as MessageKey;

/** A price rule in words: 'age_80' → 80 周岁以上优惠, free delivery, hardship. */
export function useRuleText() {
  const { t } = useI18n();
  return (rule: string) => {
    const age = /^age_(\d+)$/.exec(rule);
    if (age) return t('mb.meals.rule.age', { age: age[1]! });
    if (rule === 'free_delivery' || rule === 'hardship') return t(`mb.meals.rule.${rule}`);
    return rule;
  };
}

/** The price as the rules make it, shown before saving (and what was saved). */
export function PriceBreakdown({ price }: { price: Pick<QuoteReply, 'priceFen' | 'discountFen' | 'deliveryFen' | 'paidFen' | 'rules'> & { age?: number } }) {
  const { t } = useI18n();
  const rule = useRuleText();
  return (
    <div data-testid="mb-price">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('mb.meals.price')}>{t('mb.yuan', { v: yuan(price.priceFen) })}</Descriptions.Item>
        <Descriptions.Item label={t('mb.meals.discount')}>
          <span data-testid="mb-price-discount">−{t('mb.yuan', { v: yuan(price.discountFen) })}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('mb.meals.delivery')}>{t('mb.yuan', { v: yuan(price.deliveryFen) })}</Descriptions.Item>
        <Descriptions.Item label={t('mb.meals.paid')}>
          <strong data-testid="mb-price-paid">{t('mb.yuan', { v: yuan(price.paidFen) })}</strong>
        </Descriptions.Item>
      </Descriptions>
      <div style={{ marginTop: 8, display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {price.age !== undefined && <Tag>{t('mb.meals.age', { age: price.age })}</Tag>}
        {price.rules.map((r) => (
          <Tag color="orange" key={r}>
            {rule(r)}
          </Tag>
        ))}
      </div>
    </div>
  );
}

interface MealForm {
  pointId?: number;
  personId?: number;
  servedOn: string;
  meal: MealKind;
  mode: MealMode;
}

/** 记录用餐: point, elder, date, meal, dine-in or delivery; the price by the rules shows before saving. */
function RecordMeal({ points }: { points: MealPointView[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const [form] = Form.useForm<MealForm>();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  // one id per meal being entered: a resend after a lost answer is stored once
  const [clientId, setClientId] = useState(newClientId);
  const open = points.filter((p) => p.active);
  const values = Form.useWatch([], form) as MealForm | undefined;
  const body: QuoteBody | null =
    values?.pointId && values.personId && values.servedOn && values.meal && values.mode
      ? { pointId: values.pointId, personId: values.personId, servedOn: values.servedOn, meal: values.meal, mode: values.mode }
      : null;
  const quote = useQuote(body);
  const recording = useRecordMeal();
  const servedOn = values?.servedOn ?? shanghaiToday();
  const meals = useMeals(servedOn, values?.pointId);
  useEffect(() => {
    if (open.length === 1 && form.getFieldValue('pointId') === undefined) form.setFieldValue('pointId', open[0]!.id);
  }, [open, form]);
  useEffect(() => setError(null), [body?.personId, body?.pointId, body?.servedOn, body?.meal, body?.mode]);
  const save = async () => {
    if (!body) return;
    setError(null);
    try {
      const m = await recording.mutateAsync({ ...body, clientId });
      message.success(t('mb.meals.recorded', { name: m.personName || name, meal: t(mealKey(m.meal)), paid: yuan(m.paidFen) }));
      setClientId(newClientId());
      form.setFieldValue('personId', undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const columns: ColumnsType<MealView> = [
    { title: t('mb.meals.col.person'), dataIndex: 'personName', ellipsis: true },
    { title: t('mb.meals.meal'), key: 'meal', width: 80, render: (_, m) => t(mealKey(m.meal)) },
    { title: t('mb.meals.mode'), key: 'mode', width: 80, render: (_, m) => t(modeKey(m.mode)) },
    { title: t('mb.meals.col.paid'), key: 'paid', width: 90, align: 'right', render: (_, m) => yuan(m.paidFen) },
  ];
  if (!open.length) return <Alert type="info" showIcon message={t('mb.meals.noPoints')} />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card size="small">
          <Form
            form={form}
            layout="vertical"
            initialValues={{ servedOn: shanghaiToday(), meal: 'lunch', mode: 'dine_in' }}
            data-testid="mb-meal-form"
            disabled={!can('services.meals')}
          >
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="pointId" label={t('mb.meals.point')} rules={[{ required: true, message: t('mb.required') }]}>
                  <Select<number> options={open.map((p) => ({ value: p.id, label: p.name }))} data-testid="mb-meal-point" showSearch optionFilterProp="label" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="servedOn" label={t('mb.meals.servedOn')} rules={[{ required: true, message: t('mb.required') }]}>
                  <DateInput testId="mb-meal-date" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="personId" label={t('mb.meals.person')} rules={[{ required: true, message: t('mb.required') }]}>
              <PersonPicker testId="mb-meal-person" onChange={(_, label) => setName(label ?? '')} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={14}>
                <Form.Item name="meal" label={t('mb.meals.meal')}>
                  <Radio.Group optionType="button" buttonStyle="solid" data-testid="mb-meal-kind">
                    {MEALS.map((m) => (
                      <Radio.Button key={m} value={m}>
                        {t(mealKey(m))}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                </Form.Item>
              </Col>
              <Col xs={24} sm={10}>
                <Form.Item name="mode" label={t('mb.meals.mode')}>
                  <Radio.Group optionType="button" buttonStyle="solid" data-testid="mb-meal-mode">
                    {MODES.map((m) => (
                      <Radio.Button key={m} value={m}>
                        {t(modeKey(m))}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                </Form.Item>
              </Col>
            </Row>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('mb.meals.quote')} data-testid="mb-quote">
          {!body && <Typography.Text type="secondary">{t('mb.meals.quote.hint')}</Typography.Text>}
          {body && quote.isFetching && <Skeleton active paragraph={{ rows: 3 }} />}
          {body && !quote.isFetching && quote.error && <Alert type="warning" showIcon message={quote.error.message} data-testid="mb-quote-error" />}
          {body && !quote.isFetching && quote.data && <PriceBreakdown price={quote.data} />}
          {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} data-testid="mb-meal-error" />}
          {can('services.meals') && (
            <Button
              type="primary"
              block={phone}
              style={{ marginTop: 12 }}
              disabled={!quote.data || quote.isFetching || !!quote.error}
              loading={recording.isPending}
              onClick={() => void save()}
              data-testid="mb-meal-save"
            >
              {t('mb.meals.record')}
            </Button>
          )}
        </Card>
      </Col>
      <Col xs={24}>
        <Typography.Title level={5}>{t('mb.meals.today', { date: servedOn })}</Typography.Title>
        <Table<MealView>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={meals.data?.items ?? []}
          loading={meals.isFetching}
          pagination={false}
          tableLayout="fixed"
          data-testid="mb-meals-table"
        />
      </Col>
    </Row>
  );
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** 每日统计: meals a day at the viewer's points, a chart and the rows with totals. */
function Daily({ points }: { points: MealPointView[] }) {
  const { t } = useI18n();
  const [to, setTo] = useState(shanghaiToday());
  const [from, setFrom] = useState(addDays(shanghaiToday(), -13));
  const [pointId, setPointId] = useState<number | undefined>();
  const daily = useDaily(from, to, pointId);
  const rows = daily.data?.items ?? [];
  const total = rows.reduce(
    (s, r) => ({
      dineIn: s.dineIn + r.dineIn,
      delivery: s.delivery + r.delivery,
      priceFen: s.priceFen + r.priceFen,
      discountFen: s.discountFen + r.discountFen,
      paidFen: s.paidFen + r.paidFen,
    }),
    { dineIn: 0, delivery: 0, priceFen: 0, discountFen: 0, paidFen: 0 },
  );
  const columns: ColumnsType<DailyRow> = [
    { title: t('mb.meals.col.date'), dataIndex: 'date', width: 110 },
    { title: t('mb.meals.col.point'), dataIndex: 'pointName', ellipsis: true },
    { title: t('mb.meals.col.dineIn'), dataIndex: 'dineIn', width: 80, align: 'right' },
    { title: t('mb.meals.col.delivery'), dataIndex: 'delivery', width: 80, align: 'right' },
    { title: t('mb.meals.col.persons'), dataIndex: 'persons', width: 70, align: 'right', responsive: ['sm'] },
    { title: t('mb.meals.col.price'), key: 'price', width: 100, align: 'right', responsive: ['md'], render: (_, r) => yuan(r.priceFen) },
    { title: t('mb.meals.col.discount'), key: 'discount', width: 100, align: 'right', responsive: ['md'], render: (_, r) => yuan(r.discountFen) },
    { title: t('mb.meals.col.paid'), key: 'paid', width: 100, align: 'right', render: (_, r) => yuan(r.paidFen) },
  ];
  return (
    <div data-testid="mb-daily">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12, alignItems: 'center' }}>
        <Space size={4}>
          <span>{t('mb.meals.daily.from')}</span>
          <DateInput value={from} onChange={(v) => v && setFrom(v)} testId="mb-daily-from" />
        </Space>
        <Space size={4}>
          <span>{t('mb.meals.daily.to')}</span>
          <DateInput value={to} onChange={(v) => v && setTo(v)} testId="mb-daily-to" />
        </Space>
        <Select<number>
          allowClear
          placeholder={t('mb.meals.point')}
          value={pointId}
          onChange={setPointId}
          options={points.map((p) => ({ value: p.id, label: p.name }))}
          style={{ minWidth: 200 }}
          data-testid="mb-daily-point"
        />
      </div>
      {daily.error && <Alert type="error" showIcon message={daily.error.message} style={{ marginBottom: 12 }} />}
      <Card size="small" title={t('mb.meals.daily.chart')} style={{ marginBottom: 12 }}>
        <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 240 }} />}>
          <DailyChart rows={rows} label={t('mb.meals.daily.chart')} names={[t('mb.meals.col.dineIn'), t('mb.meals.col.delivery')]} />
        </Suspense>
      </Card>
      <Table<DailyRow>
        rowKey={(r) => `${r.date}|${r.pointId}`}
        size="small"
        columns={columns}
        dataSource={rows}
        loading={daily.isFetching}
        pagination={{ pageSize: 31, hideOnSinglePage: true, size: 'small' }}
        tableLayout="fixed"
        data-testid="mb-daily-table"
        summary={() =>
          rows.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                <strong>{t('mb.meals.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                <span data-testid="mb-daily-total-dinein">{total.dineIn}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <span data-testid="mb-daily-total-delivery">{total.delivery}</span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </div>
  );
}

/** 设立助餐点: provider, where it is, its name and kind, the communities and villages it delivers to. */
function NewPointDialog({ open, onClose, places }: { open: boolean; onClose: () => void; places: Region[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ providerId?: number; regionCode?: string; name: string; kind: MealPointKind; serves: string[] }>();
  const [error, setError] = useState<string | null>(null);
  const creating = useCreatePoint();
  const options = places.map((r) => ({ value: r.code, label: r.name }));
  const submit = async (v: { providerId?: number; regionCode?: string; name: string; kind: MealPointKind; serves: string[] }) => {
    setError(null);
    try {
      const p = await creating.mutateAsync({
        providerId: Number(v.providerId),
        regionCode: String(v.regionCode),
        name: v.name,
        kind: v.kind,
        serves: v.serves ?? [],
      });
      message.success(t('mb.points.created', { name: p.name }));
      form.resetFields();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={open}
      title={t('mb.points.new')}
      okText={t('mb.save')}
      cancelText={t('mb.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={creating.isPending}
      okButtonProps={{ 'data-testid': 'mb-point-ok' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'canteen', serves: [] }} onFinish={(v) => void submit(v)}>
        <Form.Item name="providerId" label={t('mb.beds.provider')} rules={[{ required: true, message: t('mb.required') }]}>
          <ProviderSelect testId="mb-point-provider" />
        </Form.Item>
        <Form.Item name="name" label={t('mb.points.name')} rules={[{ required: true, whitespace: true, message: t('mb.required') }]}>
          <Input maxLength={60} data-testid="mb-point-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('mb.points.col.kind')}>
          <Radio.Group>
            <Radio value="canteen">{t('mb.points.kind.canteen')}</Radio>
            <Radio value="delivery_point">{t('mb.points.kind.delivery_point')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="regionCode" label={t('mb.points.region')} rules={[{ required: true, message: t('mb.required') }]}>
          <Select showSearch optionFilterProp="label" options={options} data-testid="mb-point-region" />
        </Form.Item>
        <Form.Item name="serves" label={t('mb.points.serves')}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={options} data-testid="mb-point-serves" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="mb-point-error" />}
      </Form>
    </Modal>
  );
}

/** 助餐点: the viewer's points, what they serve; officers open, stop and restart them. */
function Points({ points, loading, places }: { points: MealPointView[]; loading: boolean; places: Region[] }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [opening, setOpening] = useState(false);
  const patching = usePatchPoint();
  const manage = can('services.manage');
  const toggle = async (p: MealPointView) => {
    try {
      await patching.mutateAsync({ id: p.id, body: { active: !p.active } });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const columns: ColumnsType<MealPointView> = [
    { title: t('mb.points.col.name'), dataIndex: 'name', ellipsis: true },
    { title: t('mb.points.col.kind'), key: 'kind', width: 100, render: (_, p) => t(`mb.points.kind.${p.kind}`) },
    { title: t('mb.points.col.region'), dataIndex: 'regionName', width: 130, ellipsis: true, responsive: ['sm'] },
    { title: t('mb.points.col.provider'), dataIndex: 'providerName', width: 160, ellipsis: true, responsive: ['md'] },
    {
      title: t('mb.points.col.serves'),
      key: 'serves',
      ellipsis: true,
      responsive: ['lg'],
      render: (_, p) => {
        const text = p.serves.map((s) => s.name).join('、');
        return <span title={text}>{text}</span>;
      },
    },
    {
      title: t('mb.points.col.active'),
      key: 'active',
      width: manage ? 150 : 90,
      render: (_, p) => (
        <Space size={4}>
          {p.active ? <Tag color="green">{t('mb.points.active')}</Tag> : <Tag>{t('mb.points.stopped')}</Tag>}
          {manage && (
            <Button size="small" onClick={() => void toggle(p)} data-testid={`mb-point-toggle-${p.id}`}>
              {p.active ? t('mb.points.stop') : t('mb.points.restart')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <div data-testid="mb-points">
      {manage && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} style={{ marginBottom: 12 }} data-testid="mb-point-new">
          {t('mb.points.new')}
        </Button>
      )}
      <Table<MealPointView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={points}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        tableLayout="fixed"
        data-testid="mb-points-table"
      />
      <NewPointDialog open={opening} onClose={() => setOpening(false)} places={places} />
    </div>
  );
}

function CoverageCard({ title, part, testId }: { title: string; part: CoveragePart; testId: string }) {
  const { t } = useI18n();
  const none = part.communities === 0;
  const met = part.percent >= part.targetPercent;
  const tag = none ? <Tag>{t('mb.coverage.none')}</Tag> : <Tag color={met ? 'green' : 'orange'}>{met ? t('mb.coverage.met') : t('mb.coverage.notMet')}</Tag>;
  return (
    <Card size="small" title={title} data-testid={testId} extra={tag}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <div style={{ position: 'relative', flex: 1 }}>
          <Progress percent={part.percent} status={met && !none ? 'success' : 'normal'} showInfo={false} />
          {/* the target as a mark on the bar */}
          <div
            aria-hidden
            title={t('mb.coverage.target', { p: part.targetPercent })}
            style={{ position: 'absolute', top: 0, bottom: 0, left: `${Math.min(100, part.targetPercent)}%`, borderLeft: '2px dashed #c0392b' }}
          />
        </div>
        <strong style={{ flex: '0 0 auto' }}>{none ? '—' : `${part.percent}%`}</strong>
      </div>
      <Space wrap>
        <Typography.Text>{t('mb.coverage.counts', { covered: part.covered, n: part.communities })}</Typography.Text>
        <Typography.Text type="secondary">{t('mb.coverage.target', { p: part.targetPercent })}</Typography.Text>
      </Space>
    </Card>
  );
}

/** 覆盖率: urban communities and rural villages an open point serves, against the targets, town by town. */
function Coverage() {
  const { t } = useI18n();
  const coverage = useMealCoverage();
  const c = coverage.data;
  if (coverage.error) return <Alert type="error" showIcon message={coverage.error.message} />;
  if (!c) return <Skeleton active />;
  const cell = (p: CoveragePart) => (p.communities ? `${p.covered} / ${p.communities}（${p.percent}%）` : '—');
  return (
    <div data-testid="mb-coverage">
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={24} md={12}>
          <CoverageCard title={t('mb.coverage.urban')} part={c.urban} testId="mb-coverage-urban" />
        </Col>
        <Col xs={24} md={12}>
          <CoverageCard title={t('mb.coverage.rural')} part={c.rural} testId="mb-coverage-rural" />
        </Col>
      </Row>
      <Alert type="info" showIcon message={t('mb.coverage.note')} style={{ marginBottom: 12 }} />
      <Table
        rowKey="regionCode"
        size="small"
        pagination={false}
        dataSource={c.byTown}
        tableLayout="fixed"
        data-testid="mb-coverage-towns"
        columns={[
          { title: t('mb.coverage.col.town'), dataIndex: 'regionName', ellipsis: true },
          { title: t('mb.coverage.col.urban'), key: 'urban', render: (_, r) => cell(r.urban) },
          { title: t('mb.coverage.col.rural'), key: 'rural', render: (_, r) => cell(r.rural) },
        ]}
      />
    </div>
  );
}

type TabKey = 'record' | 'daily' | 'points' | 'coverage';

/** 助餐: record a meal with its price shown first, daily counts, meal points, coverage against the targets. */
export function MealsPage() {
  const { t } = useI18n();
  const { can, user } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const points = usePoints();
  const regions = useRegions();
  const places = useMemo(
    () => (regions.data?.regions ?? []).filter((r) => r.level === 'village' && (r.kind === 'community' || r.kind === 'village')),
    [regions.data],
  );
  // the session arrives after the first render: the default tab follows it until one is chosen
  const [chosen, setTab] = useState<TabKey | undefined>();
  const tab = chosen ?? (can('services.meals') ? 'record' : 'daily');
  const list = points.data ?? [];
  const items: { key: TabKey; label: string; children: ReactNode }[] = [
    ...(can('services.meals') ? [{ key: 'record' as const, label: t('mb.meals.tab.record'), children: <RecordMeal points={list} /> }] : []),
    { key: 'daily', label: t('mb.meals.tab.daily'), children: <Daily points={list} /> },
    { key: 'points', label: t('mb.meals.tab.points'), children: <Points points={list} loading={points.isFetching} places={places} /> },
    // a provider's office counts its own meals, not the county's coverage
    ...(user?.role !== 'provider' ? [{ key: 'coverage' as const, label: t('mb.meals.tab.coverage'), children: <Coverage /> }] : []),
  ];
  return (
    <div data-testid="mb-meals-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('mb.meals.title')}
      </Typography.Title>
      {!phone && <Alert type="info" showIcon message={t('mb.meals.intro')} style={{ marginBottom: 12 }} />}
      {points.error && <Alert type="error" showIcon message={points.error.message} style={{ marginBottom: 12 }} />}
      {phone ? (
        <Segmented<TabKey>
          block
          value={tab}
          onChange={setTab}
          options={items.map((i) => ({ value: i.key, label: i.label }))}
          style={{ marginBottom: 12 }}
          data-testid="mb-meals-tabs"
        />
      ) : null}
      {phone ? (
        items.find((i) => i.key === tab)?.children
      ) : (
        <Tabs activeKey={tab} onChange={(k) => setTab(k as TabKey)} items={items} destroyOnHidden data-testid="mb-meals-tabs" />
      )}
    </div>
  );
}
