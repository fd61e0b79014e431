import { defineModule } from '../types';
import { en, zh } from './messages';

/** Capability assessment (GB/T 42195-2022): see the module's pages. */
export const assessment = defineModule({
  id: 'assessment',
  messages: { zh, en },
  routes: [],
  nav: [],
});
