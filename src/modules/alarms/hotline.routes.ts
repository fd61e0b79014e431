import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { callbackDone, listCallbacks } from './callbacks.js';
import { addContact, listContacts, patchContact, revealContact } from './contacts.js';
import {
  articleView,
  callbackDoneBody,
  callbackDoneReply,
  callbacksQuery,
  callbacksReply,
  closeTicketBody,
  contactsReply,
  contactView,
  createArticleBody,
  createContactBody,
  createTicketBody,
  dischargeBody,
  dischargeReply,
  knowledgeQuery,
  knowledgeReply,
  patchArticleBody,
  patchContactBody,
  personIdParam,
  revealContactReply,
  summaryReply,
  ticketDetail,
  createdTicket,
  ticketOrderBody,
  ticketOrderReply,
  ticketsQuery,
  ticketsReply,
} from './hotline.schema.js';
import { createArticle, patchArticle, searchKnowledge } from './knowledge.js';
import { discharge, personSummary } from './summary.js';
import { closeTicket, createTicket, listTickets, orderFromTicket, ticketDetail as readTicket } from './tickets.js';

/** The 24-hour hotline (issue 18): a person's summary and contacts, tickets, return calls, the knowledge base. */
export async function hotlineRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  /* ---- a person ---- */
  r.get(
    '/alarms/persons/:id/summary',
    { config: { access: 'hotline.read' }, schema: { params: personIdParam, response: { 200: summaryReply } } },
    async (req) => personSummary(ctx, viewer(req), req.params.id),
  );
  r.get(
    '/alarms/persons/:id/contacts',
    { config: { access: 'hotline.contacts' }, schema: { params: personIdParam, response: { 200: contactsReply } } },
    async (req) => listContacts(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/alarms/persons/:id/contacts',
    { config: { access: 'hotline.contacts' }, schema: { params: personIdParam, body: createContactBody, response: { 201: contactView } } },
    async (req, reply) => {
      const v = await addContact(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );
  r.patch(
    '/alarms/contacts/:id',
    { config: { access: 'hotline.contacts' }, schema: { params: idParam, body: patchContactBody, response: { 200: contactView } } },
    async (req) => patchContact(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/alarms/contacts/:id/reveal',
    { config: { access: 'hotline.contacts' }, schema: { params: idParam, body: emptyBody, response: { 200: revealContactReply } } },
    async (req) => revealContact(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/alarms/persons/:id/discharge',
    { config: { access: 'hotline.handle' }, schema: { params: personIdParam, body: dischargeBody, response: { 200: dischargeReply } } },
    async (req) => discharge(ctx, viewer(req), req.params.id, req.body),
  );

  /* ---- tickets ---- */
  r.get(
    '/alarms/hotline/tickets',
    { config: { access: 'hotline.read' }, schema: { querystring: ticketsQuery, response: { 200: ticketsReply } } },
    async (req) => listTickets(ctx, viewer(req), req.query),
  );
  r.post(
    '/alarms/hotline/tickets',
    { config: { access: 'hotline.handle' }, schema: { body: createTicketBody, response: { 201: createdTicket } } },
    async (req, reply) => {
      const v = await createTicket(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.get('/alarms/hotline/tickets/:id', { config: { access: 'hotline.read' }, schema: { params: idParam, response: { 200: ticketDetail } } }, async (req) =>
    readTicket(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/alarms/hotline/tickets/:id/close',
    { config: { access: 'hotline.handle' }, schema: { params: idParam, body: closeTicketBody, response: { 200: ticketDetail } } },
    async (req) => closeTicket(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/alarms/hotline/tickets/:id/order',
    { config: { access: 'hotline.handle' }, schema: { params: idParam, body: ticketOrderBody, response: { 200: ticketOrderReply } } },
    async (req) => orderFromTicket(ctx, viewer(req), req.params.id, req.body),
  );

  /* ---- return calls ---- */
  r.get(
    '/alarms/hotline/callbacks',
    { config: { access: 'hotline.read' }, schema: { querystring: callbacksQuery, response: { 200: callbacksReply } } },
    async (req) => listCallbacks(ctx, viewer(req), req.query),
  );
  r.post(
    '/alarms/hotline/callbacks/:id/done',
    { config: { access: 'hotline.handle' }, schema: { params: idParam, body: callbackDoneBody, response: { 200: callbackDoneReply } } },
    async (req) => callbackDone(ctx, viewer(req), req.params.id, req.body),
  );

  /* ---- knowledge ---- */
  r.get(
    '/alarms/hotline/knowledge',
    { config: { access: 'hotline.read' }, schema: { querystring: knowledgeQuery, response: { 200: knowledgeReply } } },
    async (req) => searchKnowledge(ctx, viewer(req), req.query),
  );
  r.post(
    '/alarms/hotline/knowledge',
    { config: { access: 'hotline.knowledge' }, schema: { body: createArticleBody, response: { 201: articleView } } },
    async (req, reply) => {
      const v = await createArticle(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.patch(
    '/alarms/hotline/knowledge/:id',
    { config: { access: 'hotline.knowledge' }, schema: { params: idParam, body: patchArticleBody, response: { 200: articleView } } },
    async (req) => patchArticle(ctx, viewer(req), req.params.id, req.body),
  );
}
