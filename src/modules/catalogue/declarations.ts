import type { FactDecl } from '../../lib/rules/facts.js';
import { ASSESSMENT_FACTS } from '../assessment/facts.js';
import { REGISTER_FACTS } from '../register/sources/facts.js';

/**
 * Every person fact rules may read, from the modules that declare them (the register; the assessment
 * module: the capability level, the disablement the catalogues read, 需要长期照护). Pure data: the console imports it too.
 */
export const DECLARATIONS: readonly FactDecl[] = [...REGISTER_FACTS, ...ASSESSMENT_FACTS];
