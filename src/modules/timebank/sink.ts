import { registerConfirmationSink, registerVoidSink } from '../care-events/care-events.service.js';
import { everywhere } from '../../platform/scope.js';
import { depositOnConfirmation, reverseDepositOnVoid } from './movements.js';

/**
 * The time bank's hooks into care-events (the module's start hook): a volunteer's event, once
 * confirmed, deposits its hours in the confirmation's own transaction (movements.ts
 * depositOnConfirmation; signed in the audit log as the system, 'timebank-auto'); an event voided
 * after its deposit has the deposit reversed in the void's transaction, signed by the officer who
 * voided it, or the void is refused when the hours were already spent (reverseDepositOnVoid).
 */
export function registerTimebankSink(): void {
  registerConfirmationSink('timebank', async (ctx, trx, event) => {
    await depositOnConfirmation(ctx, trx, event, everywhere('timebank-auto'));
  });
  registerVoidSink('timebank', async (ctx, trx, event, { scope }) => {
    await reverseDepositOnVoid(ctx, trx, event, scope);
  });
}
