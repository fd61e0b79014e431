import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/**
 * The 24-hour hotline's API contract (issue 18): emergency contacts, calls as tickets, return calls
 * (回访), the knowledge base beside the catalogue, a person's summary for the operator. Phones and
 * notes are sealed at rest; lists show phones masked, a full number only through the audited reveal.
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD / a date as YYYY-MM-DD');
const note = z.string().trim().max(2000);
/** A phone as typed: digits, with + - spaces and brackets allowed (checked again when sealed). */
const phone = z.string().trim().min(5).max(30);
const words = z.object({ zh: z.string(), en: z.string() });

export const personIdParam = z.object({ id: z.coerce.number().int().positive() });

/* ---- contacts ---- */

export const contactRelation = z.enum(['child', 'spouse', 'relative', 'neighbour', 'friend', 'other']);
export type ContactRelation = z.infer<typeof contactRelation>;

export const contactView = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  relation: contactRelation,
  /** masked for lists: 138****1234; the full number only through POST /contacts/:id/reveal */
  phoneMasked: z.string(),
  /** call order, 1 first */
  rank: z.number().int(),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof contactView>;
export const contactsReply = z.object({ items: z.array(contactView) });
export type ContactsReply = z.infer<typeof contactsReply>;

export const createContactBody = z
  .object({
    name: z.string().trim().min(1).max(40),
    relation: contactRelation,
    phone,
    /** call order; left out: after the others */
    rank: z.number().int().min(1).max(99).optional(),
  })
  .strict();
export type CreateContactBody = z.infer<typeof createContactBody>;
export const patchContactBody = createContactBody.partial().strict();
export type PatchContactBody = z.infer<typeof patchContactBody>;

export const revealContactReply = z.object({ id: z.number(), personId: z.number(), name: z.string(), phone: z.string() });
export type RevealContactReply = z.infer<typeof revealContactReply>;

/* ---- tickets ---- */

export const ticketKind = z.enum(['consultation', 'service_request', 'complaint', 'emergency']);
export type TicketKind = z.infer<typeof ticketKind>;
export const ticketStatus = z.enum(['open', 'closed']);
/** how a call ended: answered (a consultation), referred elsewhere, resolved, not resolved, unfounded (a complaint) */
export const ticketOutcome = z.enum(['answered', 'referred', 'resolved', 'unresolved', 'unfounded']);
export type TicketOutcome = z.infer<typeof ticketOutcome>;

const personRef = z.object({ id: z.number(), name: z.string(), idMasked: z.string() });

/** An earlier call of the same number (found by its keyed hash; the number itself is never compared). */
export const earlierCall = z.object({ id: z.number(), kind: ticketKind, status: ticketStatus, subject: z.string(), openedAt: z.string() });

export const ticketView = z.object({
  id: z.number(),
  kind: ticketKind,
  status: ticketStatus,
  person: personRef.nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  callerName: z.string().nullable(),
  callerPhoneMasked: z.string().nullable(),
  subject: z.string(),
  alarmId: z.number().nullable(),
  articleId: z.number().nullable(),
  articleTitle: z.string().nullable(),
  /** what came of it: 'order:12', 'callback:5' */
  followUp: z.string().nullable(),
  /** the visit follow-up that opened it (a grid worker's or volunteer's finding), if any */
  visitFollowupId: z.number().nullable(),
  operator: z.object({ id: z.number(), name: z.string() }),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  /** complaints: the deadline to close (opened + complaintDays) */
  dueAt: z.string().nullable(),
  /** an open complaint past its deadline */
  overdue: z.boolean(),
  outcome: ticketOutcome.nullable(),
});
export type TicketView = z.infer<typeof ticketView>;

export const ticketDetail = ticketView.extend({
  notes: z.string().nullable(),
  closeNote: z.string().nullable(),
  /** earlier calls of the same number, newest first */
  earlierCalls: z.array(earlierCall),
});
export type TicketDetail = z.infer<typeof ticketDetail>;

/** The call just recorded: a complaint's tracking number, to read out to the caller, is shown this once (null for other kinds). */
export const createdTicket = ticketDetail.extend({ complaintTracking: z.string().nullable() });
export type CreatedTicket = z.infer<typeof createdTicket>;

export const ticketsQuery = z.object({
  ...paging,
  status: ticketStatus.optional(),
  kind: ticketKind.optional(),
  personId: z.coerce.number().int().positive().optional(),
  /** open complaints past their deadline only */
  overdue: z.enum(['true', 'false']).optional(),
});
export type TicketsQuery = z.infer<typeof ticketsQuery>;
export const ticketsReply = pageOf(ticketView);
export type TicketsReply = z.infer<typeof ticketsReply>;

export const createTicketBody = z
  .object({
    kind: ticketKind,
    personId: z.number().int().positive().optional(),
    callerPhone: phone.optional(),
    callerName: z.string().trim().min(1).max(40).optional(),
    subject: z.string().trim().min(1).max(200),
    notes: note.optional(),
    /** the knowledge-base answer given */
    articleId: z.number().int().positive().optional(),
    /** the alarm the call belongs to */
    alarmId: z.number().int().positive().optional(),
  })
  .strict();
export type CreateTicketBody = z.infer<typeof createTicketBody>;

export const closeTicketBody = z.object({ outcome: ticketOutcome, note: note.optional() }).strict();
export type CloseTicketBody = z.infer<typeof closeTicketBody>;

/** A service order for a service-request ticket (services' createOrder; the ticket's follow-up). */
export const ticketOrderBody = z
  .object({
    providerId: z.number().int().positive(),
    itemId: z.number().int().positive(),
    scheduledOn: civilDate,
    minutes: z.number().int().min(5).max(720).optional(),
    /** the elder pays what the month's balance does not cover */
    selfPaidBeyond: z.boolean().default(false),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type TicketOrderBody = z.infer<typeof ticketOrderBody>;
export const ticketOrderReply = z.object({ ticketId: z.number(), orderId: z.number(), created: z.boolean() });
export type TicketOrderReply = z.infer<typeof ticketOrderReply>;

/* ---- return calls ---- */

export const callbackStatus = z.enum(['open', 'done', 'unreachable']);
export type CallbackStatus = z.infer<typeof callbackStatus>;
export const callbackOutcome = z.enum(['satisfied', 'unsatisfied', 'no_answer', 'other']);
export type CallbackOutcome = z.infer<typeof callbackOutcome>;

export const callbackView = z.object({
  id: z.number(),
  person: personRef.nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  alarmId: z.number().nullable(),
  ticketId: z.number().nullable(),
  dueOn: z.string(),
  status: callbackStatus,
  /** open and due before today (Beijing) */
  overdue: z.boolean(),
  /** unanswered attempts so far (the third makes it unreachable) */
  noAnswers: z.number().int(),
  outcome: callbackOutcome.nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.object({ id: z.number(), name: z.string() }).nullable(),
});
export type CallbackView = z.infer<typeof callbackView>;

export const callbacksQuery = z.object({
  ...paging,
  status: z.enum(['open', 'done', 'unreachable', 'all']).default('open'),
  /** due: due today or earlier; overdue: due before today; all: any date */
  due: z.enum(['due', 'overdue', 'all']).default('all'),
  personId: z.coerce.number().int().positive().optional(),
});
export type CallbacksQuery = z.infer<typeof callbacksQuery>;
export const callbacksReply = pageOf(callbackView);
export type CallbacksReply = z.infer<typeof callbacksReply>;

export const callbackDoneBody = z.object({ outcome: callbackOutcome, note: note.optional() }).strict();
export type CallbackDoneBody = z.infer<typeof callbackDoneBody>;
export const callbackDoneReply = callbackView.extend({
  /** what the operator is told: unreachable after the third unanswered call, or attempts left */
  notice: words.nullable(),
});
export type CallbackDoneReply = z.infer<typeof callbackDoneReply>;

/* ---- knowledge ---- */

export const articleView = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  keywords: z.array(z.string()),
  /** the catalogue item the answer is about */
  itemId: z.string().nullable(),
  itemName: z.string().nullable(),
  active: z.boolean(),
  updatedAt: z.string(),
});
export type ArticleView = z.infer<typeof articleView>;

/** A catalogue item as the operator reads it out: who, what, the conditions in words, the department to apply at. */
export const knowledgeItem = z.object({
  id: z.string(),
  no: z.string(),
  name: z.string(),
  target: z.string(),
  content: z.string(),
  department: z.string().nullable(),
  conditions: words,
  amount: words.nullable(),
  /** knowledge-base answers about this item */
  articleIds: z.array(z.number()),
});
export type KnowledgeItem = z.infer<typeof knowledgeItem>;

export const knowledgeQuery = z.object({
  q: z.string().trim().max(100).optional(),
  /** supervisors: withdrawn answers too */
  inactive: z.enum(['true', 'false']).optional(),
});
export type KnowledgeQuery = z.infer<typeof knowledgeQuery>;
export const knowledgeReply = z.object({ articles: z.array(articleView), items: z.array(knowledgeItem) });
export type KnowledgeReply = z.infer<typeof knowledgeReply>;

export const createArticleBody = z
  .object({
    title: z.string().trim().min(1).max(120),
    body: z.string().trim().min(1).max(5000),
    keywords: z.array(z.string().trim().min(1).max(30)).max(30).default([]),
    itemId: z.string().trim().min(1).max(20).nullish(),
  })
  .strict();
export type CreateArticleBody = z.infer<typeof createArticleBody>;
export const patchArticleBody = z
  .object({
    title: z.string().trim().min(1).max(120).optional(),
    body: z.string().trim().min(1).max(5000).optional(),
    keywords: z.array(z.string().trim().min(1).max(30)).max(30).optional(),
    itemId: z.string().trim().min(1).max(20).nullish(),
    active: z.boolean().optional(),
  })
  .strict();
export type PatchArticleBody = z.infer<typeof patchArticleBody>;

/* ---- a person's summary ---- */

export const summaryReply = z.object({
  person: z.object({
    id: z.number(),
    name: z.string(),
    sex: z.string(),
    birthDate: z.string(),
    age: z.number().int(),
    idMasked: z.string(),
    phoneMasked: z.string().nullable(),
    status: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    /** the address a dispatch goes to (the device's installation address, sealed at rest) */
    address: z.string().nullable(),
  }),
  contacts: z.array(contactView),
  devices: z.array(
    z.object({
      id: z.number(),
      serial: z.string(),
      kind: z.string(),
      model: z.string().nullable(),
      status: z.string(),
      link: z.string(),
      battery: z.number().nullable(),
      lastSeenAt: z.string().nullable(),
      installedOn: z.string(),
    }),
  ),
  recentAlarms: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      priority: z.number(),
      state: z.string(),
      raisedAt: z.string(),
      resolvedAt: z.string().nullable(),
      outcome: z.string().nullable(),
    }),
  ),
  recentVisits: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      mode: z.string(),
      performerRole: z.string(),
      startedAt: z.string(),
      durationMinutes: z.number(),
      status: z.string(),
    }),
  ),
  /** the person's own providers first, then those of the village, the town, the county */
  nearestProviders: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      kind: z.string(),
      regionCode: z.string(),
      regionName: z.string(),
      /** serving: the person is its client; village/town/county: where it is registered, nearest first */
      reach: z.enum(['serving', 'village', 'town', 'county']),
    }),
  ),
  openTickets: z.array(ticketView),
  openCallbacks: z.array(callbackView),
});
export type SummaryReply = z.infer<typeof summaryReply>;

export const dischargeBody = z.object({ on: civilDate, note: z.string().trim().max(400).optional() }).strict();
export type DischargeBody = z.infer<typeof dischargeBody>;
export const dischargeReply = z.object({
  personId: z.number(),
  /** the reassessment request raised, or the open one it was linked to */
  requestId: z.number().nullable(),
  /** true: a request was already open and is linked; null requestId: the person is no longer on the register as active */
  linked: z.boolean(),
});
export type DischargeReply = z.infer<typeof dischargeReply>;
