import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { getAccount, listAccounts, openAccount } from './accounts.js';
import { listChecks, runCheck } from './check.js';
import { deposit, redeem, reverse, transfer } from './movements.js';
import { myAccount, pendingList } from './pending.js';
import { timebankSettingsOf } from './timebank.settings.js';
import { today } from '../../platform/time.js';
import {
  accountDetail,
  accountQuery,
  accountsQuery,
  accountsReply,
  accountView,
  checksQuery,
  checksReply,
  checkView,
  depositBody,
  meQuery,
  meReply,
  movementReply,
  openAccountBody,
  pendingReply,
  redeemBody,
  reverseBody,
  rewardsReply,
  transferBody,
} from './timebank.schema.js';

/** The time bank's routes: accounts and their ledgers, deposits, redemptions, transfers, reversals, checks. */
export async function timebankRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/timebank/accounts', { config: { access: 'timebank.read' }, schema: { querystring: accountsQuery, response: { 200: accountsReply } } }, async (req) =>
    listAccounts(ctx, viewer(req), req.query),
  );

  r.post(
    '/timebank/accounts',
    { config: { access: 'timebank.manage' }, schema: { body: openAccountBody, response: { 201: accountView } } },
    async (req, reply) => {
      const v = await openAccount(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );

  r.get(
    '/timebank/accounts/:id',
    { config: { access: 'timebank.read' }, schema: { params: idParam, querystring: accountQuery, response: { 200: accountDetail } } },
    async (req) => {
      const { account, ledger } = await getAccount(ctx, viewer(req), req.params.id, req.query);
      return { account, ledger };
    },
  );

  r.get('/timebank/me', { config: { access: 'timebank.read' }, schema: { querystring: meQuery, response: { 200: meReply } } }, async (req) => {
    const { account, ledger, pending } = await myAccount(ctx, viewer(req), req.query);
    return { account, ledger, pending };
  });

  r.get('/timebank/pending', { config: { access: 'timebank.read' }, schema: { response: { 200: pendingReply } } }, async (req) =>
    pendingList(ctx, viewer(req)),
  );

  r.post(
    '/timebank/deposits',
    { config: { access: 'timebank.deposit' }, schema: { body: depositBody, response: { 201: movementReply } } },
    async (req, reply) => {
      const v = await deposit(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );

  r.post('/timebank/redemptions', { config: { access: 'timebank.redeem' }, schema: { body: redeemBody, response: { 200: movementReply } } }, async (req) =>
    redeem(ctx, viewer(req), req.body),
  );

  r.post('/timebank/transfers', { config: { access: 'timebank.transfer' }, schema: { body: transferBody, response: { 200: movementReply } } }, async (req) =>
    transfer(ctx, viewer(req), req.body),
  );

  r.post(
    '/timebank/entries/:id/reverse',
    { config: { access: 'timebank.manage' }, schema: { params: idParam, body: reverseBody, response: { 201: movementReply } } },
    async (req, reply) => {
      const v = await reverse(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );

  r.get('/timebank/rewards', { config: { access: 'timebank.read' }, schema: { response: { 200: rewardsReply } } }, async (req) => {
    // the list of the viewer's jurisdiction (a city's officer: the city's own, or the one it inherits)
    const s = timebankSettingsOf(ctx, viewer(req).regionCode);
    return { items: s.rewards, roundMinutes: s.roundMinutes, maxMinutesPerEvent: s.maxMinutesPerEvent };
  });

  r.get('/timebank/checks', { config: { access: 'timebank.read' }, schema: { querystring: checksQuery, response: { 200: checksReply } } }, async (req) =>
    listChecks(ctx, req.query),
  );

  r.post('/timebank/checks', { config: { access: 'timebank.manage' }, schema: { body: emptyBody, response: { 201: checkView } } }, async (req, reply) => {
    const v = await runCheck(ctx, today(), viewer(req));
    void reply.code(201);
    return v;
  });
}
