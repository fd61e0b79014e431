import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { AggregateSource, Cell, Member, Span, Text } from '../indicators/contract.js';
import { providerCaregivers } from '../services/indicator-aggregates.js';
import { gradeText } from './facilities.service.js';
import { standardsOf } from './facilities.settings.js';
import type { FacilityRow } from './facilities.tables.js';
import { workingOn } from './staff.js';

/**
 * The facilities' aggregate sources for the indicators (issue 20, R11; seed 001's table rows 3, 6,
 * 8–13, 15–17), over this module's own tables and with its own definitions, so an indicator says
 * what the facility pages say (checks.ts, directory.ts, staff.ts). Each reading is written beside
 * its source. Common to all:
 * - a facility is IN SERVICE when it is active: facilities keep no opening or closing dates, so
 *   `active` is today's state for every month (its beds' dates are what dates a past month; the
 *   record's created_at is when it was typed in, not when it opened, so it is not used);
 * - a bed is IN SERVICE at asOf when added on or before it and not retired on or before it (a bed
 *   retired on a day is out that day, as bedForStay refuses it); "new since planFrom" is a bed in
 *   service at asOf added in [planFrom, asOf] — one added and retired since does not count;
 * - NURSING-TYPE (护理型) beds are 'nursing' beds, and 'dementia' beds too while the standards'
 *   dementiaCountsAsNursing says so (default yes), as the nursing-share check counts them;
 * - RURAL means a town of kind 'town' (镇/乡), URBAN a 'street' (街道);
 * - cells sit at the facility's region_code; members are facilities, providers or regions with
 *   their own figures, never a person (staff are listed by their facility, not by name).
 */

interface Beds {
  ordinary: number;
  nursing: number;
  dementia: number;
  /** of each, added in [planFrom, asOf] */
  newOrdinary: number;
  newNursing: number;
  newDementia: number;
}
const NO_BEDS: Beds = { ordinary: 0, nursing: 0, dementia: 0, newOrdinary: 0, newNursing: 0, newDementia: 0 };

interface Loaded {
  facilities: FacilityRow[];
  beds: Map<number, Beds>;
  /** whether dementia beds count as nursing-type where a facility is (its county's standards) */
  dementiaCountsAsNursing: (regionCode: string) => boolean;
}

const inPrefixes = (code: string, prefixes: readonly string[]) => prefixes.some((p) => code.startsWith(p));

/**
 * Within one transaction (a refresh computes a month's twelve facility sources in one), what a
 * source reads is read once and shared: the facilities' tables do not change under a refresh, and
 * a transaction sees one state of them. Outside a transaction every call reads afresh.
 */
const shared = new WeakMap<object, Map<string, Promise<unknown>>>();
function once<T>(db: Executor, key: string, read: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return read();
  let held = shared.get(db);
  if (!held) shared.set(db, (held = new Map()));
  let p = held.get(key) as Promise<T> | undefined;
  if (!p) held.set(key, (p = read()));
  return p;
}

/** The facilities in service and their beds in service at asOf by type (two queries, once a transaction). */
function load(ctx: AppContext, db: Executor, span: Span): Promise<Loaded> {
  return once(db, `load|${span.asOf}|${span.planFrom}`, () => readLoaded(ctx, db, span));
}

async function readLoaded(ctx: AppContext, db: Executor, span: Span): Promise<Loaded> {
  const facilities = await db.selectFrom('facilities').selectAll().where('active', '=', 1).orderBy('id').execute();
  const rows = await db
    .selectFrom('facility_beds')
    .select([
      'facility_id',
      'type',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(case when added_on >= ${span.planFrom} then 1 else 0 end)`.as('fresh'),
    ])
    .where('added_on', '<=', span.asOf)
    .where((eb) => eb.or([eb('retired_on', 'is', null), eb('retired_on', '>', span.asOf)]))
    .groupBy(['facility_id', 'type'])
    .execute();
  const beds = new Map<number, Beds>();
  for (const r of rows) {
    const b = beds.get(r.facility_id) ?? { ...NO_BEDS };
    const n = Number(r.n);
    const fresh = Number(r.fresh);
    if (r.type === 'nursing') [b.nursing, b.newNursing] = [n, fresh];
    else if (r.type === 'dementia') [b.dementia, b.newDementia] = [n, fresh];
    else [b.ordinary, b.newOrdinary] = [b.ordinary + n, b.newOrdinary + fresh];
    beds.set(r.facility_id, b);
  }
  const counts = new Map<string, boolean>();
  const dementiaCountsAsNursing = (regionCode: string) => {
    let c = counts.get(regionCode);
    if (c === undefined) {
      c = standardsOf(ctx, regionCode).dementiaCountsAsNursing;
      counts.set(regionCode, c);
    }
    return c;
  };
  return { facilities, beds, dementiaCountsAsNursing };
}

const bedsOf = (l: Loaded, id: number) => l.beds.get(id) ?? NO_BEDS;
const totalOf = (b: Beds) => b.ordinary + b.nursing + b.dementia;
const nursingOf = (l: Loaded, f: FacilityRow, b: Beds) => b.nursing + (l.dementiaCountsAsNursing(f.region_code) ? b.dementia : 0);
const newNursingOf = (l: Loaded, f: FacilityRow, b: Beds) => b.newNursing + (l.dementiaCountsAsNursing(f.region_code) ? b.newDementia : 0);
const townKind = (ctx: AppContext, code: string) => ctx.regions.town(code)?.kind ?? null;

const facilityMember = (f: FacilityRow, detail: Text, inNumerator: boolean): Member => ({
  kind: 'facility',
  id: f.id,
  name: f.name,
  region: f.region_code,
  detail,
  inNumerator,
});

/**
 * A source over facilities: which facilities it reads, and each one's numerator and denominator
 * with the words that say them. Cells are the sums per facility region.
 */
function overFacilities(def: {
  key: string;
  label: Text;
  pick: (f: FacilityRow, l: Loaded, ctx: AppContext) => boolean;
  figures: (f: FacilityRow, l: Loaded, span: Span) => { num: number; den: number; detail: Text };
  /** list every facility picked, also those adding nothing to the figure (a count source's near misses) */
  listAll?: boolean;
}): AggregateSource {
  return {
    key: def.key,
    label: def.label,
    async cells(ctx, db, span) {
      const l = await load(ctx, db, span);
      const cells = new Map<string, Cell>();
      for (const f of l.facilities) {
        if (!def.pick(f, l, ctx)) continue;
        const { num, den } = def.figures(f, l, span);
        if (num === 0 && den === 0) continue;
        const c = cells.get(f.region_code) ?? { region: f.region_code, num: 0, den: 0 };
        c.num += num;
        c.den += den;
        cells.set(f.region_code, c);
      }
      return [...cells.values()];
    },
    async members(ctx, db, span, prefixes) {
      const l = await load(ctx, db, span);
      const items: Member[] = [];
      for (const f of l.facilities) {
        if (!inPrefixes(f.region_code, prefixes) || !def.pick(f, l, ctx)) continue;
        const { num, den, detail } = def.figures(f, l, span);
        if (num === 0 && den === 0 && !def.listAll) continue;
        items.push(facilityMember(f, detail, num > 0));
      }
      return items;
    },
  };
}

const institution = (f: FacilityRow) => f.kind === 'institution';

function shareFigures(f: FacilityRow, l: Loaded) {
  const b = bedsOf(l, f.id);
  const total = totalOf(b);
  const nursing = nursingOf(l, f, b);
  return { num: nursing, den: total, detail: { zh: `护理型床位 ${nursing} / ${total} 张`, en: `${nursing} of ${total} beds nursing-type` } };
}

/**
 * 001 row 6 (000 §5, 004 §8): nursing-type beds ÷ all beds in service, in institutions (养老机构,
 * kind 'institution') in service at asOf — the nursing-share check summed over the institutions.
 */
const nursingBedShare = overFacilities({
  key: 'facilities.nursingBedShare',
  label: { zh: '护理型床位占养老机构床位比例', en: 'Nursing-type share of institution beds' },
  pick: institution,
  figures: (f, l) => shareFigures(f, l),
});

/**
 * 001 row 11: the same share in the 农村特困人员供养服务机构 — institutions marked as hardship homes
 * (特困供养机构/敬老院, the facilities' own flag, whoever runs them) in a rural town (kind 'town').
 */
const ruralNursingShare = overFacilities({
  key: 'facilities.ruralNursingShare',
  label: { zh: '农村特困人员供养服务机构护理型床位占比', en: 'Nursing-type share of beds in rural homes for the destitute' },
  pick: (f, _l, ctx) => institution(f) && f.hardship_home === 1 && townKind(ctx, f.region_code) === 'town',
  figures: (f, l) => shareFigures(f, l),
});

/**
 * 001 row 8 (004 §15 等级评定覆盖率 ≥ 80 %): institutions in service holding a grade 一级…五级 ÷
 * institutions in service. The grade is the facility's current one (no history is kept).
 */
const ratedInstitutions = overFacilities({
  key: 'facilities.ratedInstitutions',
  label: { zh: '等级养老机构占比', en: 'Graded institutions' },
  pick: institution,
  figures: (f) => {
    const rated = f.grade !== null && /^[1-5]$/.test(f.grade);
    return {
      num: rated ? 1 : 0,
      den: 1,
      detail: rated ? { zh: `已评定${gradeText(f.grade)!.zh}`, en: `Rated ${gradeText(f.grade)!.en}` } : { zh: '尚未评定等级', en: 'Not rated' },
    };
  },
});

/**
 * 001 row 9 (新建或改建认知症照护床位数): dementia-care beds in service at asOf added since planFrom
 * (a conversion is recorded as an ordinary bed retired and a dementia bed added), in any facility.
 */
const dementiaBeds = overFacilities({
  key: 'facilities.dementiaBeds',
  label: { zh: '新建或改建认知症照护床位数（张）', en: 'Dementia-care beds built or converted (beds)' },
  pick: () => true,
  figures: (f, l, span) => {
    const n = bedsOf(l, f.id).newDementia;
    return { num: n, den: 0, detail: { zh: `${span.planFrom} 以来新增认知症照护床位 ${n} 张`, en: `${n} dementia-care beds added since ${span.planFrom}` } };
  },
});

/** 001 row 10 (新增养老护理床位, 预期性; the seed prints no unit: read as beds): nursing-type beds in service at asOf added since planFrom. */
const newNursingBeds = overFacilities({
  key: 'facilities.newNursingBeds',
  label: { zh: '新增养老护理床位（张）', en: 'Nursing beds added (beds)' },
  pick: () => true,
  figures: (f, l, span) => {
    const n = newNursingOf(l, f, bedsOf(l, f.id));
    return { num: n, den: 0, detail: { zh: `${span.planFrom} 以来新增护理型床位 ${n} 张`, en: `${n} nursing-type beds added since ${span.planFrom}` } };
  },
});

/** 001 row 12: regional centres (区域性养老服务中心) in service in rural towns (kind 'town'). */
const ruralCentres = overFacilities({
  key: 'facilities.ruralCentres',
  label: { zh: '农村区域性养老服务中心建成数（家）', en: 'Rural regional care centres (centres)' },
  pick: (f, _l, ctx) => f.kind === 'regional_centre' && townKind(ctx, f.region_code) === 'town',
  figures: () => ({ num: 1, den: 0, detail: { zh: '区域性养老服务中心，运营中', en: 'Regional centre in service' } }),
});

/**
 * 001 row 13 (具备失能(失智)特困人员集中供养服务功能的机构): hardship homes (特困供养机构, the
 * facilities' flag) in service with at least one nursing-type bed in service — the FUNCTION is the
 * nursing beds, whether or not a disabled 特困 person lives there this month. Hardship homes
 * without one are listed as not counted.
 */
const tekunCareInstitutions = overFacilities({
  key: 'facilities.tekunCareInstitutions',
  label: { zh: '具备失能特困人员集中供养功能的机构（家）', en: 'Homes for the destitute able to care for the disabled (homes)' },
  pick: (f) => institution(f) && f.hardship_home === 1,
  listAll: true,
  figures: (f, l) => {
    const n = nursingOf(l, f, bedsOf(l, f.id));
    return {
      num: n > 0 ? 1 : 0,
      den: 0,
      detail: n > 0 ? { zh: `护理型床位 ${n} 张`, en: `${n} nursing-type beds` } : { zh: '无护理型床位', en: 'No nursing-type beds' },
    };
  },
});

/**
 * 001 row 3 (城市街道综合性养老服务中心建成率): streets (town-level regions of kind 'street') with a
 * regional centre (区域性养老服务中心, the kind that is a street's comprehensive centre) in service
 * anywhere in the street ÷ streets. Cells at the street's code.
 */
const streetCentres: AggregateSource = {
  key: 'facilities.streetCentres',
  label: { zh: '城市街道综合性养老服务中心建成率', en: 'Streets with a comprehensive care centre' },
  async cells(ctx, db, span) {
    const centres = await streetCentreNames(ctx, db, span);
    return streets(ctx).map((s) => ({ region: s.code, num: centres.get(s.code)?.length ? 1 : 0, den: 1 }));
  },
  async members(ctx, db, span, prefixes) {
    const centres = await streetCentreNames(ctx, db, span);
    return streets(ctx)
      .filter((s) => inPrefixes(s.code, prefixes))
      .map((s): Member => {
        const names = centres.get(s.code) ?? [];
        return {
          kind: 'region',
          id: s.code,
          name: s.name,
          region: s.code,
          detail: names.length
            ? { zh: `综合性养老服务中心：${names.join('、')}`, en: `Centre: ${names.join(', ')}` }
            : { zh: '尚无综合性养老服务中心', en: 'No centre yet' },
          inNumerator: names.length > 0,
        };
      });
  },
};

/** The streets of the platform (every county's: the indicators are computed for all and read per region). */
function streets(ctx: AppContext) {
  const top = ctx.regions.top();
  return ctx.regions.all().filter((r) => r.level === 'town' && r.kind === 'street' && r.code.startsWith(top?.prefix ?? ''));
}

/** The regional centres in service in each street, by the street's code. */
async function streetCentreNames(ctx: AppContext, db: Executor, span: Span): Promise<Map<string, string[]>> {
  const l = await load(ctx, db, span);
  const out = new Map<string, string[]>();
  for (const f of l.facilities) {
    if (f.kind !== 'regional_centre') continue;
    const town = ctx.regions.town(f.region_code);
    if (town?.kind === 'street') out.set(town.code, [...(out.get(town.code) ?? []), f.name]);
  }
  return out;
}

/* ---- staff ---- */

interface StaffRow {
  facility_id: number;
  role: string;
  fte_pct: number;
  certificates: string;
  started_on: string;
  ended_on: string | null;
}

/**
 * A caregiver's skills certificate on the roster: a certificate whose kind names 养老护理员 (the
 * roster's certificates are free text: '养老护理员', '养老护理员职业技能等级证书', '护理员证').
 */
const CAREGIVER_CERTIFICATE = /护理员/;
function caregiverCertificates(s: StaffRow): { expiresOn: string | null }[] {
  try {
    const v = JSON.parse(s.certificates) as { kind?: unknown; expiresOn?: unknown }[];
    return Array.isArray(v)
      ? v
          .filter((c) => typeof c?.kind === 'string' && CAREGIVER_CERTIFICATE.test(c.kind))
          .map((c) => ({ expiresOn: typeof c.expiresOn === 'string' ? c.expiresOn : null }))
      : [];
  } catch {
    return [];
  }
}

function staffOf(db: Executor): Promise<StaffRow[]> {
  return once(db, 'staff', () => readStaff(db));
}
async function readStaff(db: Executor): Promise<StaffRow[]> {
  return db.selectFrom('facility_staff').select(['facility_id', 'role', 'fte_pct', 'certificates', 'started_on', 'ended_on']).execute();
}

const startedSince = (s: StaffRow, span: Span) => s.started_on >= span.planFrom && s.started_on <= span.asOf;

/** Per-organisation counts of facility rosters and providers' caregivers, as cells and members. */
function overOrganisations(def: {
  key: string;
  label: Text;
  /** a roster member's count (0 or 1) */
  staff: (s: StaffRow, span: Span) => number;
  provider: (p: Awaited<ReturnType<typeof providerCaregivers>>[number]) => number;
  words: (n: number, span: Span) => Text;
}): AggregateSource {
  async function counts(ctx: AppContext, db: Executor, span: Span) {
    const l = await load(ctx, db, span);
    const staff = await staffOf(db);
    const perFacility = new Map<number, number>();
    for (const s of staff) perFacility.set(s.facility_id, (perFacility.get(s.facility_id) ?? 0) + def.staff(s, span));
    const out: { member: Omit<Member, 'detail' | 'inNumerator'>; n: number }[] = [];
    for (const f of l.facilities) {
      const n = perFacility.get(f.id) ?? 0;
      if (n > 0) out.push({ member: { kind: 'facility', id: f.id, name: f.name, region: f.region_code }, n });
    }
    for (const p of await once(db, `providers|${span.asOf}|${span.planFrom}`, () => providerCaregivers(ctx, db, span))) {
      const n = def.provider(p);
      if (n > 0) out.push({ member: { kind: 'provider', id: p.providerId, name: p.name, region: p.regionCode }, n });
    }
    return out;
  }
  return {
    key: def.key,
    label: def.label,
    async cells(ctx, db, span) {
      const cells = new Map<string, Cell>();
      for (const { member, n } of await counts(ctx, db, span)) {
        const c = cells.get(member.region) ?? { region: member.region, num: 0, den: 0 };
        c.num += n;
        cells.set(member.region, c);
      }
      return [...cells.values()];
    },
    async members(ctx, db, span, prefixes) {
      return (await counts(ctx, db, span))
        .filter(({ member }) => inPrefixes(member.region, prefixes))
        .map(({ member, n }) => ({ ...member, detail: def.words(n, span), inNumerator: true }));
    },
  };
}

/**
 * 001 row 15 (新增通过职业技能等级认定的养老护理员数, 人): caregivers newly certified since planFrom —
 * a providers' caregiver whose FIRST 'caregiver' certificate was issued in [planFrom, asOf]; and,
 * since the facilities' roster records certificates without an issue date, a facility caregiver
 * (role 'caregiver') who joined the roster in [planFrom, asOf] holding a 养老护理员 certificate.
 */
const newCertifiedCaregivers = overOrganisations({
  key: 'facilities.newCertifiedCaregivers',
  label: { zh: '新增通过职业技能等级认定的养老护理员数（人）', en: 'Newly certified caregivers (persons)' },
  staff: (s, span) => (s.role === 'caregiver' && startedSince(s, span) && caregiverCertificates(s).length > 0 ? 1 : 0),
  provider: (p) => p.newlyCertified,
  words: (n, span) => ({ zh: `${span.planFrom} 以来新增持证养老护理员 ${n} 人`, en: `${n} caregivers certified since ${span.planFrom}` }),
});

/**
 * The numerator of certified caregivers per 10,000 elders (B divides by the register's population):
 * caregivers holding a valid skills certificate at asOf — providers' active caregivers with a
 * 'caregiver' certificate valid that day (providers.ts), and facility caregivers working that day
 * with a 养老护理员 certificate not expired before it. Lives here, not in services: facilities sits
 * to the right of services and may read it, not the other way round.
 */
const certifiedCaregivers = overOrganisations({
  key: 'facilities.certifiedCaregivers',
  label: { zh: '持证养老护理员（人）', en: 'Certified caregivers (persons)' },
  staff: (s, span) =>
    s.role === 'caregiver' && workingOn(s, span.asOf) && caregiverCertificates(s).some((c) => c.expiresOn === null || c.expiresOn >= span.asOf) ? 1 : 0,
  provider: (p) => p.certified,
  words: (n, span) => ({ zh: `${span.asOf} 持有效证书的养老护理员 ${n} 人`, en: `${n} caregivers certified on ${span.asOf}` }),
});

/**
 * 001 row 17 (养老服务领域吸纳新增就业人数): people who started work since planFrom — every role on a
 * facility roster with started_on in [planFrom, asOf], and providers' caregivers recorded in that
 * time (a caregiver has no start date of their own). Heads, not FTE.
 */
const newJobs = overOrganisations({
  key: 'facilities.newJobs',
  label: { zh: '养老服务领域吸纳新增就业人数（人）', en: 'New jobs in elder care (persons)' },
  staff: (s, span) => (startedSince(s, span) ? 1 : 0),
  provider: (p) => p.newlyRecorded,
  words: (n, span) => ({ zh: `${span.planFrom} 以来新增从业人员 ${n} 人`, en: `${n} people started since ${span.planFrom}` }),
});

/**
 * 001 row 16 (每百张养老机构床位配备社会工作者数量): social workers on institutions' rosters working
 * at asOf, by FTE (a half-time worker is 0.5, as the social-worker check counts them) ÷ beds in
 * service in institutions; the unit is per 100 beds. Citywide (the table's reading), not per
 * institution: the check on each institution's page is the per-institution rule.
 */
const socialWorkersPer100Beds: AggregateSource = {
  key: 'facilities.socialWorkersPer100Beds',
  label: { zh: '每百张养老机构床位配备社会工作者数量', en: 'Social workers per 100 institution beds' },
  async cells(ctx, db, span) {
    // summed in hundredths of an FTE, so 0.3 + 0.6 is 0.9 exactly
    const cells = new Map<string, { region: string; hundredths: number; den: number }>();
    for (const x of await socialWorkerFigures(ctx, db, span)) {
      const c = cells.get(x.f.region_code) ?? { region: x.f.region_code, hundredths: 0, den: 0 };
      c.hundredths += x.hundredths;
      c.den += x.beds;
      cells.set(x.f.region_code, c);
    }
    return [...cells.values()].map((c): Cell => ({ region: c.region, num: c.hundredths / 100, den: c.den }));
  },
  async members(ctx, db, span, prefixes) {
    return (await socialWorkerFigures(ctx, db, span))
      .filter((x) => inPrefixes(x.f.region_code, prefixes))
      .map((x) => facilityMember(x.f, { zh: `社会工作者 ${x.fte} 人 / 床位 ${x.beds} 张`, en: `${x.fte} social workers, ${x.beds} beds` }, x.fte > 0));
  },
};

async function socialWorkerFigures(ctx: AppContext, db: Executor, span: Span) {
  const l = await load(ctx, db, span);
  const hundredths = new Map<number, number>();
  for (const s of await staffOf(db))
    if (s.role === 'social_worker' && workingOn(s, span.asOf)) hundredths.set(s.facility_id, (hundredths.get(s.facility_id) ?? 0) + s.fte_pct);
  return l.facilities
    .filter(institution)
    .map((f) => ({ f, hundredths: hundredths.get(f.id) ?? 0, fte: (hundredths.get(f.id) ?? 0) / 100, beds: totalOf(bedsOf(l, f.id)) }))
    .filter((x) => x.fte > 0 || x.beds > 0);
}

export const facilitiesAggregates: AggregateSource[] = [
  nursingBedShare,
  streetCentres,
  ratedInstitutions,
  dementiaBeds,
  newNursingBeds,
  ruralNursingShare,
  ruralCentres,
  tekunCareInstitutions,
  newCertifiedCaregivers,
  certifiedCaregivers,
  socialWorkersPer100Beds,
  newJobs,
];
