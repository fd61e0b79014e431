import type { AppContext } from '../../platform/context.js';
import type { Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { addBeds } from '../facilities/beds.js';
import { facilityChecks } from '../facilities/checks.js';
import { admitResident, freeBeds, listFacilities } from '../facilities/directory.js';
import type { FacilityBody, StaffBody } from '../facilities/facilities.schema.js';
import { createFacility } from '../facilities/facilities.service.js';
import { addStaff } from '../facilities/staff.js';
import { populationBatch } from '../register/people.js';
import { accountByUsername } from '../users/accounts.js';
import { updateUser } from '../users/users.service.js';
import { mulberry32 } from './generator.js';

/**
 * The demo county's facilities (issue 19, R8): a public institution (公办, a 特困供养机构 —
 * institution1 staffs it), a 公建民营 敬老院, two private institutions (one 一级 doing government work:
 * it fails the grade check, and its nursing beds fall short), a regional centre, day-care centres,
 * community stations and canteens; beds by type, a roster, and residents from the register
 * (特困 and the assessed severely disabled first), admitted through admitResident so their
 * home-based items are paused. Locations are synthetic points around the demo county's centre.
 */

const CENTRE = { lat: 30.87, lng: 120.42 };

interface Plan {
  body: Omit<FacilityBody, 'regionCode' | 'lat' | 'lng' | 'providerId' | 'active'>;
  town: number;
  beds?: { nursing: number; dementia: number; ordinary: number };
  /**
   * when its first beds were put in (facilities keep no opening date: their beds' added_on is it);
   * `extended` nursing beds of the count came later, on that day (an extension since planFrom)
   */
  opened?: string;
  extended?: { on: string; nursing: number };
  /** caregivers full time, part time (0.5), nurses, social workers */
  staff?: { caregivers: number; partTime: number; nurses: number; social: number };
  residents?: number;
}

const PLANS: Plan[] = [
  {
    body: {
      name: '县社会福利中心',
      kind: 'institution',
      ownership: 'public',
      address: '{town}福寿路 8 号',
      grade: '3',
      governmentWork: true,
      hardshipHome: true,
    },
    town: 0,
    beds: { nursing: 56, dementia: 12, ordinary: 20 },
    opened: '2012-09-01',
    extended: { on: '2022-06-15', nursing: 12 },
    // its caregivers are added by seedDemoRosterAtRatio once every resident is in (the admission
    // demo fills its beds): exactly as many as the staffing check requires, so one 离职 fails it
    staff: { caregivers: 0, partTime: 0, nurses: 3, social: 1 },
    residents: 30,
  },
  {
    body: {
      name: '{town}敬老院',
      kind: 'institution',
      ownership: 'public_private',
      address: '{town}敬老路 3 号',
      grade: '2',
      governmentWork: true,
      hardshipHome: true,
    },
    town: 1,
    beds: { nursing: 30, dementia: 0, ordinary: 10 },
    opened: '2015-03-01',
    extended: { on: '2021-10-08', nursing: 6 },
    staff: { caregivers: 5, partTime: 0, nurses: 1, social: 0 },
    residents: 14,
  },
  {
    body: {
      name: '颐康养老院',
      kind: 'institution',
      ownership: 'private',
      address: '{town}康宁街 21 号',
      grade: '1',
      governmentWork: true,
      hardshipHome: false,
    },
    town: 0,
    beds: { nursing: 30, dementia: 0, ordinary: 20 },
    opened: '2018-05-01',
    staff: { caregivers: 4, partTime: 1, nurses: 1, social: 0 },
    residents: 8,
  },
  {
    body: {
      name: '康乐护理院',
      kind: 'institution',
      ownership: 'private',
      address: '{town}南湖路 66 号',
      grade: '3',
      governmentWork: false,
      hardshipHome: false,
    },
    town: 2,
    beds: { nursing: 27, dementia: 6, ordinary: 3 },
    opened: '2021-04-18',
    staff: { caregivers: 6, partTime: 0, nurses: 2, social: 1 },
    residents: 6,
  },
  {
    body: {
      name: '{town}区域性养老服务中心',
      kind: 'regional_centre',
      ownership: 'public_private',
      address: '{town}中心路 1 号',
      grade: '3A',
      governmentWork: true,
      hardshipHome: false,
    },
    town: 1,
    beds: { nursing: 8, dementia: 0, ordinary: 4 },
    opened: '2023-07-01',
    staff: { caregivers: 3, partTime: 1, nurses: 0, social: 1 },
  },
  {
    body: {
      name: '{town}日间照料中心',
      kind: 'day_care',
      ownership: 'public',
      address: '{town}和平路 15 号',
      grade: '2A',
      governmentWork: true,
      hardshipHome: false,
    },
    town: 0,
  },
  {
    body: {
      name: '{town}日间照料中心',
      kind: 'day_care',
      ownership: 'public_private',
      address: '{town}文化路 2 号',
      grade: 'basic',
      governmentWork: true,
      hardshipHome: false,
    },
    town: 2,
  },
  {
    body: {
      name: '{village}居家养老服务站',
      kind: 'community_station',
      ownership: 'public',
      address: '{village}村委会旁',
      grade: '1A',
      governmentWork: false,
      hardshipHome: false,
    },
    town: 0,
  },
  {
    body: {
      name: '{village}居家养老服务站',
      kind: 'community_station',
      ownership: 'public',
      address: '{village}服务中心一楼',
      grade: 'basic',
      governmentWork: false,
      hardshipHome: false,
    },
    town: 1,
  },
  {
    body: {
      name: '{village}社区居家养老服务站',
      kind: 'community_station',
      ownership: 'public',
      address: '{village}党群服务中心',
      grade: null,
      governmentWork: false,
      hardshipHome: false,
    },
    town: 2,
  },
  {
    body: {
      name: '{town}老年食堂',
      kind: 'canteen',
      ownership: 'public_private',
      address: '{town}和平路 17 号',
      grade: null,
      governmentWork: true,
      hardshipHome: false,
    },
    town: 0,
  },
  {
    body: {
      name: '{village}助餐点',
      kind: 'canteen',
      ownership: 'public',
      address: '{village}文化礼堂',
      grade: null,
      governmentWork: true,
      hardshipHome: false,
    },
    town: 1,
  },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '朱', '马', '胡', '郭'];
const GIVEN = ['秀英', '建华', '桂兰', '志强', '丽娟', '海燕', '国平', '玉梅', '春花', '卫东', '晓红', '金凤'];

/**
 * Residents for the institutions: 特困 (concentrated care) first, then the assessed severely and
 * fully disabled, the moderately, other 特困, then anyone; within each, the highest ids first — the
 * tests that seed the demo and then pause or inspect persons take theirs from the lowest ids, whose
 * roll lines a residence would change.
 */
async function candidates(ctx: AppContext): Promise<number[]> {
  const rows = (await populationBatch(ctx.handle, ['id', 'hardship', 'capability_level', 'status'], 0, today(), 100_000)) as [
    number,
    string,
    string | null,
    string,
  ][];
  const active = rows.filter((r) => r[3] === 'active');
  const rank = (r: (typeof active)[number]) =>
    r[1] === 'tekun_concentrated' ? 0 : r[2] === 'complete' || r[2] === 'severe' ? 1 : r[2] === 'moderate' ? 2 : r[1].startsWith('tekun') ? 3 : 4;
  return active.sort((a, b) => rank(a) - rank(b) || b[0] - a[0]).map((r) => r[0]);
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A bed date no later than 1100 days before today: the demos admit their residents at most 30
 * months (facilities) or 1000 days (admission) ago, so no bed is added after a stay in it began,
 * whatever day the demo is seeded.
 */
function bedDate(on: string): string {
  const latest = isoDay(Date.parse(`${today()}T00:00:00Z`) - 1100 * DAY);
  return on < latest ? on : latest;
}

/** The day a facility without beds opened: spread over 2012–2024 by its place in the plan. */
const openedOf = (p: Plan, i: number) => p.opened ?? `${2012 + ((i * 5) % 13)}-0${1 + (i % 9)}-01`;

/**
 * A staff member's first day: the k-th of a role spread between the facility's opening and two
 * months ago (the manager, k 0, from the opening), on the first of a month.
 */
function startedOn(opened: string, role: StaffBody['role'], k: number): string {
  const from = Date.parse(`${opened}T00:00:00Z`);
  const to = Date.parse(`${today()}T00:00:00Z`) - 60 * DAY;
  if (to <= from) return opened;
  const shift = { manager: 0, caregiver: 0.37, nurse: 0.61, social_worker: 0.83 }[role as string] ?? 0.5;
  const frac = role === 'manager' ? 0 : (k * 0.29 + shift) % 1;
  const d = isoDay(from + Math.floor(frac * (to - from)));
  const first = `${d.slice(0, 8)}01`;
  return first < opened ? opened : first;
}

async function addMember(
  ctx: AppContext,
  scope: Scope,
  facilityId: number,
  rnd: () => number,
  role: StaffBody['role'],
  part: boolean,
  k: number,
  opened: string,
) {
  const name = `${SURNAMES[Math.floor(rnd() * SURNAMES.length)]}${GIVEN[Math.floor(rnd() * GIVEN.length)]}`;
  const certificates =
    role === 'caregiver'
      ? [{ kind: '养老护理员', level: ['五级', '四级', '三级'][k % 3]!, expiresOn: k % 5 === 4 ? '2025-06-30' : '2029-12-31' }]
      : role === 'social_worker'
        ? [{ kind: '社会工作者职业资格证书', level: '初级', expiresOn: null }]
        : role === 'nurse'
          ? [{ kind: '护士执业证书', level: null, expiresOn: '2030-03-31' }]
          : [];
  await addStaff(ctx, scope, facilityId, {
    name,
    role,
    employment: part ? 'part_time' : 'full_time',
    fte: part ? 0.5 : 1,
    certificates,
    startedOn: startedOn(opened, role, k),
    endedOn: null,
  });
}

/**
 * The public institution's caregivers, exactly at the staffing ratio for the residents it has once
 * every demo has admitted theirs (required n, n full-time caregivers): one 离职 turns 护理人员配比
 * to 不达标, as the README says. Runs after the admission demo.
 */
export async function seedDemoRosterAtRatio(ctx: AppContext, scope: Scope, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const rnd = mulberry32(seed * 23 + 5);
  const f = (await listFacilities(ctx.db, { kinds: ['institution'], activeOnly: true })).find((x) => x.name === PLANS[0]!.body.name);
  if (!f) return;
  const staffing = (await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'staffing');
  const required = Number(staffing?.values.required ?? 0);
  const have = Number(staffing?.values.caregiversFte ?? 0);
  const opened = bedDate(openedOf(PLANS[0]!, 0));
  for (let k = 0; k < required - have; k++) await addMember(ctx, scope, f.id, rnd, 'caregiver', false, k, opened);
  log(`  facilities: ${f.name} has ${required} caregivers, exactly the ${required} its residents require`);
}

export async function seedDemoFacilities(ctx: AppContext, scope: Scope, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const rnd = mulberry32(seed * 19 + 7);
  const towns = ctx.regions
    .all()
    .filter((r) => r.level === 'town' && r.code.startsWith(scope.regionPrefix))
    .sort((a, b) => a.code.localeCompare(b.code));
  if (!towns.length) return;
  const people = await candidates(ctx);
  let next = 0;
  const since = (monthsAgo: number) => {
    const d = new Date(`${today()}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - monthsAgo, 1 + Math.floor(rnd() * 27));
    return d.toISOString().slice(0, 10);
  };
  let firstId: number | null = null;
  let admitted = 0;
  for (const [i, p] of PLANS.entries()) {
    const town = towns[p.town % towns.length]!;
    const villages = ctx.regions.all().filter((r) => r.parent_code === town.code);
    const region =
      p.body.kind === 'community_station' || p.body.kind === 'canteen' ? (villages[i % Math.max(1, villages.length)]?.code ?? town.code) : town.code;
    const place = ctx.regions.get(region)!;
    const fill = (x: string) => x.replaceAll('{town}', town.name).replaceAll('{village}', place.name);
    const f = await createFacility(ctx, scope, {
      ...p.body,
      name: fill(p.body.name),
      address: fill(p.body.address),
      regionCode: region,
      lat: Math.round((CENTRE.lat + (p.town - 1) * 0.06 + (rnd() - 0.5) * 0.04) * 1e5) / 1e5,
      lng: Math.round((CENTRE.lng + (p.town - 1) * 0.08 + (rnd() - 0.5) * 0.05) * 1e5) / 1e5,
      providerId: null,
      active: true,
    });
    firstId ??= f.id;
    const opened = bedDate(openedOf(p, i));
    if (p.beds) {
      const add = async (type: 'nursing' | 'dementia' | 'ordinary', count: number, prefix: string, on: string) => {
        if (count > 0) await addBeds(ctx, scope, f.id, { type, count, prefix }, on);
      };
      const later = p.extended?.nursing ?? 0;
      await add('nursing', p.beds.nursing - later, 'A', opened);
      if (p.extended) await add('nursing', later, 'A', bedDate(p.extended.on));
      await add('dementia', p.beds.dementia, 'B', opened);
      await add('ordinary', p.beds.ordinary, 'C', opened);
    }
    if (p.staff) {
      const member = (role: StaffBody['role'], part: boolean, k: number) => addMember(ctx, scope, f.id, rnd, role, part, k, opened);
      for (let k = 0; k < p.staff.caregivers; k++) await member('caregiver', false, k);
      for (let k = 0; k < p.staff.partTime; k++) await member('caregiver', true, k);
      for (let k = 0; k < p.staff.nurses; k++) await member('nurse', false, k);
      for (let k = 0; k < p.staff.social; k++) await member('social_worker', false, k);
      await member('manager', false, 0);
    }
    if (p.residents) {
      const beds = await freeBeds(ctx.db, f.id);
      for (let k = 0; k < p.residents && k < beds.length && next < people.length; k++) {
        const personId = people[next++]!;
        await ctx.db
          .transaction()
          .execute((trx) =>
            admitResident(trx, scope, { facilityId: f.id, personId, bedId: beds[k]!.bedId, on: since(1 + Math.floor(rnd() * 30)), source: 'direct' }),
          );
        admitted++;
      }
    }
  }
  // institution1 staffs the public institution
  const staff = await accountByUsername(ctx.db, 'institution1');
  if (staff && firstId !== null) await updateUser(ctx, scope, staff.id, { organisationId: firstId });
  log(`  facilities: ${PLANS.length} facilities, ${admitted} residents admitted (home-based items paused)`);
}
