/**
 * The 双随机 draw (R9), one algorithm for the server, the public page's "re-run" button and the
 * command line: it imports nothing and uses only WebCrypto's SHA-256 (Node 20 and every browser),
 * so a round's published document is re-run to the same result anywhere. docs/supervision-draw.md
 * specifies it in words precise enough to re-implement; keep the two in step (version 1).
 *
 * Outline: the pools (targets with their stratum, inspectors, conflicts, counts) are frozen as
 * canonical JSON at announcement and their SHA-256 published with the commitment SHA-256(secret).
 * At the draw the secret is revealed and an external value fixed in advance but unknown at
 * announcement (a drand round's randomness) is entered; seed = SHA-256(secret "|" external "|"
 * poolsDigest). A SHA-256 counter-mode stream gives 32-bit words; unbiased integers come from
 * rejection sampling; a partial Fisher–Yates over each stratum's canonical order picks its targets;
 * each drawn target gets its inspectors by a shuffle of the unconflicted inspectors, then the least
 * loaded first.
 */

export const DRAW_VERSION = 1;

export interface DrawTarget {
  /** 'facility:<id>' | 'provider:<id>' */
  key: string;
  name: string;
  /** the credit grade the target had at announcement ('A'..'D') or 'unrated' */
  stratum: string;
}
export interface DrawInspector {
  id: number;
  name: string;
}
/** What the announcement freezes; its canonical JSON is what the digest covers. */
export interface DrawPools {
  version: number;
  targets: DrawTarget[];
  inspectors: DrawInspector[];
  /** [inspectorId, targetKey]: never assign that inspector to that target */
  conflicts: [number, string][];
  /** targets to draw per stratum */
  counts: Record<string, number>;
  inspectorsPerTarget: number;
}
export interface DrawnTarget {
  key: string;
  stratum: string;
  inspectors: number[];
}
export interface DrawResult {
  targets: DrawnTarget[];
}
/** A round as the public page and `verify-draw` take it. */
export interface PublishedRound {
  pools: DrawPools;
  poolsDigest: string;
  commitment: string;
  secret: string | null;
  externalValue: string | null;
  seed: string | null;
  result: DrawResult | null;
}

/** Why a draw cannot be made; the server turns each into its catalogue error. */
export type DrawProblem =
  | { kind: 'empty_targets' }
  | { kind: 'empty_inspectors' }
  | { kind: 'too_many'; stratum: string; wanted: number; available: number }
  | { kind: 'all_conflicted'; target: string; eligible: number; wanted: number }
  | { kind: 'bad_hex'; field: 'secret' | 'externalValue' };

export class DrawError extends Error {
  constructor(readonly problem: DrawProblem) {
    super(`draw refused: ${JSON.stringify(problem)}`);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** JSON with object keys sorted (code-unit order) at every depth and no spaces. Arrays keep their order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The pools in canonical order: targets by key, inspectors by id, conflicts by inspector then key, deduplicated. */
export function canonicalPools(p: DrawPools): DrawPools {
  const seen = new Set<string>();
  const conflicts = p.conflicts
    .filter(([i, k]) => {
      const id = `${i}|${k}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map(([i, k]) => [i, k] as [number, string])
    .sort((a, b) => a[0] - b[0] || cmp(a[1], b[1]));
  return {
    version: p.version,
    targets: [...p.targets].map((t) => ({ key: t.key, name: t.name, stratum: t.stratum })).sort((a, b) => cmp(a.key, b.key)),
    inspectors: [...p.inspectors].map((i) => ({ id: i.id, name: i.name })).sort((a, b) => a.id - b.id),
    conflicts,
    counts: Object.fromEntries(
      Object.keys(p.counts)
        .sort()
        .map((k) => [k, p.counts[k]!]),
    ),
    inspectorsPerTarget: p.inspectorsPerTarget,
  };
}

const enc = new TextEncoder();

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}
export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await sha256(enc.encode(text)));
}

/** SHA-256 of the canonical JSON of the canonical pools, lower-case hex. */
export function poolsDigest(p: DrawPools): Promise<string> {
  return sha256Hex(canonicalJson(canonicalPools(p)));
}
/** The commitment published at announcement: SHA-256 of the secret's 64 hex characters as ASCII. */
export function commitmentOf(secret: string): Promise<string> {
  return sha256Hex(secret);
}
/** seed = SHA-256(secret "|" externalValue "|" poolsDigest), each lower-case hex, as ASCII. */
export async function seedOf(secret: string, externalValue: string, digest: string): Promise<string> {
  if (!HEX64.test(secret)) throw new DrawError({ kind: 'bad_hex', field: 'secret' });
  if (!HEX64.test(externalValue)) throw new DrawError({ kind: 'bad_hex', field: 'externalValue' });
  return sha256Hex(`${secret}|${externalValue}|${digest}`);
}
export function isHex64(s: string): boolean {
  return HEX64.test(s);
}

/**
 * The random stream: block i = SHA-256(seed bytes ‖ i as 4-byte big-endian), i = 0, 1, …; each
 * block read as eight 32-bit big-endian words, in order.
 */
export class Stream {
  private block: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private counter = 0;
  private readonly seed: Uint8Array;
  constructor(seedHex: string) {
    this.seed = fromHex(seedHex);
  }
  async word(): Promise<number> {
    if (this.pos >= this.block.length) {
      const input = new Uint8Array(this.seed.length + 4);
      input.set(this.seed);
      new DataView(input.buffer).setUint32(this.seed.length, this.counter++);
      this.block = await sha256(input);
      this.pos = 0;
    }
    const w = new DataView(this.block.buffer, this.pos, 4).getUint32(0);
    this.pos += 4;
    return w;
  }
  /** An unbiased integer in [0, n): words at or above the largest multiple of n below 2^32 are rejected. */
  async below(n: number): Promise<number> {
    if (n <= 1) return 0;
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const w = await this.word();
      if (w < limit) return w % n;
    }
  }
}

/** The strata in draw order: sorted by name ('A' < 'B' < 'C' < 'D' < 'unrated'). */
export function strataOf(p: DrawPools): string[] {
  return Object.keys(p.counts).sort();
}

/** The draw itself, from canonical pools and a seed; throws DrawError and draws nothing when it cannot. */
export async function draw(pools: DrawPools, seedHex: string): Promise<DrawResult> {
  const p = canonicalPools(pools);
  if (!p.targets.length) throw new DrawError({ kind: 'empty_targets' });
  if (!p.inspectors.length) throw new DrawError({ kind: 'empty_inspectors' });
  for (const s of strataOf(p)) {
    const available = p.targets.filter((t) => t.stratum === s).length;
    const wanted = p.counts[s]!;
    if (wanted > available) throw new DrawError({ kind: 'too_many', stratum: s, wanted, available });
  }
  const stream = new Stream(seedHex);
  const picked: DrawTarget[] = [];
  for (const s of strataOf(p)) {
    const list = p.targets.filter((t) => t.stratum === s);
    const k = p.counts[s]!;
    // partial Fisher–Yates: position i takes a uniform pick of positions i..end
    for (let i = 0; i < k; i++) {
      const j = i + (await stream.below(list.length - i));
      [list[i], list[j]] = [list[j]!, list[i]!];
      picked.push(list[i]!);
    }
  }
  const conflicted = new Set(p.conflicts.map(([i, k]) => `${i}|${k}`));
  const load = new Map<number, number>(p.inspectors.map((i) => [i.id, 0]));
  const out: DrawnTarget[] = [];
  for (const t of picked) {
    const eligible = p.inspectors.map((i) => i.id).filter((id) => !conflicted.has(`${id}|${t.key}`));
    if (eligible.length < p.inspectorsPerTarget) {
      throw new DrawError({ kind: 'all_conflicted', target: t.key, eligible: eligible.length, wanted: p.inspectorsPerTarget });
    }
    // full Fisher–Yates from the end, then a stable sort by current load: random among the least loaded
    for (let i = eligible.length - 1; i > 0; i--) {
      const j = await stream.below(i + 1);
      [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
    }
    const chosen = eligible
      .map((id, order) => ({ id, order, load: load.get(id)! }))
      .sort((a, b) => a.load - b.load || a.order - b.order)
      .slice(0, p.inspectorsPerTarget)
      .map((c) => c.id);
    for (const id of chosen) load.set(id, load.get(id)! + 1);
    out.push({ key: t.key, stratum: t.stratum, inspectors: chosen });
  }
  return { targets: out };
}

/** Checks the pools up front (the announcement refuses what could never be drawn). */
export function poolProblem(pools: DrawPools): DrawProblem | null {
  const p = canonicalPools(pools);
  if (!p.targets.length) return { kind: 'empty_targets' };
  if (!p.inspectors.length) return { kind: 'empty_inspectors' };
  for (const s of strataOf(p)) {
    const available = p.targets.filter((t) => t.stratum === s).length;
    if (p.counts[s]! > available) return { kind: 'too_many', stratum: s, wanted: p.counts[s]!, available };
  }
  const conflicted = new Set(p.conflicts.map(([i, k]) => `${i}|${k}`));
  for (const t of p.targets) {
    const eligible = p.inspectors.filter((i) => !conflicted.has(`${i.id}|${t.key}`)).length;
    // a target that may be drawn must be inspectable by enough unconflicted inspectors
    if ((p.counts[t.stratum] ?? 0) > 0 && eligible < p.inspectorsPerTarget)
      return { kind: 'all_conflicted', target: t.key, eligible, wanted: p.inspectorsPerTarget };
  }
  return null;
}

export interface Verification {
  digestMatches: boolean;
  commitmentMatches: boolean;
  seedMatches: boolean;
  resultMatches: boolean;
  /** all of the above */
  ok: boolean;
  recomputed: { poolsDigest: string; seed: string | null; result: DrawResult | null };
}

/** Re-runs a published round from its pools, secret and external value, and compares every step. */
export async function verifyRound(r: PublishedRound): Promise<Verification> {
  const digest = await poolsDigest(r.pools);
  const digestMatches = digest === r.poolsDigest;
  const commitmentMatches = r.secret !== null && (await commitmentOf(r.secret)) === r.commitment;
  let seed: string | null = null;
  let result: DrawResult | null = null;
  if (r.secret !== null && r.externalValue !== null && isHex64(r.secret) && isHex64(r.externalValue)) {
    seed = await seedOf(r.secret, r.externalValue, digest);
    try {
      result = await draw(r.pools, seed);
    } catch {
      result = null;
    }
  }
  const seedMatches = seed !== null && seed === r.seed;
  const resultMatches = result !== null && r.result !== null && canonicalJson(result) === canonicalJson(r.result);
  return {
    digestMatches,
    commitmentMatches,
    seedMatches,
    resultMatches,
    ok: digestMatches && commitmentMatches && seedMatches && resultMatches,
    recomputed: { poolsDigest: digest, seed, result },
  };
}
