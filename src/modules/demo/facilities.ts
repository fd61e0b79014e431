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

async function addMember(ctx: AppContext, scope: Scope, facilityId: number, rnd: () => number, role: StaffBody['role'], part: boolean, k: number) {
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
    startedOn: `20${18 + (k % 7)}-0${1 + (k % 9)}-01`,
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
  for (let k = 0; k < required - have; k++) await addMember(ctx, scope, f.id, rnd, 'caregiver', false, k);
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
    if (p.beds) {
      const add = async (type: 'nursing' | 'dementia' | 'ordinary', count: number, prefix: string) => {
        if (count > 0) await addBeds(ctx, scope, f.id, { type, count, prefix });
      };
      await add('nursing', p.beds.nursing, 'A');
      await add('dementia', p.beds.dementia, 'B');
      await add('ordinary', p.beds.ordinary, 'C');
    }
    if (p.staff) {
      const member = (role: StaffBody['role'], part: boolean, k: number) => addMember(ctx, scope, f.id, rnd, role, part, k);
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
