import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

const TicketsPage = lazyPage(() => import('./tickets'), 'TicketsPage');
const CallbacksPage = lazyPage(() => import('./callbacks'), 'CallbacksPage');
const KnowledgePage = lazyPage(() => import('./knowledge'), 'KnowledgePage');
const PersonsPage = lazyPage(() => import('./person'), 'PersonsPage');
const PersonPage = lazyPage(() => import('./person'), 'PersonPage');

/**
 * The 24-hour hotline's console (issue 18): calls as tickets with the knowledge base's answers,
 * return calls (回访), the knowledge base, and a person's hotline profile (contacts, devices, rule
 * changes, recent alarms and calls). A grid worker reaches the profile to keep the contacts.
 */
export const hotline = defineModule({
  id: 'hotline',
  messages: () => import('./messages'),
  routes: [
    { path: 'hotline', action: 'hotline.read', element: <TicketsPage /> },
    { path: 'hotline/callbacks', action: 'hotline.read', element: <CallbacksPage /> },
    { path: 'hotline/knowledge', action: 'hotline.read', element: <KnowledgePage /> },
    { path: 'hotline/persons', action: 'hotline.contacts', element: <PersonsPage /> },
    { path: 'hotline/persons/:id', action: 'hotline.contacts', element: <PersonPage /> },
  ],
  nav: [
    { path: '/hotline', label: 'menu.hlTickets', action: 'hotline.read' },
    { path: '/hotline/callbacks', label: 'menu.hlCallbacks', action: 'hotline.read' },
    { path: '/hotline/knowledge', label: 'menu.hlKnowledge', action: 'hotline.read' },
  ],
});
