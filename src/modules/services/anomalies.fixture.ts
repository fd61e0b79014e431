import type { Insertable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { ReasonCode } from './anomalies.schema.js';
import { cellGapMeters, cellOf, distanceMeters, type Point } from './geo.js';
import { DEFAULT_SERVICE_SETTINGS } from './services.settings.js';
import type { ServiceOrderTable } from './services.tables.js';

/**
 * A generated month of home-service orders with planted EVV anomalies of every kind, written by
 * direct inserts (numbers only; no sealed locations: the detector never reads them). The seeded-
 * fraud test (fraud.test.ts, 100,000 orders) and the benchmark (bench/services.ts, 1,000,000)
 * use it. Synthetic throughout: person ids are plain numbers with no register row behind them.
 *
 * Each caregiver serves a pool of elders whose homes lie within ~2 km of one another and works
 * a few visits a day in sequence: on site 75-125 % of the ordered minutes, 20-45 minutes between
 * visits, checked in within 0-150 m of the home with a 5-60 m accuracy. Clean visits near the
 * rules' bounds are mixed in, which must not be flagged: 5 % checked in 200-300 m beyond their
 * accuracy, 3 % on site just inside 50 % or 150 %, 5 % right after the last visit at the same home
 * with no minute between. Planted, about 1 % each:
 *
 * - far_checkin: checked in farMeters + accuracy + 1 m to 2 km from the home;
 * - too_short / too_long: on site 10-45 % / 160-250 % of the ordered minutes;
 * - overlap: the next visit checked in 10-40 minutes before the previous check-out (both planted);
 * - impossible_travel: the next visit, at the pool's home farthest from the last one (≥ 1.1 km
 *   between their cells), checked in one minute after the previous check-out;
 * - over_entitlement: the person's month lowered afterwards to what all but their last drawing
 *   order drew (as a re-run that lowered it would);
 * - cert_expired: 1 % of the caregivers' certificates expire on the 15th: their later visits.
 */

export interface FraudMonthOptions {
  orders: number;
  period: string;
  seed?: number;
  /** share of each planted kind (default 0.01) */
  rate?: number;
  /** orders a caregiver works a month (default 100) */
  perCaregiver?: number;
  /** rows an insert transaction holds (default 20,000) */
  batch?: number;
  /** called after each batch of orders written */
  progress?: (written: number) => void;
}

export interface FraudMonth {
  providerIds: number[];
  orders: number;
  /** order id → the codes planted on it */
  planted: Map<number, Set<ReasonCode>>;
  /** planted orders per code */
  plantedByCode: Record<ReasonCode, number>;
}

/** mulberry32: a small seeded PRNG, so a month is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITEMS = [
  { code: 'clean', category: 'clean', nameZh: '助洁', nameEn: 'Cleaning', priceFen: 5000, minutes: 60 },
  { code: 'meal', category: 'meal', nameZh: '助餐', nameEn: 'Meals', priceFen: 1500, minutes: 30 },
  { code: 'bath', category: 'bath', nameZh: '助浴', nameEn: 'Bathing', priceFen: 8000, minutes: 60 },
  { code: 'walk', category: 'walk', nameZh: '助行', nameEn: 'Walking', priceFen: 3000, minutes: 60 },
  { code: 'medical', category: 'medical', nameZh: '助医', nameEn: 'Medical escort', priceFen: 4000, minutes: 90 },
];

const MINUTE = 60_000;

interface Home {
  personId: number;
  home: Point;
  cell: string;
}

/** Writes providers, items, caregivers, certificates, entitlements and a month of orders; returns what was planted. */
export async function seedFraudMonth(ctx: AppContext, opts: FraudMonthOptions): Promise<FraudMonth> {
  const rnd = prng(opts.seed ?? 17);
  const rate = opts.rate ?? 0.01;
  const perCaregiver = opts.perCaregiver ?? 100;
  const batch = opts.batch ?? 20_000;
  const s = DEFAULT_SERVICE_SETTINGS;
  const b = s.bounds;
  const j = ctx.regions.counties()[0]!;
  const villages = ctx.regions.all().filter((r) => r.level === 'village');
  const now = new Date().toISOString();
  const [py, pm] = opts.period.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(py, pm, 0)).getUTCDate();

  const caregiverCount = Math.max(2, Math.ceil(opts.orders / perCaregiver));
  const providerCount = Math.max(1, Math.ceil(caregiverCount / 50));
  const db = ctx.db;

  // providers and items
  const providerIds: number[] = [];
  const providerRegion: string[] = [];
  for (let p = 0; p < providerCount; p++) {
    const v = villages[p % villages.length]!;
    const row = await db
      .insertInto('service_providers')
      .values({
        name: `合成服务商${opts.period}-${p + 1}`,
        jurisdiction: j.code,
        region_code: v.code,
        kind: 'home_service',
        credit_code: null,
        contact_phone_enc: null,
        contact_name: null,
        active: 1,
        created_by: 0,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    providerIds.push(row.id);
    providerRegion.push(v.code);
  }
  const itemIds: number[] = [];
  for (const it of ITEMS) {
    const code = `fraud-${opts.period}-${it.code}`;
    const found = await db.selectFrom('service_items').select('id').where('jurisdiction', '=', j.code).where('code', '=', code).executeTakeFirst();
    const id =
      found?.id ??
      (
        await db
          .insertInto('service_items')
          .values({
            jurisdiction: j.code,
            code,
            category: it.category,
            name_zh: it.nameZh,
            name_en: it.nameEn,
            price_fen: it.priceFen,
            standard_minutes: it.minutes,
            active: 1,
            updated_by: 0,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    itemIds.push(id);
  }

  // caregivers, each with a caregiver certificate; 1 % expire on the 15th
  const caregivers: { id: number; provider: number; expiresDay: number | null }[] = [];
  const certExpiry = `${opts.period}-15`;
  await db.transaction().execute(async (trx) => {
    for (let c = 0; c < caregiverCount; c++) {
      const provider = Math.floor(c / 50) % providerCount;
      const row = await trx
        .insertInto('service_caregivers')
        .values({ provider_id: providerIds[provider]!, user_id: null, name: `护理员${c + 1}`, phone_enc: null, skill_level: 3, active: 1, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const expires = rnd() < rate;
      caregivers.push({ id: row.id, provider, expiresDay: expires ? 15 : null });
      await trx
        .insertInto('service_certificates')
        .values({
          caregiver_id: row.id,
          kind: 'caregiver',
          number: `CERT-${row.id}`,
          issued_on: '2020-01-01',
          expires_on: expires ? certExpiry : '2030-12-31',
          added_by: 0,
          added_at: now,
        })
        .execute();
    }
  });

  const plantedByCode = Object.fromEntries(
    (['far_checkin', 'too_short', 'too_long', 'overlap', 'impossible_travel', 'over_entitlement', 'cert_expired'] as ReasonCode[]).map((c) => [c, 0]),
  ) as Record<ReasonCode, number>;
  const plantedByClient = new Map<string, Set<ReasonCode>>();
  const plant = (clientId: string, code: ReasonCode) => {
    const set = plantedByClient.get(clientId) ?? new Set<ReasonCode>();
    set.add(code);
    plantedByClient.set(clientId, set);
  };

  // persons: a pool of ~25 elders per caregiver, homes within ~2 km of the pool's centre
  let nextPerson = 1;
  const amountOf = new Map<number, number>();
  const usedOf = new Map<number, number>();
  const lastDraw = new Map<number, { clientId: string; entitled: number }>();
  const regionOfPerson = new Map<number, string>();

  let pending: Insertable<ServiceOrderTable>[] = [];
  let written = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    await db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'service_orders', rows));
    written += rows.length;
    opts.progress?.(written);
  };

  let total = 0;
  for (const cg of caregivers) {
    if (total >= opts.orders) break;
    const centre = { lat: b.minLat + 0.03 + rnd() * (b.maxLat - b.minLat - 0.06), lng: b.minLng + 0.03 + rnd() * (b.maxLng - b.minLng - 0.06) };
    const pool: Home[] = [];
    const poolSize = Math.max(4, Math.round(perCaregiver / 4));
    const village = villages[Math.floor(rnd() * villages.length)]!.code;
    for (let i = 0; i < poolSize; i++) {
      const home = { lat: centre.lat + (rnd() - 0.5) * 0.036, lng: centre.lng + (rnd() - 0.5) * 0.04 };
      const personId = nextPerson++;
      pool.push({ personId, home, cell: cellOf(home) });
      amountOf.set(personId, rnd() < 0.3 ? 12_000 : 5_000);
      regionOfPerson.set(personId, village);
    }
    const mine = Math.min(perCaregiver, opts.orders - total);
    const perDay = Math.max(1, Math.ceil(mine / days));
    let made = 0;
    for (let day = 1; day <= days && made < mine; day++) {
      const date = `${opts.period}-${String(day).padStart(2, '0')}`;
      // 08:00 Beijing = 00:00 UTC, plus up to an hour
      let t = Date.parse(`${date}T00:00:00Z`) + Math.floor(rnd() * 60) * MINUTE;
      let prev: { outMs: number; outCell: string; clientId: string; home: Home } | null = null;
      const today = Math.min(perDay, mine - made);
      for (let v = 0; v < today; v++) {
        const itemIndex = Math.floor(rnd() * ITEMS.length);
        const item = ITEMS[itemIndex]!;
        // 5 % of the visits follow the last one at the same home with no time between (a second service)
        const backToBack: boolean = prev !== null && rnd() < 0.05;
        let who: Home = backToBack ? prev!.home : pool[Math.floor(rnd() * pool.length)]!;
        if (backToBack) t = prev!.outMs;
        const clientId = `fraud-${opts.period}-${cg.id}-${day}-${v}`;
        const roll = rnd();
        // one kind planted at most per order (each about `rate`), chosen by the roll
        const kind: ReasonCode | null =
          roll < rate
            ? 'far_checkin'
            : roll < 2 * rate
              ? 'too_short'
              : roll < 3 * rate
                ? 'too_long'
                : roll < 4 * rate && prev
                  ? 'overlap'
                  : roll < 5 * rate && prev
                    ? 'impossible_travel'
                    : null;
        let checkIn = t;
        if (kind === 'overlap' && prev) {
          checkIn = prev.outMs - (10 + Math.floor(rnd() * 31)) * MINUTE;
          plant(prev.clientId, 'overlap');
          plant(clientId, 'overlap');
        } else if (kind === 'impossible_travel' && prev) {
          let best = who;
          let gap = -1;
          for (const h of pool) {
            const g = cellGapMeters(prev.outCell, h.cell);
            if (g > gap) {
              gap = g;
              best = h;
            }
          }
          if (gap >= 1_100) {
            who = best;
            checkIn = prev.outMs + MINUTE;
            plant(clientId, 'impossible_travel');
          }
        }
        const ordered = item.minutes;
        // clean visits near the bounds too: 3 % just inside the short or long ratio
        const edge = rnd();
        let ratio =
          edge < 0.015
            ? Math.ceil(ordered * (0.5 + rnd() * 0.05)) / ordered
            : edge < 0.03
              ? Math.floor(ordered * (1.45 + rnd() * 0.05)) / ordered
              : 0.75 + rnd() * 0.5;
        if (kind === 'too_short') {
          ratio = 0.1 + rnd() * 0.35;
          plant(clientId, 'too_short');
        } else if (kind === 'too_long') {
          ratio = 1.6 + rnd() * 0.9;
          plant(clientId, 'too_long');
        }
        const checkOut = checkIn + Math.round(ordered * ratio) * MINUTE;
        const accuracy = 5 + Math.floor(rnd() * 56);
        // 5 % of the clean check-ins 200-300 m out beyond their accuracy: inside the rule
        let distance = rnd() < 0.05 ? accuracy + 200 + Math.floor(rnd() * 101) : Math.floor(rnd() * 151);
        if (kind === 'far_checkin') {
          distance = s.farMeters + accuracy + 1 + Math.floor(rnd() * 2000);
          plant(clientId, 'far_checkin');
        }
        // the check-out is taken at the home (within the accuracy)
        const outPoint = who.home;
        const outCell = cellOf(outPoint);
        if (cg.expiresDay !== null && day > cg.expiresDay) plant(clientId, 'cert_expired');

        const price = item.priceFen;
        const used = usedOf.get(who.personId) ?? 0;
        const entitled = Math.max(0, Math.min(price, amountOf.get(who.personId)! - used));
        usedOf.set(who.personId, used + entitled);
        if (entitled > 0) lastDraw.set(who.personId, { clientId, entitled });
        const notDone = rnd() < 0.02 && kind === null;
        pending.push({
          client_id: clientId,
          provider_id: providerIds[cg.provider]!,
          person_id: who.personId,
          region_code: regionOfPerson.get(who.personId)!,
          item_id: itemIds[itemIndex]!,
          period: opts.period,
          scheduled_on: date,
          ordered_minutes: ordered,
          price_fen: price,
          entitled_fen: entitled,
          self_paid_fen: price - entitled,
          status: notDone ? 'assigned' : 'checked_out',
          created_via: 'officer',
          source_id: null,
          caregiver_id: cg.id,
          check_in_at: notDone ? null : new Date(checkIn).toISOString(),
          check_in_enc: null,
          check_in_cell: notDone ? null : who.cell,
          check_in_accuracy_m: notDone ? null : accuracy,
          check_in_distance_m: notDone ? null : distance,
          check_out_at: notDone ? null : new Date(checkOut).toISOString(),
          check_out_enc: null,
          check_out_cell: notDone ? null : outCell,
          check_out_accuracy_m: notDone ? null : accuracy,
          check_out_distance_m: notDone ? null : Math.round(distanceMeters(outPoint, who.home)),
          items_done: notDone ? null : JSON.stringify([item.code]),
          event_id: null,
          rating: null,
          rating_by: null,
          rated_at: null,
          cancel_reason: null,
          note: null,
          created_by: 0,
          created_at: now,
          updated_at: now,
        });
        if (!notDone) {
          prev = { outMs: checkOut, outCell, clientId, home: who };
          t = checkOut + (20 + Math.floor(rnd() * 26)) * MINUTE;
        }
        made++;
        total++;
        if (pending.length >= batch) await flush();
      }
    }
  }
  await flush();

  // entitlements: each person's month; for about `rate` of the persons who drew, lowered to what
  // all but their last drawing order drew (as after a re-run), which plants over_entitlement on it
  const ents: { period: string; person_id: number; region_code: string; amount_fen: number; items: string; run_id: number }[] = [];
  for (const [personId, amount] of amountOf) {
    let amt = amount;
    const last = lastDraw.get(personId);
    if (last && rnd() < rate * 4) {
      amt = usedOf.get(personId)! - last.entitled;
      plant(last.clientId, 'over_entitlement');
    }
    ents.push({ period: opts.period, person_id: personId, region_code: regionOfPerson.get(personId)!, amount_fen: amt, items: '["nx-15"]', run_id: 0 });
  }
  for (let i = 0; i < ents.length; i += batch) {
    const chunk = ents.slice(i, i + batch);
    await db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'service_entitlements', chunk));
  }

  // order ids of the planted ones
  const planted = new Map<number, Set<ReasonCode>>();
  const clientIds = [...plantedByClient.keys()];
  for (let i = 0; i < clientIds.length; i += 500) {
    const rows = await db
      .selectFrom('service_orders')
      .select(['id', 'client_id', 'status'])
      .where('client_id', 'in', clientIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const codes = plantedByClient.get(r.client_id)!;
      // an order never checked in is judged on nothing but its draw: only over_entitlement stays planted
      if (r.status !== 'checked_out') for (const c of [...codes]) if (c !== 'over_entitlement') codes.delete(c);
      if (codes.size === 0) continue;
      planted.set(r.id, codes);
      for (const c of codes) plantedByCode[c]++;
    }
  }
  return { providerIds, orders: total, planted, plantedByCode };
}
