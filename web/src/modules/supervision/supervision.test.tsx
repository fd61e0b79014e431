// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { pageHarness, settle } from '../../app-harness';
import { LOCALE_KEY } from '../../i18n';
import type { FormulaReply, RatingView } from './api';
import { RatingsPage } from './ratings';

/**
 * The ratings page: every score is explained term by term, the serious-finding cap as a line of its
 * own with the inspection and item that caused it and what it did to the score, in zh and en.
 */
const admin = {
  user: { id: 1, username: 'admin', displayName: '县民政局管理员', role: 'county_admin', regionCode: '990101', regionName: '演示县' },
  actions: ['supervision.read', 'supervision.manage'],
  csrfToken: 'x',
};
const term = (key: string, input: number, pointsPerUnit: number, maxPoints: number, points: number) => ({
  key,
  input,
  pointsPerUnit,
  maxPoints,
  points,
  applies: true,
});
const rating = {
  targetKey: 'facility:1',
  targetName: '县社会福利中心',
  regionCode: '990101',
  computedOn: '2026-12-01',
  windowFrom: '2025-12-02',
  windowTo: '2026-12-01',
  score: 74,
  grade: 'C',
  capped: true,
  explanation: {
    terms: [term('finding_minor', 0, 1, 10, 0), term('finding_serious', 1, 10, 30, 10)],
    rawScore: 90,
    rawGrade: 'A',
    cap: {
      reason: 'serious_finding',
      maxGrade: 'C',
      applied: true,
      scoreBefore: 90,
      scoreAfter: 74,
      seriousFindings: [{ inspectionId: 12, itemKey: 'fire_exits' }],
    },
    score: 74,
    grade: 'C',
    satisfaction: null,
  },
} as RatingView;
const formula = {
  formula: { seriousFindingCap: 'C' },
  drawShares: {},
  termLabels: {
    finding_minor: { zh: '检查一般问题（项）', en: 'Minor inspection findings' },
    finding_serious: { zh: '检查严重问题（项）', en: 'Serious inspection findings' },
  },
  checklists: [
    {
      key: 'comprehensive',
      label: { zh: '综合检查', en: 'Comprehensive' },
      items: [{ key: 'fire_exits', label: { zh: '疏散通道畅通', en: 'Escape routes open' }, severity: 'serious' }],
    },
  ],
} as unknown as FormulaReply;
const byTestId = (id: string) => document.body.querySelector(`[data-testid="${id}"]`);
const explainFirst = async () => {
  const button = [...document.body.querySelectorAll('[data-testid="sv-ratings"] button')][0] as HTMLButtonElement;
  await act(async () => button.click());
  await settle();
};

describe('the credit ratings page', () => {
  const page = pageHarness();
  beforeEach(() => {
    localStorage.removeItem(LOCALE_KEY);
    const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = String(input);
        if (url === '/api/auth/me') return json(admin);
        if (url === '/api/supervision/ratings') return json({ items: [rating] });
        if (url === '/api/supervision/public/formula') return json(formula);
        return json({ error: { code: 'NOT_FOUND', message: 'not found', details: null } }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('explains the cap as its own line: the inspection and item, the grade it holds and the score it moved (zh)', async () => {
    await page.show('/supervision/ratings', '/supervision/ratings', <RatingsPage />);
    await explainFirst();
    const cap = byTestId('sv-cap-line')!;
    expect(cap.textContent).toBe('严重问题封顶：评价期间内有严重问题（检查 #12，项目 疏散通道畅通），等级最高为 C，得分由 90 降至 74（C 级上限）');
    expect(byTestId('sv-explanation')!.textContent).toContain('最终得分 74，等级 C');
  });

  it('says the same in English, and the grade and its cap tag are two words', async () => {
    localStorage.setItem(LOCALE_KEY, 'en');
    await page.show('/supervision/ratings', '/supervision/ratings', <RatingsPage />);
    expect(byTestId('sv-ratings')!.textContent).toContain('C capped');
    await explainFirst();
    expect(byTestId('sv-cap-line')!.textContent).toBe(
      'Serious-finding cap: a serious finding in the window (inspection #12, item Escape routes open) holds the grade at most at C: the score drops from 90 to 74 (the top of grade C)',
    );
  });
});
