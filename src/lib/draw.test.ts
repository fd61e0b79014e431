import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  commitmentOf,
  draw,
  DrawError,
  poolProblem,
  poolsDigest,
  seedOf,
  Stream,
  verifyRound,
  type DrawPools,
  type PublishedRound,
} from './draw.js';

const SECRET = 'a'.repeat(63) + '1';
const EXTERNAL = '0f'.repeat(32);

function pools(): DrawPools {
  const targets = [
    ...Array.from({ length: 12 }, (_, i) => ({ key: `facility:${i + 1}`, name: `机构${i + 1}`, stratum: i < 3 ? 'D' : i < 7 ? 'C' : 'A' })),
    ...Array.from({ length: 6 }, (_, i) => ({ key: `provider:${i + 1}`, name: `服务商${i + 1}`, stratum: i < 2 ? 'B' : 'unrated' })),
  ];
  return {
    version: 1,
    // deliberately not in canonical order: the draw must not depend on the order given
    targets: targets.reverse(),
    inspectors: [5, 3, 9, 1, 7].map((id) => ({ id, name: `检查员${id}` })),
    conflicts: [
      [3, 'facility:1'],
      [5, 'facility:1'],
      [9, 'facility:1'],
      [1, 'facility:2'],
    ],
    counts: { D: 3, C: 2, B: 1, A: 1, unrated: 1 },
    inspectorsPerTarget: 2,
  };
}

/**
 * A second implementation written from docs/supervision-draw.md alone, with node:crypto's
 * synchronous SHA-256 and none of draw.ts: the spec, not the shared code, decides the result.
 */
function independentDraw(p: DrawPools, secret: string, external: string) {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, sortKeys(x)]),
          )
        : v;
  const targets = [...p.targets].sort((a, b) => (a.key < b.key ? -1 : 1));
  const inspectors = [...p.inspectors].sort((a, b) => a.id - b.id);
  const conflicts = [...p.conflicts].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const canon = JSON.stringify(sortKeys({ ...p, targets, inspectors, conflicts }));
  const h = (s: string | Buffer) => createHash('sha256').update(s).digest();
  const digest = h(canon).toString('hex');
  const seed = h(`${secret}|${external}|${digest}`);
  let counter = 0;
  let buf = Buffer.alloc(0);
  const word = () => {
    if (!buf.length) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(counter++);
      buf = h(Buffer.concat([seed, c]));
    }
    const w = buf.readUInt32BE(0);
    buf = buf.subarray(4);
    return w;
  };
  const below = (n: number) => {
    if (n <= 1) return 0;
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const w = word();
      if (w < limit) return w % n;
    }
  };
  const picked: typeof targets = [];
  for (const s of Object.keys(p.counts).sort()) {
    const list = targets.filter((t) => t.stratum === s);
    for (let i = 0; i < p.counts[s]!; i++) {
      const j = i + below(list.length - i);
      [list[i], list[j]] = [list[j]!, list[i]!];
      picked.push(list[i]!);
    }
  }
  const load = new Map(inspectors.map((i) => [i.id, 0]));
  const result = picked.map((t) => {
    const el = inspectors.map((i) => i.id).filter((id) => !conflicts.some(([c, k]) => c === id && k === t.key));
    for (let i = el.length - 1; i > 0; i--) {
      const j = below(i + 1);
      [el[i], el[j]] = [el[j]!, el[i]!];
    }
    const chosen = el
      .map((id, order) => ({ id, order }))
      .sort((a, b) => load.get(a.id)! - load.get(b.id)! || a.order - b.order)
      .slice(0, p.inspectorsPerTarget)
      .map((c) => c.id);
    for (const id of chosen) load.set(id, load.get(id)! + 1);
    return { key: t.key, stratum: t.stratum, inspectors: chosen };
  });
  return { digest, seed: seed.toString('hex'), result: { targets: result } };
}

describe('the 双随机 draw algorithm (src/lib/draw.ts, shared by server, page and CLI)', () => {
  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 'x' }], a: null })).toBe('{"a":null,"b":[{"a":"x","z":1}]}');
  });

  it('draws the same result as an independent implementation of the published algorithm, and the same again from the same seed', async () => {
    const p = pools();
    const digest = await poolsDigest(p);
    const seed = await seedOf(SECRET, EXTERNAL, digest);
    const mine = await draw(p, seed);
    const theirs = independentDraw(p, SECRET, EXTERNAL);
    expect(digest).toBe(theirs.digest);
    expect(seed).toBe(theirs.seed);
    expect(mine).toEqual(theirs.result);
    // per stratum as many as announced, never one twice
    expect(mine.targets.map((t) => t.stratum).sort()).toEqual(['A', 'B', 'C', 'C', 'D', 'D', 'D', 'unrated']);
    expect(new Set(mine.targets.map((t) => t.key)).size).toBe(8);
    // the order the pools were given in does not matter
    const shuffled = { ...p, targets: [...p.targets].reverse(), inspectors: [...p.inspectors].reverse() };
    expect(await draw(shuffled, seed)).toEqual(mine);
    // another external value draws something else
    const other = await draw(p, await seedOf(SECRET, '1f'.repeat(32), digest));
    expect(other).not.toEqual(mine);
  });

  it('never assigns an inspector to a target they declared a link to, over many seeds, and spreads the work', async () => {
    const p = pools();
    const digest = await poolsDigest(p);
    for (let n = 0; n < 40; n++) {
      const secret = createHash('sha256').update(`s${n}`).digest('hex');
      const r = await draw(p, await seedOf(secret, EXTERNAL, digest));
      for (const t of r.targets) {
        expect(t.inspectors).toHaveLength(2);
        for (const i of t.inspectors) expect(p.conflicts.some(([c, k]) => c === i && k === t.key)).toBe(false);
      }
      // facility:1 (stratum D, always drawn) has only inspectors 1 and 7 free of links
      expect(r.targets.find((t) => t.key === 'facility:1')!.inspectors.sort()).toEqual([1, 7]);
      const load = new Map<number, number>();
      for (const t of r.targets) for (const i of t.inspectors) load.set(i, (load.get(i) ?? 0) + 1);
      // 16 places over 5 inspectors: the least loaded first keeps everyone at 3 or 4 (conflicts permitting)
      expect(Math.max(...load.values()) - Math.min(...load.values())).toBeLessThanOrEqual(2);
    }
  });

  it('rejection sampling is unbiased where modulo would not be: every residue equally often', async () => {
    const s = new Stream('00'.repeat(32));
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[await s.below(3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('refuses an empty pool, more targets than a stratum holds, and a target every inspector is linked to, naming it', async () => {
    const seed = 'ab'.repeat(32);
    const p = pools();
    await expect(draw({ ...p, targets: [] }, seed)).rejects.toMatchObject({ problem: { kind: 'empty_targets' } });
    await expect(draw({ ...p, inspectors: [] }, seed)).rejects.toMatchObject({ problem: { kind: 'empty_inspectors' } });
    await expect(draw({ ...p, counts: { ...p.counts, D: 4 } }, seed)).rejects.toMatchObject({
      problem: { kind: 'too_many', stratum: 'D', wanted: 4, available: 3 },
    });
    const linked = { ...p, conflicts: [...p.conflicts, [1, 'facility:1'] as [number, string]] };
    await expect(draw(linked, seed)).rejects.toBeInstanceOf(DrawError);
    await expect(draw(linked, seed)).rejects.toMatchObject({ problem: { kind: 'all_conflicted', target: 'facility:1', eligible: 1, wanted: 2 } });
    expect(poolProblem(linked)).toEqual({ kind: 'all_conflicted', target: 'facility:1', eligible: 1, wanted: 2 });
    expect(poolProblem(p)).toBeNull();
    await expect(seedOf('not-hex', EXTERNAL, 'x')).rejects.toMatchObject({ problem: { kind: 'bad_hex', field: 'secret' } });
  });

  it('verifies a published round, and catches a tampered pool, a wrong secret and a changed result', async () => {
    const p = pools();
    const poolsDigestHex = await poolsDigest(p);
    const seed = await seedOf(SECRET, EXTERNAL, poolsDigestHex);
    const round: PublishedRound = {
      pools: p,
      poolsDigest: poolsDigestHex,
      commitment: await commitmentOf(SECRET),
      secret: SECRET,
      externalValue: EXTERNAL,
      seed,
      result: await draw(p, seed),
    };
    expect((await verifyRound(round)).ok).toBe(true);
    const tampered = structuredClone(round);
    tampered.pools.targets[0]!.stratum = 'A';
    const v = await verifyRound(tampered);
    expect(v.ok).toBe(false);
    expect(v.digestMatches).toBe(false);
    expect((await verifyRound({ ...round, secret: 'b'.repeat(64) })).commitmentMatches).toBe(false);
    const changed = structuredClone(round);
    changed.result!.targets[0]!.inspectors.reverse();
    expect(await verifyRound(changed)).toMatchObject({ ok: false, digestMatches: true, seedMatches: true, resultMatches: false });
  });
});
