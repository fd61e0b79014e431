import type { Grade, RatingFormula, TermKey } from './supervision.settings.js';

/**
 * The credit rating of one target (pure): 100 minus each term's points, each term = its input ×
 * points per unit, at most its cap; the grade from the bands; then the cap of the US nursing-home
 * star rating's kind — a serious finding in the window holds the grade at most at
 * `seriousFindingCap` (and the score below the next grade's band) whatever the rest. Every term is
 * kept with its input, weight, cap and points: the explanation the console and the target see.
 */
export interface RatingInputs {
  findings: { minor: number; major: number; serious: number };
  complaints: { received: number; substantiated: number; overdue: number };
  /** upheld service anomalies (providers); null: not a home-service provider */
  anomalies: number | null;
  satisfaction: { responses: number; meanPercent: number } | null;
  /** the serious findings in the window (inspection and item), named by the cap's explanation */
  seriousFindings?: SeriousFinding[];
}

export interface SeriousFinding {
  inspectionId: number;
  itemKey: string;
}

export interface RatingTerm {
  key: TermKey;
  /** the count (or, for satisfaction, the percentage points below target) the term weighs */
  input: number;
  pointsPerUnit: number;
  maxPoints: number;
  /** points taken (one decimal) */
  points: number;
  /** false: the term has nothing to weigh for this target (no surveys enough, not a provider) */
  applies: boolean;
}

export interface RatingExplanation {
  terms: RatingTerm[];
  /** 100 − the sum of points, rounded, at least 0, before the cap */
  rawScore: number;
  rawGrade: Grade;
  /** scoreBefore → scoreAfter: what the cap did to the score (equal when not applied) */
  cap: {
    reason: 'serious_finding';
    maxGrade: Grade;
    applied: boolean;
    scoreBefore: number;
    scoreAfter: number;
    seriousFindings: SeriousFinding[];
  } | null;
  score: number;
  grade: Grade;
  satisfaction: { responses: number; meanPercent: number } | null;
}

export function gradeOf(score: number, bands: RatingFormula['bands']): Grade {
  return score >= bands.A ? 'A' : score >= bands.B ? 'B' : score >= bands.C ? 'C' : 'D';
}

const ORDER: Grade[] = ['A', 'B', 'C', 'D'];
/** the highest score a grade allows: one below the band of the grade above it */
function topOf(grade: Grade, bands: RatingFormula['bands']): number {
  return grade === 'A' ? 100 : grade === 'B' ? bands.A - 1 : grade === 'C' ? bands.B - 1 : bands.C - 1;
}

function inputOf(key: TermKey, x: RatingInputs, f: RatingFormula): { input: number; applies: boolean } {
  switch (key) {
    case 'finding_minor':
      return { input: x.findings.minor, applies: true };
    case 'finding_major':
      return { input: x.findings.major, applies: true };
    case 'finding_serious':
      return { input: x.findings.serious, applies: true };
    case 'complaint_substantiated':
      return { input: x.complaints.substantiated, applies: true };
    case 'complaint_overdue':
      return { input: x.complaints.overdue, applies: true };
    case 'service_anomaly':
      return x.anomalies === null ? { input: 0, applies: false } : { input: x.anomalies, applies: true };
    case 'satisfaction_shortfall': {
      const s = x.satisfaction;
      if (!s || s.responses < f.satisfactionMinResponses) return { input: 0, applies: false };
      return { input: Math.max(0, Math.round((f.satisfactionTarget - s.meanPercent) * 10) / 10), applies: true };
    }
  }
}

export function rate(x: RatingInputs, f: RatingFormula): RatingExplanation {
  const terms = f.terms.map((t): RatingTerm => {
    const { input, applies } = inputOf(t.key, x, f);
    const points = applies ? Math.min(t.maxPoints, Math.round(input * t.pointsPerUnit * 10) / 10) : 0;
    return { key: t.key, input, pointsPerUnit: t.pointsPerUnit, maxPoints: t.maxPoints, points, applies };
  });
  const taken = terms.reduce((s, t) => s + t.points, 0);
  const rawScore = Math.max(0, Math.round(100 - taken));
  const rawGrade = gradeOf(rawScore, f.bands);
  let score = rawScore;
  let grade = rawGrade;
  let cap: RatingExplanation['cap'] = null;
  if (x.findings.serious > 0) {
    const applied = ORDER.indexOf(rawGrade) < ORDER.indexOf(f.seriousFindingCap);
    if (applied) {
      grade = f.seriousFindingCap;
      score = Math.min(score, topOf(grade, f.bands));
    }
    cap = {
      reason: 'serious_finding',
      maxGrade: f.seriousFindingCap,
      applied,
      scoreBefore: rawScore,
      scoreAfter: score,
      seriousFindings: x.seriousFindings ?? [],
    };
  }
  return { terms, rawScore, rawGrade, cap, score, grade, satisfaction: x.satisfaction };
}
