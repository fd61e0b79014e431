import { DEMO_COUNTY } from './regions.js';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { narrowScope, userScope, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { searchPersons } from '../register/register.repository.js';
import { openBed } from '../services/beds.js';
import { createClient } from '../services/clients.js';
import { entitledPersons } from '../services/entitled.js';
import { checkIn, checkOut } from '../services/evv.js';
import { ensureDefaultItems, listItems } from '../services/items.js';
import { createPoint, recordMeal } from '../services/meals.js';
import { assignOrder, placeOrder, rateOrder } from '../services/orders.js';
import { addCertificate, createCaregiver, createProvider } from '../services/providers.js';
import { serviceSettingsOf } from '../services/services.settings.js';
import { accountByUsername, activeUsersOfRole } from '../users/accounts.js';
import { updateUser } from '../users/users.service.js';
import { mulberry32, seedBits } from './generator.js';
import { demoAccounts } from './seed.js';

interface Place {
  lat: number;
  lng: number;
}
interface Carer {
  id: number;
  userId: number;
  username: string;
}

const DAY = 86_400_000;
const beijingAt = (on: string, minutes: number) => new Date(new Date(`${on}T00:00:00+08:00`).getTime() + minutes * 60_000);
const addDays = (on: string, n: number) => new Date(new Date(`${on}T00:00:00Z`).getTime() + n * DAY).toISOString().slice(0, 10);

/**
 * The demo county's home services, made through the functions the console calls, so that every
 * page has something on the first start:
 * - two home-service providers and a canteen; provider1 is the first provider's office, and
 *   caregiver1 and caregiver2 its caregivers with a phone login (caregiver2's certificate lapsed for a
 *   week last month and was renewed, so a few of last month's visits carry 证书过期);
 * - the first provider serves up to 60 entitled elders of the first two towns (homes placed around
 *   their village's centre inside the jurisdiction's bounds), the second up to 20 of a third town;
 * - last month: two or three visits each, checked in and out near the home and confirmed, with a
 *   check-in 2 km away, a visit far too short and two that overlap planted among them, so the
 *   exceptions queue and last month's settlement have work; this month: visits done on the days
 *   gone by and caregiver1's visits for today waiting on the phone;
 * - family care beds for a dozen of the first provider's elders; a canteen or delivery point in most
 *   communities of the first street, and a week of lunches.
 */
export async function seedDemoServices(ctx: AppContext, scope: Scope, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const t0 = Date.now();
  const rng = mulberry32(seedBits(seed) ^ 0x5e41ce);
  const j = ctx.regions.get(DEMO_COUNTY);
  if (!j) return;
  const admin = (await activeUsersOfRole(ctx.db, 'bureau_admin', ''))[0];
  if (!admin) return;
  await ensureDefaultItems(ctx, j.code, admin.id);
  const items = (await listItems(ctx, scope)).items.filter((i) => i.active && i.category !== 'meal' && i.category !== 'emergency');
  const towns = ctx.regions.all().filter((r) => r.level === 'town' && r.code.startsWith(j.prefix));
  const [town1, town2, town3] = towns;
  if (!town1 || !town2 || !town3) return;

  const a = await createProvider(ctx, scope, {
    name: '如意居家养老服务中心',
    kind: 'home_service',
    regionCode: j.code,
    contactName: '周红梅',
    contactPhone: '13900001001',
  });
  const b = await createProvider(ctx, scope, {
    name: `${town3.name}颐康护理站`,
    kind: 'home_service',
    regionCode: town3.code,
    contactName: '孙立新',
    contactPhone: '13900001002',
  });
  const canteen = await createProvider(ctx, scope, {
    name: `${town1.name}长者食堂`,
    kind: 'canteen',
    regionCode: town1.code,
    contactName: '钱玉芬',
    contactPhone: '13900001003',
  });

  // the provider's office and its caregivers' logins belong to the first provider
  const userOf = (username: string) => (demoAccounts().some((d) => d.username === username) ? accountByUsername(ctx.db, username) : Promise.resolve(null));
  for (const name of ['provider1', 'caregiver1', 'caregiver2']) {
    const u = await userOf(name);
    if (u) await updateUser(ctx, scope, u.id, { organisationId: a.id });
  }
  const on = today();
  const month = on.slice(0, 7);
  const lastMonth = addDays(`${month}-01`, -1).slice(0, 7);
  const lastStart = `${lastMonth}-01`;
  const carers: Carer[] = [];
  for (const [i, spec] of [
    { username: 'caregiver1', name: '王秀英', level: 4, phone: '13900002001' },
    { username: 'caregiver2', name: '李建国', level: 3, phone: '13900002002' },
  ].entries()) {
    const u = await userOf(spec.username);
    if (!u) continue;
    const cg = await createCaregiver(ctx, scope, { providerId: a.id, name: spec.name, phone: spec.phone, skillLevel: spec.level, username: spec.username });
    if (i === 0) {
      await addCertificate(ctx, scope, cg.id, { kind: 'caregiver', number: 'YLHL-2024-0101', issuedOn: addDays(on, -400), expiresOn: addDays(on, 700) });
    } else {
      // lapsed on the 20th of last month, renewed on the 27th
      await addCertificate(ctx, scope, cg.id, {
        kind: 'caregiver',
        number: 'YLHL-2021-0207',
        issuedOn: addDays(lastStart, -1100),
        expiresOn: `${lastMonth}-20`,
      });
      await addCertificate(ctx, scope, cg.id, { kind: 'caregiver', number: 'YLHL-2026-0311', issuedOn: `${lastMonth}-27`, expiresOn: addDays(on, 1000) });
    }
    await addCertificate(ctx, scope, cg.id, { kind: 'first_aid', number: `JJ-${2026}-${100 + i}`, issuedOn: addDays(on, -200), expiresOn: addDays(on, 500) });
    carers.push({ id: cg.id, userId: u.id, username: spec.username });
  }
  // caregivers without a phone login: the providers' other staff
  const other = await createCaregiver(ctx, scope, { providerId: b.id, name: '陈志强', phone: '13900002003', skillLevel: 2 });
  await addCertificate(ctx, scope, other.id, { kind: 'caregiver', number: 'YLHL-2025-0415', issuedOn: addDays(on, -300), expiresOn: addDays(on, 800) });

  // clients: entitled elders of the first two towns for the first provider, of the third for the second
  const centres = placeCentres(ctx, serviceSettingsOf(ctx, j.code).bounds);
  const entitled = await entitledPersons(ctx.db, month, j.prefix);
  const pick = (prefixes: string[], n: number) => entitled.filter((p) => prefixes.some((x) => p.regionCode.startsWith(x))).slice(0, n);
  const homes = new Map<number, Place>();
  const enrol = async (providerId: number, persons: { personId: number; regionCode: string }[]) => {
    const out: number[] = [];
    for (const p of persons) {
      const c = centres.get(p.regionCode) ?? centres.get(ctx.regions.town(p.regionCode)?.code ?? '') ?? centres.get(j.code)!;
      const home = { lat: round6(c.lat + (rng() - 0.5) * 0.01), lng: round6(c.lng + (rng() - 0.5) * 0.01) };
      try {
        await createClient(ctx, scope, { providerId, personId: p.personId, home, cardCode: String(100000 + Math.floor(rng() * 900000)) });
        homes.set(p.personId, home);
        out.push(p.personId);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
      }
    }
    return out;
  };
  const clientsA = await enrol(a.id, pick([town1.prefix, town2.prefix], 60));
  const clientsB = await enrol(b.id, pick([town3.prefix], 20));

  // last month: two or three visits each; this month: the days gone by, and caregiver1's today
  let orders = 0;
  const slots = new Map<string, number>();
  const visit = async (
    providerId: number,
    personId: number,
    day: string,
    carer: Carer | null,
    opts: { far?: boolean; short?: boolean; overlapWith?: number; open?: boolean } = {},
  ) => {
    const item = items[Math.floor(rng() * items.length)]!;
    const placed = await placeOrder(ctx, scope, {
      clientId: randomUUID(),
      providerId,
      personId,
      itemId: item.id,
      scheduledOn: day,
      selfPaidBeyond: true,
      note: '演示数据',
    });
    orders++;
    if (!carer) return placed.id;
    await assignOrder(ctx, scope, placed.id, { caregiverId: carer.id });
    if (opts.open) return placed.id;
    const key = `${carer.id}|${day}`;
    const startMin = opts.overlapWith ?? slots.get(key) ?? 8 * 60 + Math.floor(rng() * 60);
    const minutes = opts.short ? Math.max(5, Math.round(item.standardMinutes * 0.3)) : Math.round(item.standardMinutes * (0.85 + rng() * 0.3));
    slots.set(key, startMin + minutes + 25 + Math.floor(rng() * 30));
    const start = beijingAt(day, startMin);
    const end = new Date(start.getTime() + minutes * 60_000);
    if (end.getTime() > Date.now() - 60_000) return placed.id;
    const home = homes.get(personId)!;
    const near = () => ({ lat: home.lat + (rng() - 0.5) * 0.0006, lng: home.lng + (rng() - 0.5) * 0.0006, accuracy: 8 + Math.floor(rng() * 25) });
    const at = opts.far ? { lat: home.lat + 0.018, lng: home.lng, accuracy: 15 } : near();
    const cs = carerScope(ctx, carer, providerId);
    await checkIn(ctx, cs, placed.id, { clientId: randomUUID(), at: start.toISOString(), location: at });
    await checkOut(ctx, cs, placed.id, {
      clientId: randomUUID(),
      at: end.toISOString(),
      location: near(),
      itemsDone: [item.code],
      notes: null,
      confirmation: { kind: rng() < 0.8 ? 'person' : 'proxy', note: null },
    });
    if (rng() < 0.4) await rateOrder(ctx, scope, placed.id, { rating: rng() < 0.85 ? 5 : 4, by: rng() < 0.7 ? 'elder' : 'family' });
    return placed.id;
  };
  const daysOf = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
    return out;
  };
  const lastDays = daysOf(lastStart, addDays(`${month}-01`, -1));
  const thisDays = daysOf(`${month}-01`, addDays(on, -1));
  for (const [n, personId] of clientsA.entries()) {
    const carer = carers[n % carers.length] ?? null;
    const count = 2 + Math.floor(rng() * 2);
    for (let k = 0; k < count; k++) {
      const day = lastDays[Math.floor(rng() * lastDays.length)]!;
      await visit(a.id, personId, day, carer, { far: n === 3 && k === 0, short: n === 7 && k === 0 });
    }
    if (thisDays.length && rng() < 0.5) await visit(a.id, personId, thisDays[Math.floor(rng() * thisDays.length)]!, carer);
  }
  // two visits of caregiver1 on one day that overlap
  const c1 = carers[0];
  if (c1 && clientsA.length > 2) {
    const day = lastDays[10] ?? lastDays[0]!;
    await visit(a.id, clientsA[0]!, day, c1, { overlapWith: 14 * 60 });
    await visit(a.id, clientsA[2]!, day, c1, { overlapWith: 14 * 60 + 20 });
  }
  // today's list on caregiver1's phone
  if (c1) for (const personId of clientsA.filter((_, i) => i % carers.length === 0).slice(0, 4)) await visit(a.id, personId, on, c1, { open: true });
  // the second provider's month: orders placed and assigned, visits not recorded on a phone (its staff have none)
  for (const personId of clientsB) await visit(b.id, personId, lastDays[Math.floor(rng() * lastDays.length)]!, null);

  // family care beds for a dozen of the first provider's elders
  let beds = 0;
  for (const personId of clientsA.slice(0, 12)) {
    await openBed(ctx, scope, {
      personId,
      providerId: a.id,
      openedOn: addDays(on, -30 - Math.floor(rng() * 200)),
      adaptation: [
        { item: '卫生间扶手', doneOn: addDays(on, -40) },
        { item: '防滑地面', doneOn: addDays(on, -38) },
      ],
      devices: [
        { kind: 'mattress', serial: `MT-${100200 + beds}`, installedOn: addDays(on, -35) },
        { kind: 'sos_button', serial: `SOS-${300400 + beds}`, installedOn: addDays(on, -35) },
      ],
    });
    beds++;
  }

  // meal points in most communities of the first street, and a week of lunches there
  const communities = ctx.regions.all().filter((r) => r.parent_code === town1.code && r.kind === 'community');
  const points: number[] = [];
  for (const [i, c] of communities.slice(0, Math.max(1, communities.length - 2)).entries()) {
    const p = await createPoint(ctx, scope, {
      providerId: canteen.id,
      regionCode: c.code,
      name: `${c.name}${i % 3 === 2 ? '助餐点' : '老年食堂'}`,
      kind: i % 3 === 2 ? 'delivery_point' : 'canteen',
      serves: [c.code],
    });
    points.push(p.id);
  }
  const eaters = (await searchPersons(ctx.db, narrowScope(scope, town1.code, town1.prefix), { tags: [], status: 'active', limit: 40, offset: 0 })).rows;
  let meals = 0;
  for (const day of daysOf(addDays(on, -7), addDays(on, -1))) {
    for (const [i, p] of eaters.entries()) {
      if (rng() < 0.3 || !points.length) continue;
      try {
        await recordMeal(ctx, scope, {
          clientId: randomUUID(),
          pointId: points[i % points.length]!,
          personId: p.id,
          servedOn: day,
          meal: 'lunch',
          mode: rng() < 0.25 ? 'delivery' : 'dine_in',
        });
        meals++;
      } catch (e) {
        // under 60: not in the meal-aid programme
        if (!(e instanceof AppError)) throw e;
      }
    }
  }
  log(
    `  home services: 3 providers, ${clientsA.length + clientsB.length} clients, ${orders} orders, ${beds} family care beds, ${points.length} meal points, ${meals} meals (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A caregiver's own scope, as their phone's session would have it. */
function carerScope(ctx: AppContext, carer: Carer, providerId: number): Scope {
  const county = ctx.regions.get(DEMO_COUNTY)!;
  return userScope({ id: carer.userId, username: carer.username, role: 'caregiver' }, { code: county.code, prefix: county.prefix }, null, {
    organisationId: providerId,
    assignedOnly: false,
  });
}

/** A centre for the county, each town and each village: towns on a ring around the county's middle, villages around their town. */
function placeCentres(ctx: AppContext, b: { minLat: number; maxLat: number; minLng: number; maxLng: number }): Map<string, Place> {
  const out = new Map<string, Place>();
  const mid = { lat: (b.minLat + b.maxLat) / 2, lng: (b.minLng + b.maxLng) / 2 };
  const j = ctx.regions.get(DEMO_COUNTY)!;
  out.set(j.code, mid);
  const towns = ctx.regions.all().filter((r) => r.level === 'town' && r.code.startsWith(j.prefix));
  const ring = Math.min(b.maxLat - b.minLat, b.maxLng - b.minLng) * 0.3;
  for (const [i, t] of towns.entries()) {
    const angle = (2 * Math.PI * i) / Math.max(1, towns.length);
    const centre = { lat: mid.lat + ring * Math.sin(angle), lng: mid.lng + ring * Math.cos(angle) };
    out.set(t.code, centre);
    const villages = ctx.regions.all().filter((r) => r.parent_code === t.code);
    for (const [k, v] of villages.entries()) {
      const a2 = (2 * Math.PI * k) / Math.max(1, villages.length);
      out.set(v.code, { lat: centre.lat + 0.02 * Math.sin(a2), lng: centre.lng + 0.02 * Math.cos(a2) });
    }
  }
  return out;
}
