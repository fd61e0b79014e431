import { registerRequestsClosedSink } from '../assessment/requests.js';
import { closeFollowupsOfRequests } from './followups.js';

/**
 * Follow-ups tracked to closure by what they asked for (issue 16; the module's start hook): a
 * reassessment follow-up closes when the assessment request it raised is fulfilled — the person's
 * next assessment approved (assessment's requests-closed sink, in the approval's transaction).
 */
export function registerFollowupClosure(): void {
  registerRequestsClosedSink('visits', async (ctx, trx, scope, closed) => {
    await closeFollowupsOfRequests(ctx, trx, scope, closed);
  });
}
