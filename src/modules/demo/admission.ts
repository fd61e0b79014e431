import type { AppContext } from '../../platform/context.js';
import type { Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { applyFor, offerBed, queueOf } from '../admission/applications.js';
import { admissionSettingsOf } from '../admission/admission.settings.js';
import { factsOf } from '../admission/queue.js';
import { compileRanking } from '../admission/ranking.js';
import { admitResident, freeBeds, listFacilities } from '../facilities/directory.js';
import { populationBatch } from '../register/people.js';
import { mulberry32, seedBits } from './generator.js';

/**
 * The demo's admission queue (issue 19): about twenty applications to the demo's public institution
 * (the first public or publicly built institution in service), from elders of the register in every
 * tier — 特困, hardship with care needs, 80+, special families, a martyr's family preferred among
 * equals, and general applicants — applied over the last months in an order that moves earlier
 * applicants back (each move with its reason), a few for nursing beds, and one free bed offered to
 * the first waiting. Its other free beds are filled first by residents admitted directly in the
 * past, so the institution is full and the queue makes sense. Through the admission and facilities
 * modules' public functions, as an officer would.
 */
const bedOrder = new Intl.Collator('zh-CN', { numeric: true });

export async function seedDemoAdmission(ctx: AppContext, scope: Scope, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const rng = mulberry32(seedBits(seed) ^ 0xad31);
  const facility = (await listFacilities(ctx.db, { kinds: ['institution'], activeOnly: true })).find((f) => f.ownership !== 'private');
  if (!facility) {
    log('  admission: no public institution in the demo, no queue');
    return;
  }
  const ranking = compileRanking(admissionSettingsOf(ctx, facility.regionCode));
  // candidates: the first few thousand on the register, placed by the queue's own rules
  const rows = await populationBatch(ctx.handle, ['id', 'status'], 0, today(), 3000);
  const ids = rows.filter((r) => r[1] === 'active').map((r) => r[0] as number);
  const facts = await factsOf(ctx, ctx.db, ranking, ids);
  const byTier = new Map<string, number[]>();
  for (const id of ids) {
    const p = ranking.place(facts.get(id) ?? {});
    const key = p.preferred ? 'preferred' : String(p.tier);
    const list = byTier.get(key) ?? [];
    list.push(id);
    byTier.set(key, list);
  }
  const take = (key: string, n: number) => (byTier.get(key) ?? []).slice(0, n);
  // general applicants and 80+ first (they applied earliest), the higher tiers later: places move
  const chosen = [...take('null', 5), ...take('2', 6), ...take('3', 2), ...take('4', 1), ...take('preferred', 2), ...take('1', 3), ...take('0', 2)];
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  // a queue makes sense only when the beds are full: the institution's free beds are taken by
  // residents admitted directly in the past (facilities' admitResident), all but one ordinary bed,
  // which is offered to the first waiting below
  const applicants = new Set(chosen);
  // from the end of the register, as the facilities demo takes its residents: the first people stay
  // at home (other modules' tests pick their people from the start of the register)
  const others = ids.filter((id) => !applicants.has(id)).reverse();
  const free = await freeBeds(ctx.db, facility.id);
  const keep = free.filter((b) => b.type === 'ordinary').sort((a, b) => bedOrder.compare(a.label, b.label))[0];
  let filled = 0;
  for (const b of free) {
    if (b === keep) continue;
    while (others.length) {
      const personId = others.shift()!;
      try {
        await admitResident(ctx.db, scope, { facilityId: facility.id, personId, bedId: b.bedId, on: day(400 + Math.round(rng() * 600)), source: 'direct' });
        filled++;
        break;
      } catch {
        // resident elsewhere already, or out of the scope: the next one
      }
    }
  }
  let made = 0;
  for (let i = 0; i < chosen.length; i++) {
    const bedType = i % 5 === 4 ? 'nursing' : 'ordinary';
    const daysAgo = Math.round(200 - (i * 180) / chosen.length + rng() * 5);
    try {
      await applyFor(ctx, scope, { personId: chosen[i]!, facilityId: facility.id, bedType, appliedOn: day(daysAgo) });
      made++;
    } catch {
      // a person the demo's rules or data refuse (resident elsewhere, closed): skipped
    }
  }
  let offered = 0;
  const bed = keep && (await freeBeds(ctx.db, facility.id)).find((b) => b.bedId === keep.bedId);
  const first = (await queueOf(ctx, scope, { facilityId: facility.id, bedType: 'ordinary' })).items.find((a) => a.status === 'waiting');
  if (bed && first) {
    await offerBed(ctx, scope, first.id, bed.bedId);
    offered = 1;
  }
  log(`  admission: ${filled} beds of ${facility.name} filled, ${made} applications, ${offered} bed offered`);
}
