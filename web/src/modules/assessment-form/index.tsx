import { defineModule } from '../types';
import { en, zh } from './messages';

/** Capability assessment (GB/T 42195-2022): see the module's pages. */
export const assessmentForm = defineModule({
  id: 'assessment-form',
  messages: { zh, en },
  routes: [],
  nav: [],
});
