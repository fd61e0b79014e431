import { GBT_42195_2022 } from './gbt-42195-2022.js';
import type { InstrumentData } from './types.js';

/**
 * The instrument versions the platform knows, by version. A revision of the standard is a new data
 * file and one line here; `CURRENT_VERSION` is what new assessments are taken under. Old
 * assessments keep the version they were taken under and are always scored with it.
 */
export const INSTRUMENTS: Readonly<Record<string, InstrumentData>> = { [GBT_42195_2022.version]: GBT_42195_2022 };
export const CURRENT_VERSION = GBT_42195_2022.version;

export * from './types.js';
