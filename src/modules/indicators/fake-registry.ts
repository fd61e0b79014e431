import type { AppContext } from '../../platform/context.js';
import { ageOn, type CivilDate } from '../../platform/time.js';
import type { AggregateSource, Cell, IndicatorDef, PersonSource, PopulationSource, Since, Span, Text } from './contract.js';
import type { EngineSettings, Registry } from './engine.js';

/**
 * A registry over an in-memory model, for the engine's tests (refresh.test.ts, reads.test.ts):
 * the tests change the model at random and compare an incremental refresh with a full one, and
 * count figures independently. Not used by the server.
 */
export interface FakePerson {
  region: string;
  birth: CivilDate;
  active: boolean;
  /** assessment valid through this date (inclusive), if any */
  assessedUntil: CivilDate | null;
  /** service dates; voided ones removed */
  served: CivilDate[];
  /** when the row was last written (UTC ISO) */
  writtenAt: string;
}

export interface FakeFacility {
  region: string;
  beds: number;
  nursing: number;
}

/** A case handled in a month (an alarm, a complaint): a flow, counted in the month it falls in. */
export interface FakeCase {
  region: string;
  month: string;
  inTime: boolean;
}

export class FakeModel {
  persons = new Map<number, FakePerson>();
  facilities: FakeFacility[] = [];
  cases: FakeCase[] = [];
  private next = 1;
  add(p: Omit<FakePerson, 'writtenAt'>): number {
    const id = this.next++;
    this.persons.set(id, { ...p, writtenAt: new Date().toISOString() });
    return id;
  }
  change(id: number, f: (p: FakePerson) => void): void {
    const p = this.persons.get(id)!;
    f(p);
    p.writtenAt = new Date().toISOString();
  }
}

const t = (zh: string, en: string): Text => ({ zh, en });

/** Whether a yearly date (birthday N years after birth) falls in (from, to]. */
function crossed(birth: CivilDate, age: number, from: CivilDate, to: CivilDate): boolean {
  return ageOn(birth, from) < age && ageOn(birth, to) >= age;
}

export function fakeRegistry(model: FakeModel, settings: Partial<EngineSettings> = {}): Registry {
  const written = (since: Since) => [...model.persons].filter(([, p]) => p.writtenAt >= since.at).map(([id]) => id);
  const inPop = (p: FakePerson, span: Span) => p.active && ageOn(p.birth, span.asOf) >= 60;
  const filter = (only: readonly number[] | undefined, f: (p: FakePerson, id: number) => boolean) =>
    (only ?? [...model.persons.keys()]).filter((id) => {
      const p = model.persons.get(id);
      return p !== undefined && f(p, id);
    });
  const population: PopulationSource = {
    key: 'fake.elders',
    label: t('老年人', 'Elders'),
    async persons(_c, _d, span, only) {
      return filter(only, (p) => inPop(p, span));
    },
    async regions(_c, _d, span, only) {
      return filter(only, (p) => inPop(p, span)).map((id) => [id, model.persons.get(id)!.region] as [number, string]);
    },
    async changedSince(_c, _d, span, since) {
      return [...written(since), ...[...model.persons].filter(([, p]) => crossed(p.birth, 60, since.on, span.asOf)).map(([id]) => id)];
    },
  };
  const age80: PersonSource = {
    key: 'fake.age80',
    label: t('80周岁及以上', 'Aged 80+'),
    async persons(_c, _d, span, only) {
      return filter(only, (p) => ageOn(p.birth, span.asOf) >= 80);
    },
    async changedSince(_c, _d, span, since) {
      return [...written(since), ...[...model.persons].filter(([, p]) => crossed(p.birth, 80, since.on, span.asOf)).map(([id]) => id)];
    },
  };
  const assessed: PersonSource = {
    key: 'fake.assessed',
    label: t('评估有效', 'Assessment valid'),
    async persons(_c, _d, span, only) {
      return filter(only, (p) => p.assessedUntil !== null && p.assessedUntil >= span.asOf);
    },
    async changedSince(_c, _d, span, since) {
      return [
        ...written(since),
        ...[...model.persons].filter(([, p]) => p.assessedUntil !== null && p.assessedUntil >= since.on && p.assessedUntil < span.asOf).map(([id]) => id),
      ];
    },
  };
  const served: PersonSource = {
    key: 'fake.served',
    label: t('本月接受服务', 'Served this month'),
    async persons(_c, _d, span, only) {
      return filter(only, (p) => p.served.some((d) => d >= span.from && d <= span.asOf));
    },
    async changedSince(_c, _d, _span, since) {
      return written(since);
    },
  };
  const beds: AggregateSource = {
    key: 'fake.nursingBeds',
    label: t('护理型床位', 'Nursing beds'),
    async cells(): Promise<Cell[]> {
      return model.facilities.map((f) => ({ region: f.region, num: f.nursing, den: f.beds }));
    },
    async members(_c, _d, _s, prefixes) {
      return model.facilities
        .map((f, i) => ({ f, i }))
        .filter(({ f }) => prefixes.some((p) => f.region.startsWith(p)))
        .map(({ f, i }) => ({
          kind: 'facility' as const,
          id: i + 1,
          name: `机构${i + 1}`,
          region: f.region,
          detail: t(`护理型床位 ${f.nursing} / ${f.beds} 张`, `${f.nursing} of ${f.beds} beds for nursing`),
          inNumerator: f.nursing > 0,
        }));
    },
  };
  const handled: AggregateSource = {
    key: 'fake.handled',
    label: t('按时办结', 'Handled in time'),
    async cells(_c, _d, span): Promise<Cell[]> {
      return model.cases.filter((c) => c.month === span.month).map((c) => ({ region: c.region, num: c.inTime ? 1 : 0, den: 1 }));
    },
    async members(_c, _d, span, prefixes) {
      return model.cases
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.month === span.month && prefixes.some((p) => c.region.startsWith(p)))
        .map(({ c, i }) => ({
          kind: 'complaint' as const,
          id: i + 1,
          name: `案件${i + 1}`,
          region: c.region,
          detail: t(c.inTime ? '按时' : '超时', c.inTime ? 'In time' : 'Late'),
          inNumerator: c.inTime,
        }));
    },
  };
  const def = (d: Partial<IndicatorDef> & Pick<IndicatorDef, 'key' | 'unit'>): IndicatorDef => ({
    seedRow: null,
    category: t('测试', 'Test'),
    name: t(d.key, d.key),
    period: 'month',
    drill: 'person',
    numeratorText: t('分子', 'numerator'),
    denominatorText: t('分母', 'denominator'),
    ...d,
  });
  const definitions: IndicatorDef[] = [
    def({ key: 'cov80', seedRow: 4, unit: 'percent', person: { denominator: ['fake.age80'], numerator: ['fake.age80', 'fake.assessed'] } }),
    def({ key: 'served', seedRow: 1, unit: 'percent', person: { denominator: [], numerator: ['fake.served'] } }),
    def({ key: 'count80', unit: 'count', person: { denominator: ['fake.elders'], numerator: ['fake.age80'] } }),
    def({ key: 'nursingShare', seedRow: 6, unit: 'percent', aggregate: 'fake.nursingBeds', drill: 'facility' }),
    def({ key: 'bedsPer100', unit: 'per100', aggregate: 'fake.nursingBeds', drill: 'facility' }),
    def({ key: 'handledInTime', unit: 'percent', aggregate: 'fake.handled', drill: 'complaint' }),
  ];
  const supported = new Set(definitions.map((d) => d.seedRow));
  const unsupportedRows = Array.from({ length: 19 }, (_, i) => i + 1)
    .filter((n) => !supported.has(n))
    .map((n) => ({
      seedRow: n,
      category: t('测试', 'Test'),
      name: t(`第${n}行`, `Row ${n}`),
      target: String(n * 10),
      attribute: t('预期性', 'Expected'),
      reason: t('无数据', 'No data'),
    }));
  const fullSettings: EngineSettings = {
    planFrom: '2021-01-01',
    targets: {
      cov80: { value: 50, comparator: 'atLeast', attribute: t('约束性', 'Binding'), source: t('来源', 'Source'), reading: t('解读', 'Reading') },
      nursingShare: { value: 75, comparator: 'atLeast', attribute: t('约束性', 'Binding'), source: t('来源', 'Source'), reading: t('解读', 'Reading') },
    },
    outliers: { siblingZ: 3.5, seriesZ: 3.5, minDenominator: 5, minSeries: 3 },
    ...settings,
  };
  return {
    population,
    personSources: [age80, assessed, served],
    aggregateSources: [beds, handled],
    flowAggregates: ['fake.handled'],
    definitions,
    unsupportedRows,
    async personCards(_db, ids, on) {
      return ids.flatMap((id) => {
        const p = model.persons.get(id);
        return p
          ? [
              {
                id,
                name: `老人${id}`,
                idMasked: `9901**********${String(id).padStart(4, '0')}`,
                sex: id % 2 ? '男' : '女',
                age: ageOn(p.birth, on),
                region: p.region,
              },
            ]
          : [];
      });
    },
    async settings(_ctx: AppContext) {
      return fullSettings;
    },
  };
}
