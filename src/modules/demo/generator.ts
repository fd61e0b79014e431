import { isCivilDate, type CivilDate } from '../../platform/time.js';
import { makeResidentId } from '../register/resident-id.js';
import { pickName, type Rng } from './names.js';
import { DEMO_COUNTY, demoVillageWeights } from './regions.js';

/**
 * The deterministic demo county: synthetic elders whose every attribute is a pure function of
 * (elders, seed, asOf). IDs carry region 990101 (province code 99 is never allocated) and phones
 * start with 100 (never given to subscribers), so no generated person can be a real one.
 */

/**
 * Rates the generator draws with, each a share of all elders unless stated otherwise. They are
 * plausible for a mostly rural Chinese county around 2024, not measurements of any real place.
 */
export const DEMO_RATES = {
  /** Age bands (inclusive years, share of elders). 80+ sums to 16.5 % — seed-001 baseline
   * 65,900 of 399,100; 100+ is 0.05 %; nobody is over 105. */
  ageBands: [
    { from: 60, to: 64, share: 0.3 },
    { from: 65, to: 69, share: 0.25 },
    { from: 70, to: 74, share: 0.18 },
    { from: 75, to: 79, share: 0.105 },
    { from: 80, to: 84, share: 0.085 },
    { from: 85, to: 89, share: 0.055 },
    { from: 90, to: 94, share: 0.02 },
    { from: 95, to: 99, share: 0.0045 },
    { from: 100, to: 105, share: 0.0005 },
  ],
  /** Women's share grows with age (women live longer): ≈52 % at 60-79, ≈60 % at 80+. */
  femaleShare: { under70: 0.51, under80: 0.53, under90: 0.59, over90: 0.66 },
  /** Household registration in this county (the rest registered elsewhere, living here). */
  hukouLocal: 0.96,
  /** Social-assistance categories, mutually exclusive: 低保 3 %, 低保边缘 2 %, 特困 分散 0.6 %, 集中 0.3 %. */
  hardship: { dibao: 0.03, dibao_edge: 0.02, tekun_dispersed: 0.006, tekun_concentrated: 0.003 },
  /** 计生特殊家庭 (only child died or disabled). */
  specialFamily: 0.008,
  /** 独居 10 % (of whom a tenth, 1 % of all, are 孤寡), 空巢 30 %; 特困集中供养 live in an
   * institution and carry no living tag. */
  living: { alone: 0.1, solitaryAmongAlone: 0.1, emptyNest: 0.3 },
  /** 留守: 8 % of elders living in a rural village (村); never in a community. */
  leftBehindRural: 0.08,
  /** Pension scheme by kind of place: urban communities, town-seat communities, villages. */
  pension: {
    urban: { employee: 0.5, public_service: 0.12, resident: 0.35, none: 0.03 },
    townSeat: { employee: 0.3, public_service: 0.08, resident: 0.58, none: 0.04 },
    rural: { employee: 0.1, public_service: 0.02, resident: 0.84, none: 0.04 },
  },
  /** 70 % had a health checkup in the 12 months before asOf; 55 % of those have a chronic disease. */
  checkup: 0.7,
  chronicAmongCheckup: 0.55,
  /** Certified disability (残联 grade 1-4): 6 % at 60-79, 12 % at 80+, ≈7 % overall. */
  disability: { under80: 0.06, over80: 0.12 },
  /** Grades skewed to the milder 3 and 4. */
  disabilityGrades: { 1: 0.1, 2: 0.15, 3: 0.3, 4: 0.45 },
  disabilityKinds: { physical: 0.4, visual: 0.2, hearing: 0.2, speech: 0.02, intellectual: 0.04, mental: 0.06, multiple: 0.08 },
  /** Long-term-care insurance disability grade: 1.5 % at 60-79, 16.5 % at 80+, ≈4 % overall. */
  ltc: { under80: 0.015, over80: 0.165 },
  ltcGrades: { mild: 0.4, moderate: 0.35, severe: 0.25 },
  /** 优抚对象: 2.6 % of men (mostly veterans), 0.5 % of women (survivors), ≈1.5 % overall. */
  veteran: { M: 0.026, F: 0.005 },
  /** 特殊贡献 (model workers, recognised contributors). */
  specialContribution: 0.002,
  /** 参加基本医疗保险 (employee or resident scheme): 97 %; the rest are not insured here. */
  medicalInsured: 0.97,
  /** 流浪乞讨救助对象 (homeless or begging, under civil-affairs relief): 0.05 %. */
  vagrant: 0.0005,
} as const;

export type Hardship = 'none' | 'dibao' | 'dibao_edge' | 'tekun_dispersed' | 'tekun_concentrated';
export type LivingTag = 'alone' | 'empty_nest' | 'left_behind' | 'solitary';
export type PensionType = 'employee' | 'public_service' | 'resident' | 'none';
export type LtcGrade = 'mild' | 'moderate' | 'severe';
export type DisabilityKind = keyof typeof DEMO_RATES.disabilityKinds;
export type VeteranCategory =
  'martyr_family' | 'duty_death_family' | 'illness_death_family' | 'disabled_veteran' | 'demobilised' | 'ill_returned' | 'combat_veteran';

export interface DemoElder {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: CivilDate;
  /** a 12-digit village/community code of the demo county */
  regionCode: string;
  phone: string;
  hukouLocal: boolean;
  hardship: Hardship;
  specialFamily: boolean;
  /** empty when living with family */
  living: LivingTag[];
  pensionType: PensionType;
  lastCheckup: CivilDate | null;
  chronicDiseases: string[];
  ltcGrade: LtcGrade | null;
  disabilityGrade: 1 | 2 | 3 | 4 | null;
  disabilityKind: DisabilityKind | null;
  veteranCategory: VeteranCategory | null;
  specialContribution: boolean;
  medicalInsured: boolean;
  vagrant: boolean;
}

export interface DemoOptions {
  /** how many elders */
  elders: number;
  /** a number, or a text hashed to one ('001') */
  seed: number | string;
  /** the date everyone is 60 or over on */
  asOf: CivilDate;
  /** the county they live in and whose resident IDs they hold (default: the demo's first, 青溪县) */
  county?: string;
}

/** mulberry32: a tiny 32-bit generator, good enough for synthetic data and identical everywhere. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed as 32 bits: numbers as they are, texts by FNV-1a. */
export function seedBits(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Picks a key of a table of shares (the shares need not sum to 1: the last key takes the rest). */
function pick<K extends string | number>(rng: Rng, table: Readonly<Record<K, number>>): K {
  const keys = Object.keys(table) as K[];
  let x = rng();
  for (const k of keys) {
    x -= table[k];
    if (x < 0) return k;
  }
  return keys[keys.length - 1]!;
}

const DAY_MS = 86_400_000;
export const dayNumber = (d: CivilDate): number => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY_MS;
export const fromDayNumber = (n: number): CivilDate => new Date(n * DAY_MS).toISOString().slice(0, 10);
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const CHRONIC: Record<string, number> = { 高血压: 45, 糖尿病: 20, 冠心病: 12, 骨关节炎: 9, 慢性阻塞性肺疾病: 8, 脑卒中: 6 };
const CHRONIC_SHARES = Object.fromEntries(Object.entries(CHRONIC).map(([k, v]) => [k, v / 100])) as Record<string, number>;

const VETERAN_M: Record<VeteranCategory, number> = {
  demobilised: 0.4,
  combat_veteran: 0.3,
  ill_returned: 0.15,
  disabled_veteran: 0.1,
  martyr_family: 0.02,
  illness_death_family: 0.02,
  duty_death_family: 0.01,
};
const VETERAN_F = { martyr_family: 0.4, illness_death_family: 0.35, duty_death_family: 0.25 } as const;

/**
 * Hands out ID sequence numbers so IDs never repeat: each (birth date, sex) has sequences 0..499
 * (makeResidentId's range); when a date is full the person is moved to the nearest earlier date
 * with a sequence left, older and so still 60+. A full date links to the date before it, and a
 * look-up shortens the links it follows (a disjoint-set forest), so a county of ten million,
 * whose commonest birth dates are full for years back, does not walk them day by day (it did:
 * the 10 M-row benchmark file took over 25 minutes to write). One counter, and at most one link,
 * per date and sex in use.
 */
export class IdBook {
  private readonly used = new Map<number, number>();
  /** a full (date, sex) → an earlier date to look at instead (the day before, or further once shortened) */
  private readonly earlier = new Map<number, number>();
  take(birthDay: number, sex: 'M' | 'F'): { birthDate: CivilDate; sequence: number } {
    const s = sex === 'F' ? 1 : 0;
    const day = this.firstWithRoom(birthDay, s);
    const key = day * 2 + s;
    const sequence = this.used.get(key) ?? 0;
    this.used.set(key, sequence + 1);
    if (sequence + 1 === 500) this.earlier.set(key, day - 1);
    return { birthDate: fromDayNumber(day), sequence };
  }

  private firstWithRoom(from: number, s: number): number {
    let day = from;
    const passed: number[] = [];
    for (let next = this.earlier.get(day * 2 + s); next !== undefined; next = this.earlier.get(day * 2 + s)) {
      passed.push(day);
      day = next;
    }
    for (const d of passed) this.earlier.set(d * 2 + s, day);
    return day;
  }
}

/**
 * Streams synthetic elders one at a time (a million is fine). The stream is a prefix-stable
 * function of (seed, asOf): asking for fewer elders yields the first ones of a longer run.
 */
export function* generateElders(opts: DemoOptions): Generator<DemoElder, void, undefined> {
  const { elders, asOf } = opts;
  if (!Number.isInteger(elders) || elders < 0) throw new RangeError(`elders must be a whole number ≥ 0, got ${elders}`);
  if (!isCivilDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got ${asOf}`);
  const rng = mulberry32(seedBits(opts.seed));
  // Attributes added after the first release draw from a stream of their own, so every elder's
  // earlier attributes stay what they were for a seed (two draws per elder, always).
  const laterRng = mulberry32(seedBits(opts.seed) ^ 0x1a7e5eed);
  const county = opts.county ?? DEMO_COUNTY;
  const villages = demoVillageWeights(county);
  const villageTotal = villages.reduce((s, v) => s + v.weight, 0);
  const asOfDay = dayNumber(asOf);
  const [ay, am, ad] = [+asOf.slice(0, 4), asOf.slice(5, 7), asOf.slice(8, 10)];
  // The latest birth date in year y that makes someone a year older on asOf than in year y+1
  // (29 February becomes 28 February in a common year: that person is still the older age).
  const latestBirth = (y: number) => dayNumber(`${String(y).padStart(4, '0')}-${am}-${am === '02' && ad === '29' && !isLeap(y) ? '28' : ad}`);
  const bandTable = Object.fromEntries(DEMO_RATES.ageBands.map((b, i) => [i, b.share])) as Record<number, number>;
  const ids = new IdBook();
  const hardshipTable: Record<Hardship, number> = { ...DEMO_RATES.hardship, none: 1 };

  for (let n = 0; n < elders; n++) {
    const band = DEMO_RATES.ageBands[Number(pick(rng, bandTable))]!;
    const age = band.from + Math.floor(rng() * (band.to - band.from + 1));
    const last = latestBirth(ay - age);
    const birthDay = last - Math.floor(rng() * (last - latestBirth(ay - age - 1)));

    const f = DEMO_RATES.femaleShare;
    const femaleP = age < 70 ? f.under70 : age < 80 ? f.under80 : age < 90 ? f.under90 : f.over90;
    const sex: 'M' | 'F' = rng() < femaleP ? 'F' : 'M';

    const { birthDate, sequence } = ids.take(birthDay, sex);
    const idNumber = makeResidentId(county, birthDate, sequence, sex);
    const name = pickName(rng, sex, +birthDate.slice(0, 4));

    let x = rng() * villageTotal;
    let village = villages[villages.length - 1]!;
    for (const v of villages) {
      x -= v.weight;
      if (x < 0) {
        village = v;
        break;
      }
    }
    const phone = '100' + String(Math.floor(rng() * 1e8)).padStart(8, '0');
    const hukouLocal = rng() < DEMO_RATES.hukouLocal;
    const hardship = pick(rng, hardshipTable);
    const specialFamily = rng() < DEMO_RATES.specialFamily;

    const living: LivingTag[] = [];
    const u = rng();
    const solitary = rng() < DEMO_RATES.living.solitaryAmongAlone;
    const leftBehind = rng() < DEMO_RATES.leftBehindRural;
    if (hardship !== 'tekun_concentrated') {
      if (u < DEMO_RATES.living.alone) living.push('alone', ...(solitary ? ['solitary' as const] : []));
      else if (u < DEMO_RATES.living.alone + DEMO_RATES.living.emptyNest) living.push('empty_nest');
      if (village.rural && leftBehind) living.push('left_behind');
    }

    const pensionTable = village.urban ? DEMO_RATES.pension.urban : village.rural ? DEMO_RATES.pension.rural : DEMO_RATES.pension.townSeat;
    const pensionType = pick<PensionType>(rng, pensionTable);

    let lastCheckup: CivilDate | null = null;
    const chronicDiseases: string[] = [];
    if (rng() < DEMO_RATES.checkup) {
      lastCheckup = fromDayNumber(asOfDay - Math.floor(rng() * 365));
      if (rng() < DEMO_RATES.chronicAmongCheckup) {
        const count = 1 + Math.floor(rng() * 3);
        for (let i = 0; i < count * 3 && chronicDiseases.length < count; i++) {
          const d = pick(rng, CHRONIC_SHARES);
          if (!chronicDiseases.includes(d)) chronicDiseases.push(d);
        }
      }
    }

    const old = age >= 80;
    const ltcGrade = rng() < (old ? DEMO_RATES.ltc.over80 : DEMO_RATES.ltc.under80) ? pick<LtcGrade>(rng, DEMO_RATES.ltcGrades) : null;
    const disabled = rng() < (old ? DEMO_RATES.disability.over80 : DEMO_RATES.disability.under80);
    const disabilityGrade = disabled ? (Number(pick(rng, DEMO_RATES.disabilityGrades)) as 1 | 2 | 3 | 4) : null;
    const disabilityKind = disabled ? pick<DisabilityKind>(rng, DEMO_RATES.disabilityKinds) : null;
    const veteranCategory = rng() < DEMO_RATES.veteran[sex] ? (sex === 'M' ? pick(rng, VETERAN_M) : pick(rng, VETERAN_F)) : null;
    const specialContribution = rng() < DEMO_RATES.specialContribution;
    const medicalInsured = laterRng() < DEMO_RATES.medicalInsured;
    const vagrant = laterRng() < DEMO_RATES.vagrant;

    yield {
      idNumber,
      name,
      sex,
      birthDate,
      regionCode: village.code,
      phone,
      hukouLocal,
      hardship,
      specialFamily,
      living,
      pensionType,
      lastCheckup,
      chronicDiseases,
      ltcGrade,
      disabilityGrade,
      disabilityKind,
      veteranCategory,
      specialContribution,
      medicalInsured,
      vagrant,
    };
  }
}
