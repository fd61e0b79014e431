import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { alarmDetail, listAlarms, rulesInForce, shiftView } from './alarms.queries.js';
import {
  actionBody,
  alarmDetail as alarmDetailReply,
  alarmsQuery,
  alarmsReply,
  assignBody,
  clearOverrideBody,
  noteBody,
  overrideBody,
  overrideParams,
  overridesReply,
  personIdParam,
  resolveBody,
  rulesReply,
  shiftReply,
} from './alarms.schema.js';
import { acknowledgeAlarm, actOnAlarm, assignAlarm, noteAlarm, resolveAlarm } from './lifecycle.js';
import { clearOverride, personOverrides, setOverride } from './overrides.js';

/** Alarms (issue 18, rules part): the queue and history, an alarm's lifecycle, the rules, a person's overrides, the shift. */
export async function alarmRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/alarms/alarms', { config: { access: 'alarms.read' }, schema: { querystring: alarmsQuery, response: { 200: alarmsReply } } }, async (req) =>
    listAlarms(ctx, viewer(req), req.query),
  );
  r.get('/alarms/alarms/:id', { config: { access: 'alarms.read' }, schema: { params: idParam, response: { 200: alarmDetailReply } } }, async (req) =>
    alarmDetail(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/alarms/alarms/:id/ack',
    { config: { access: 'alarms.handle' }, schema: { params: idParam, body: emptyBody, response: { 200: alarmDetailReply } } },
    async (req) => alarmDetail(ctx, viewer(req), await acknowledgeAlarm(ctx, viewer(req), req.params.id)),
  );
  r.post(
    '/alarms/alarms/:id/actions',
    { config: { access: 'alarms.handle' }, schema: { params: idParam, body: actionBody, response: { 200: alarmDetailReply } } },
    async (req) => alarmDetail(ctx, viewer(req), await actOnAlarm(ctx, viewer(req), req.params.id, req.body)),
  );
  r.post(
    '/alarms/alarms/:id/notes',
    { config: { access: 'alarms.handle' }, schema: { params: idParam, body: noteBody, response: { 200: alarmDetailReply } } },
    async (req) => alarmDetail(ctx, viewer(req), await noteAlarm(ctx, viewer(req), req.params.id, req.body)),
  );
  r.post(
    '/alarms/alarms/:id/resolve',
    { config: { access: 'alarms.handle' }, schema: { params: idParam, body: resolveBody, response: { 200: alarmDetailReply } } },
    async (req) => alarmDetail(ctx, viewer(req), await resolveAlarm(ctx, viewer(req), req.params.id, req.body)),
  );
  // the shift supervisor takes a held alarm over or gives it to another operator
  r.post(
    '/alarms/alarms/:id/assign',
    { config: { access: 'alarms.supervise' }, schema: { params: idParam, body: assignBody, response: { 200: alarmDetailReply } } },
    async (req) => alarmDetail(ctx, viewer(req), await assignAlarm(ctx, viewer(req), req.params.id, req.body)),
  );
  r.get('/alarms/rules', { config: { access: 'alarms.read' }, schema: { response: { 200: rulesReply } } }, async (req) => rulesInForce(ctx, viewer(req)));
  r.get(
    '/alarms/persons/:id/overrides',
    { config: { access: 'alarms.read' }, schema: { params: personIdParam, response: { 200: overridesReply } } },
    async (req) => personOverrides(ctx, viewer(req), req.params.id),
  );
  r.put(
    '/alarms/persons/:id/overrides/:ruleKey',
    { config: { access: 'alarms.devices' }, schema: { params: overrideParams, body: overrideBody, response: { 200: overridesReply } } },
    async (req) => setOverride(ctx, viewer(req), req.params.id, req.params.ruleKey, req.body),
  );
  r.post(
    '/alarms/persons/:id/overrides/:ruleKey/clear',
    { config: { access: 'alarms.devices' }, schema: { params: overrideParams, body: clearOverrideBody, response: { 200: overridesReply } } },
    async (req) => clearOverride(ctx, viewer(req), req.params.id, req.params.ruleKey, req.body.reason),
  );
  r.get('/alarms/shift', { config: { access: 'alarms.supervise' }, schema: { response: { 200: shiftReply } } }, async (req) => shiftView(ctx, viewer(req)));
}
