/**
 * The shapes of the services API the caregiver's phone reads and writes: the types inferred from the
 * server's zod schemas (src/modules/services/evv.schema.ts, orders.schema.ts), type-only.
 */
export type { CheckInBody, CheckOutBody, ConfirmationBody, MyOrder, MyOrdersReply, PhotoBody, PhotoReply } from '../../../../src/modules/services/evv.schema';
export type { OrderDetail, OrderStatus, RateBody } from '../../../../src/modules/services/orders.schema';
import type { CheckInBody, PhotoReply } from '../../../../src/modules/services/evv.schema';
import type { OrderDetail } from '../../../../src/modules/services/orders.schema';

/** A position as the phone sends it (WGS-84, the device's accuracy in metres). */
export type Fix = CheckInBody['location'];

/** What the server answers a step: the order after a check-in, check-out or rating; the photo's ids. */
export type StepReply = OrderDetail | PhotoReply;

/** What the phone reads of an order to tell a far check-in: any of the answers above that carry it. */
export interface OrderFacts {
  openAnomalies?: string[];
  checkIn?: { distanceM: number | null; accuracyM: number | null } | null;
  /** today's list carries the check-in's distance and accuracy flat */
  checkInDistanceM?: number | null;
  checkInAccuracyM?: number | null;
  anomalies?: { code: string; detail: Record<string, number | string | null> }[];
}
