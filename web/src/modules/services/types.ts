/**
 * The shapes of the home-services API (issue 17): the types inferred from the server's zod schemas
 * (src/modules/services/*.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  AnomaliesReply,
  AnomalyCodesReply,
  AnomalyStatus,
  AnomalyView,
  ReasonCode,
  ResolutionCode,
} from '../../../../src/modules/services/anomalies.schema';
export type {
  CreateOrderBody,
  EntitlementReply,
  FollowupItem,
  FollowupsReply,
  OrderDetail,
  OrderItem,
  OrdersReply,
  OrderStatus,
} from '../../../../src/modules/services/orders.schema';
export type {
  CaregiversReply,
  CaregiverView,
  CertificateKind,
  CertificateView,
  CertStatus,
  ClientsReply,
  ClientView,
  CreateProviderBody,
  ItemCategory,
  ItemsReply,
  ProviderKind,
  ProvidersReply,
  ProviderView,
  ServiceItemView,
} from '../../../../src/modules/services/providers.schema';
export type {
  CoverageReply,
  CoverageRow,
  FeedbackOutcomeValue,
  FeedbackReply,
  FeedbackView,
  LineOutcomeValue,
  SettlementDetail,
  SettlementItem,
  SettlementLineView,
  SettlementsReply,
} from '../../../../src/modules/services/settlement.schema';

import type { OrderDetail } from '../../../../src/modules/services/orders.schema';
/** Where a check-in or check-out was made (distance to the home beside the fix's accuracy). */
export type PlaceFact = NonNullable<OrderDetail['checkIn']>;
