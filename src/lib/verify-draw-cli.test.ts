import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitmentOf, draw, poolsDigest, seedOf, type DrawPools, type PublishedRound } from './draw.js';

const dir = mkdtempSync(join(tmpdir(), 'verify-draw-'));
function cli(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('node_modules/.bin/tsx', ['src/cli.ts', ...args], { timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('npm run yiyang -- verify-draw <round.json>', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('says a published round re-runs to its result (exit 0), and that a copy with one pool entry changed does not (exit 1)', async () => {
    const pools: DrawPools = {
      version: 1,
      targets: [
        { key: 'facility:1', name: '甲', stratum: 'A' },
        { key: 'facility:2', name: '乙', stratum: 'A' },
        { key: 'provider:1', name: '丙', stratum: 'D' },
      ],
      inspectors: [1, 2, 3].map((id) => ({ id, name: `i${id}` })),
      conflicts: [[1, 'provider:1']],
      counts: { A: 1, D: 1 },
      inspectorsPerTarget: 2,
    };
    const secret = 'ab'.repeat(32);
    const externalValue = 'cd'.repeat(32);
    const digest = await poolsDigest(pools);
    const seed = await seedOf(secret, externalValue, digest);
    const round: PublishedRound = {
      pools,
      poolsDigest: digest,
      commitment: await commitmentOf(secret),
      secret,
      externalValue,
      seed,
      result: await draw(pools, seed),
    };
    writeFileSync(join(dir, 'round.json'), JSON.stringify(round));
    const ok = await cli('verify-draw', join(dir, 'round.json'));
    expect(ok.out).toContain('The draw re-runs to the published result.');
    expect(ok.code).toBe(0);
    round.pools.targets[0]!.name = '丁';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(round));
    const bad = await cli('verify-draw', join(dir, 'bad.json'));
    expect(bad.out).toContain('pools digest DIFFERS');
    expect(bad.code).toBe(1);
  }, 240_000);
});
