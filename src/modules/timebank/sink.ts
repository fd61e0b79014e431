import { registerConfirmationSink } from '../care-events/care-events.service.js';
import { everywhere } from '../../platform/scope.js';
import { depositOnConfirmation } from './movements.js';

/**
 * The time bank's hook into care-events (the module's start hook): a volunteer's event, once
 * confirmed, deposits its hours in the confirmation's own transaction (movements.ts
 * depositOnConfirmation; signed in the audit log as the system, 'timebank-auto').
 */
export function registerTimebankSink(): void {
  registerConfirmationSink('timebank', async (ctx, trx, event) => {
    await depositOnConfirmation(ctx, trx, event, everywhere('timebank-auto'));
  });
}
