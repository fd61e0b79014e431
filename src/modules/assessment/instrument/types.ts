/** The shape of a capability-assessment instrument as data (./gbt-42195-2022.ts is one). */

export const LEVELS = ['intact', 'mild', 'moderate', 'severe', 'complete'] as const;
/** 能力完好, 轻度失能, 中度失能, 重度失能, 完全失能: from least to most impaired. */
export type Level = (typeof LEVELS)[number];

export const ADJUSTMENTS = ['coma', 'mental', 'riskEvents'] as const;
/** C.4's reasons to change the preliminary level. */
export type Adjustment = (typeof ADJUSTMENTS)[number];

export interface OptionData {
  score: number;
  zh: string;
  en: string;
}

export interface ItemData {
  /** the standard's item code, e.g. 'B.1.1' */
  code: string;
  zh: string;
  en: string;
  /** where in the standard: table and item */
  clause: string;
  /** highest score first, as the forms print them */
  options: readonly OptionData[];
}

export interface IndicatorData {
  code: string;
  zh: string;
  en: string;
  /** the sub-total's maximum as the standard publishes it (checked against the items' maxima) */
  max: number;
  clause: string;
  items: readonly ItemData[];
}

export interface LevelBand {
  code: Level;
  zh: string;
  en: string;
  /** the total's band, both ends included */
  min: number;
  max: number;
  clause: string;
}

export interface InstrumentData {
  id: string;
  version: string;
  title: { zh: string; en: string };
  /** the published total maximum */
  total: { max: number; clause: string };
  indicators: readonly IndicatorData[];
  levels: readonly LevelBand[];
  adjustments: {
    coma: { to: Level; clause: string };
    mental: { raise: number; clause: string };
    riskEvents: { atLeast: number; days: number; raise: number; clause: string };
    /** several raising conditions together: raise once (the largest), or add up */
    combined: 'once' | 'sum';
  };
}
