import type { Executor } from '../../db/database.js';
import { systemScope, requireAction, type Scope } from '../../platform/scope.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { ageOn, today } from '../../platform/time.js';
import { requestAssessment } from '../assessment/requests.js';
import { eventsOf } from '../care-events/care-events.service.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels } from '../register/people.js';
import { nearestProviders } from '../services/nearest.js';
import { openCallbacksOf } from './callbacks.js';
import { devicesOfPerson } from './devices.js';
import { contactsOf, personInScope } from './contacts.js';
import type { DischargeBody, DischargeReply, SummaryReply } from './hotline.schema.js';
import { openTicketsOf } from './tickets.js';

/**
 * What the operator sees when a call comes in or an alarm is taken: who the person is (masked ID
 * and phone, the address a dispatch goes to), whom to call (contacts, masked), their devices and
 * recent alarms, recent visits (care-events), the nearest providers, and what is open for them
 * (tickets, return calls). One audited read naming the person and the fields shown.
 */

const RECENT = 10;
const PROVIDERS = 5;

/** The address a dispatch goes to: the active device's installation address, else the latest one's (the register keeps none). */
async function addressOf(ctx: AppContext, db: Executor, personId: number): Promise<string | null> {
  const row = await db
    .selectFrom('alarm_devices')
    .select('address_enc')
    .where('person_id', '=', personId)
    .where('address_enc', 'is not', null)
    .orderBy('status')
    .orderBy('installed_on', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.address_enc ? ctx.cipher.decrypt(row.address_enc) : null;
}

/**
 * The person's latest alarms, newest first, with when each was resolved (the module's own table;
 * rules' recentAlarmsOf answers no resolution time, which the operator's list shows).
 */
async function alarmsOf(db: Executor, personId: number) {
  return db
    .selectFrom('alarms')
    .select(['id', 'kind', 'priority', 'state', 'raised_at', 'resolved_at', 'outcome'])
    .where('person_id', '=', personId)
    .orderBy('raised_at', 'desc')
    .orderBy('id', 'desc')
    .limit(RECENT)
    .execute();
}

/** GET /api/alarms/persons/:id/summary. */
export function personSummary(ctx: AppContext, scope: Scope, personId: number): Promise<SummaryReply> {
  requireAction(scope, 'hotline.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const p = await personInScope(trx, scope, personId);
      const label = (await personLabels(trx, [personId])).get(personId);
      const [cols] = await personColumns(trx, ['id', 'phone_masked'], [personId]);
      if (!label || !cols) throw new AppError('HOTLINE_PERSON_NOT_FOUND', { id: personId });
      const [contacts, devices, alarms, visits, providers, openTickets, openCallbacks] = await Promise.all([
        contactsOf(trx, personId),
        devicesOfPerson(trx, personId),
        alarmsOf(trx, personId),
        eventsOf(trx, { personId, limit: RECENT, status: ['recorded', 'confirmed'] }),
        nearestProviders(trx, personId, p.regionCode, PROVIDERS),
        openTicketsOf(ctx, trx, scope, personId),
        openCallbacksOf(ctx, trx, scope, personId),
      ]);
      const address = await addressOf(ctx, trx, personId);
      return {
        person: {
          id: personId,
          name: label.name,
          sex: label.sex,
          birthDate: label.birthDate,
          age: ageOn(label.birthDate, today()),
          idMasked: label.idMasked,
          phoneMasked: (cols.phone_masked as string | null) ?? null,
          status: label.status,
          regionCode: p.regionCode,
          regionName: ctx.regions
            .path(p.regionCode)
            .filter((r) => r.level !== 'province' && r.level !== 'city')
            .map((r) => r.name)
            .join(' '),
          address,
        },
        contacts,
        devices,
        recentAlarms: alarms.map((a) => ({
          id: a.id,
          kind: a.kind,
          priority: a.priority,
          state: a.state,
          raisedAt: a.raised_at,
          resolvedAt: a.resolved_at,
          outcome: a.outcome,
        })),
        recentVisits: visits.map((v) => ({
          id: v.id,
          kind: v.kind,
          mode: v.mode,
          performerRole: v.performerRole,
          startedAt: v.startedAt,
          durationMinutes: v.durationMinutes,
          status: v.status,
        })),
        nearestProviders: providers.map((n) => ({
          id: n.id,
          name: n.name,
          kind: n.kind,
          regionCode: n.regionCode,
          regionName: ctx.regions.get(n.regionCode)?.name ?? n.regionCode,
          reach: n.reach,
        })),
        openTickets,
        openCallbacks,
      };
    },
    (r) => ({
      action: 'hotline.person_summary',
      entityType: 'person',
      entityId: personId,
      regionCode: r.person.regionCode,
      fields: ['name', 'idNumber', 'phone', 'address', 'contacts', 'devices', 'alarms', 'visits', 'tickets', 'callbacks'],
      persons: [personId, ...r.openTickets.flatMap((t) => (t.person ? [t.person.id] : []))],
    }),
  );
}

/**
 * POST /api/alarms/persons/:id/discharge: the hotline hears the person is out of hospital — a
 * reassessment (assessment's requestAssessment, reason 'change'). Operators do not ask for
 * assessments themselves (assessments.request): the platform asks on the call's behalf, signed
 * with the operator's name, as a real fall's resolve does. An open request already there is
 * linked, not an error; a person no longer active gets none.
 */
export async function discharge(ctx: AppContext, scope: Scope, personId: number, body: DischargeBody): Promise<DischargeReply> {
  requireAction(scope, 'hotline.handle');
  return ctx.db.transaction().execute(async (trx) => {
    const p = await personInScope(trx, scope, personId);
    // the platform of the person's county asks
    const j = ctx.regions.jurisdictionOf(p.regionCode);
    const platform = systemScope(j?.code ?? '', j?.prefix ?? '', `hotline (${scope.username})`);
    const note = `出院（${body.on}），热线获知${body.note ? `：${body.note}` : ''} / discharged from hospital on ${body.on}, reported to the hotline`;
    let requestId: number | null;
    let linked = false;
    try {
      requestId = (await requestAssessment(ctx, platform, personId, { reason: 'change', note: note.slice(0, 500) }, { trx })).id;
    } catch (e) {
      if (e instanceof AppError && e.code === 'ASSESSMENT_REQUEST_OPEN') {
        requestId = Number((e.params as { id: number }).id);
        linked = true;
      } else if (e instanceof AppError && e.code === 'ASSESSMENT_PERSON_INACTIVE') requestId = null;
      else throw e;
    }
    await recordAudit(trx, scope, {
      action: 'hotline.discharge',
      entityType: 'person',
      entityId: personId,
      regionCode: p.regionCode,
      fields: body.note ? ['dischargedOn', 'note'] : ['dischargedOn'],
      detail: { on: body.on, request: requestId, linked },
    });
    return { personId, requestId, linked };
  });
}
