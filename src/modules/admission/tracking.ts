import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { anonymousScope } from '../../platform/scope.js';
import { facilityById } from '../facilities/directory.js';
import { personLabels } from '../register/people.js';
import { positionHistory, whyPlaced } from './applications.js';
import type { TrackReply } from './admission.schema.js';
import type { AdmissionApplicationRow } from './admission.tables.js';
import { hashInput, normaliseCode } from './tracking-code.js';

/**
 * The public tracking page's answer (no login): the code on the receipt → the place in the queue,
 * the rule that places the applicant there, the history of changes with their reasons, the
 * institution. Nothing identifies the person beyond a masked surname (王**). A wrong, malformed or
 * guessed code is the same plain "not found", after the same reads as a found one (the lookup by
 * hash, the history and the facility, for an id no application has), so neither the message nor
 * the time tells whether a code exists; the route is rate-limited. Every look-up, found or not, is
 * audited (anonymous, with the caller's address), found ones naming the application.
 */
/** The placement a miss explains: no person, the first tier. */
const NOBODY: Omit<AdmissionApplicationRow, 'facility_id'> = {
  id: 0,
  person_id: 0,
  region_code: '',
  bed_type: 'ordinary',
  applied_on: '',
  queue_on: '',
  status: 'waiting',
  code_hash: '',
  tier: 0,
  tier_key: null,
  preferred: 1,
  position: null,
  declines: 0,
  closed_on: null,
  created_by: null,
  created_at: '',
  updated_at: '',
};

export function maskedName(name: string): string {
  const chars = [...name];
  return chars.length ? chars[0] + '*'.repeat(Math.max(chars.length - 1, 2)) : '**';
}

export async function track(ctx: AppContext, typed: string, ip: string | null): Promise<TrackReply> {
  const code = normaliseCode(typed);
  // a malformed code is hashed all the same: the answer's time does not depend on the input's shape
  const hash = ctx.cipher.lookupHash(hashInput(code ?? typed.slice(0, 64)));
  const scope = anonymousScope('tracking', ip);
  const reply = await ctx.db.transaction().execute(async (trx): Promise<TrackReply | null> => {
    const row = code ? await trx.selectFrom('admission_applications').selectAll().where('code_hash', '=', hash).executeTakeFirst() : undefined;
    const hist = await positionHistory(trx, row?.id ?? 0);
    const facility = await facilityById(trx, row?.facility_id ?? 0);
    const labels = await personLabels(trx, [row?.person_id ?? 0]);
    await recordAudit(trx, scope, {
      action: 'admission.track',
      entityType: 'admission_application',
      ...(row ? { entityId: row.id, regionCode: row.region_code } : {}),
      fields: row ? ['position', 'history'] : [],
      detail: { found: Boolean(row) },
    });
    // a miss reads and explains a placement too (of nobody), so that it takes as long as a hit
    const why = await whyPlaced(ctx, trx, row ?? { ...NOBODY, facility_id: 0 });
    if (!row) return null;
    return {
      maskedName: maskedName(labels.get(row.person_id)?.name ?? ''),
      facilityName: facility?.name ?? '',
      bedType: row.bed_type as TrackReply['bedType'],
      appliedOn: row.applied_on,
      status: row.status as TrackReply['status'],
      position: row.position,
      why,
      history: hist,
    };
  });
  // thrown after the transaction: the miss's audit entry is kept
  if (!reply) throw new AppError('ADMISSION_CODE_NOT_FOUND');
  return reply;
}
