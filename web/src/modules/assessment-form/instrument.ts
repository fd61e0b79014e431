import { CURRENT_VERSION, INSTRUMENTS } from '../../../../src/modules/assessment/instrument/index';
import { score, type ScoreResult } from '../../../../src/modules/assessment/instrument/score';
import type { InstrumentData, Level } from '../../../../src/modules/assessment/instrument/types';
import type { Locale } from '../../shared/i18n-core';
import type { BasicInfo, HealthInfo } from './types';

/**
 * The instrument as the server has it (src/modules/assessment/instrument: pure data and the one
 * scorer), so the tablet's running sub-totals and level are the server's to the point.
 */
export { CURRENT_VERSION };
export type { InstrumentData, Level, ScoreResult };

export function instrument(version: string): InstrumentData {
  return INSTRUMENTS[version] ?? INSTRUMENTS[CURRENT_VERSION]!;
}

/** The risk events of the 30 days, all kinds together (A.2.14, as C.4 counts them). */
export function riskEventCount(basic: Pick<BasicInfo, 'riskEvents'>): number {
  return Object.values(basic.riskEvents).reduce((a, b) => a + b, 0);
}

/** The one scorer on what the form holds. */
export function scoreForm(version: string, answers: Record<string, number>, basic: BasicInfo, health: HealthInfo): ScoreResult {
  return score(instrument(version).version, {
    answers,
    coma: health.coma,
    mentalDisorder: basic.dementia || basic.mentalDisorder,
    riskEvents30d: riskEventCount(basic),
  });
}

/** A level's name in the standard's words. */
export function levelName(version: string, level: Level | null | undefined, locale: Locale): string {
  if (!level) return '—';
  const band = instrument(version).levels.find((b) => b.code === level);
  return band ? (locale === 'en' ? band.en : band.zh) : level;
}

export const pickText = (o: { zh: string; en: string }, locale: Locale) => (locale === 'en' ? o.en : o.zh);
