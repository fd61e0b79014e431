import type { FactDecl } from '../../lib/rules/facts.js';
import { REGISTER_FACTS } from '../register/sources/facts.js';

/**
 * Every person fact rules may read, from the modules that declare them (the register today; the
 * assessment module adds the capability level next). Pure data: the console imports it too.
 */
export const DECLARATIONS: readonly FactDecl[] = [...REGISTER_FACTS];
