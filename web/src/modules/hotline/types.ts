/**
 * The shapes of the hotline's API (issue 18): the types inferred from the server's zod schemas
 * (src/modules/alarms/hotline.schema.ts, alarms.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  ArticleView,
  CallbackDoneBody,
  CallbackDoneReply,
  CallbackOutcome,
  CallbacksReply,
  CallbackView,
  CloseTicketBody,
  ContactRelation,
  ContactsReply,
  ContactView,
  CreateArticleBody,
  CreateContactBody,
  CreateTicketBody,
  KnowledgeItem,
  KnowledgeReply,
  PatchArticleBody,
  PatchContactBody,
  RevealContactReply,
  SummaryReply,
  TicketDetail,
  CreatedTicket,
  TicketKind,
  TicketOutcome,
  TicketsReply,
  TicketView,
} from '../../../../src/modules/alarms/hotline.schema';
export type { OverrideBody, OverridesReply, RulesReply } from '../../../../src/modules/alarms/alarms.schema';
