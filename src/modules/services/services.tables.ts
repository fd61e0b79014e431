import type { Generated, Selectable } from 'kysely';

/**
 * Home services, family care beds and meal aid (R6, issue 17). Providers are organisations: a
 * provider-role user's `organisation_id` is a `service_providers.id`, and its staff see only the
 * persons it serves (reach.ts). An order is drawn down from the person's monthly government-purchased
 * entitlement (from the entitlement runs, entitlement.sink.ts); its visit is a verified event
 * (../care-events) with the EVV facts kept here as numbers: precise locations are sealed, and only
 * a ~1 km cell is kept in the clear for the travel check, never a track between check-in and out.
 */

export interface ServiceProviderTable {
  id: Generated<number>;
  name: string;
  /** the jurisdiction (county) whose government buys from it */
  jurisdiction: string;
  /** the region it is registered in (scope of officers) */
  region_code: string;
  /** home_service | canteen | family_bed | mixed */
  kind: string;
  /** 统一社会信用代码 (an organisation's, not personal) */
  credit_code: string | null;
  /** sealed: the contact person's phone */
  contact_phone_enc: string | null;
  contact_name: string | null;
  active: number;
  created_by: number;
  created_at: string;
}

export interface ServiceCaregiverTable {
  id: Generated<number>;
  provider_id: number;
  /** the login the caregiver uses on the phone (a caregiver-role user of the same organisation; a provider-role one is accepted too), null if none */
  user_id: number | null;
  name: string;
  /** sealed */
  phone_enc: string | null;
  /** 1-5 */
  skill_level: number;
  active: number;
  created_at: string;
}

export interface ServiceCertificateTable {
  id: Generated<number>;
  caregiver_id: number;
  /** caregiver (养老护理员职业技能等级证书) | first_aid | health (健康证) | other */
  kind: string;
  number: string;
  issued_on: string;
  /** civil date; null: does not expire */
  expires_on: string | null;
  added_by: number;
  added_at: string;
}

/** A service item with its price and standard duration, per jurisdiction (助餐 助洁 助浴 助行 助医 助急 …). */
export interface ServiceItemTable {
  id: Generated<number>;
  jurisdiction: string;
  /** stable key within the jurisdiction: 'clean_home' */
  code: string;
  /** meal | clean | bath | walk | medical | emergency | other (助餐 助洁 助浴 助行 助医 助急 其他) */
  category: string;
  name_zh: string;
  name_en: string;
  price_fen: number;
  standard_minutes: number;
  active: number;
  updated_by: number;
  updated_at: string;
}

/** A person a provider serves: the home the check-in is measured against, and the elder's card. */
export interface ServiceClientTable {
  id: Generated<number>;
  provider_id: number;
  person_id: number;
  region_code: string;
  /** sealed JSON { lat, lng } (WGS-84) of the home */
  home_enc: string;
  /** the ~1 km cell of the home, 'lat2,lng2' rounded to 0.01° (not identifying: hundreds of homes share it) */
  home_cell: string;
  /** HMAC of the elder's card code (service card): a caregiver's check-out may be confirmed by it */
  card_hash: string | null;
  enrolled_by: number;
  enrolled_at: string;
  ended_at: string | null;
}

/** A person's government-purchased service entitlement for a month, from the latest finished entitlement run. */
export interface ServiceEntitlementTable {
  id: Generated<number>;
  period: string;
  person_id: number;
  region_code: string;
  amount_fen: number;
  /** JSON array of the catalogue items that gave it (and other items the services read, e.g. meal benefits) */
  items: string;
  run_id: number;
  /**
   * the jurisdiction whose run wrote the row (the run's region code: a county's, or a city's for
   * the items the city pays): a person can hold one of each for a month (services/004)
   */
  jurisdiction_code: Generated<string>;
}

export interface ServiceOrderTable {
  id: Generated<number>;
  /** the creator's device/page id: a resend is stored once */
  client_id: string;
  provider_id: number;
  person_id: number;
  region_code: string;
  item_id: number;
  /** the month it draws from, 'YYYY-MM' (of the scheduled date) */
  period: string;
  scheduled_on: string;
  ordered_minutes: number;
  price_fen: number;
  /** the part paid from the entitlement, and the part the elder pays */
  entitled_fen: number;
  self_paid_fen: number;
  /** created | assigned | checked_in | checked_out | rated | cancelled */
  status: string;
  /** officer | provider | visit_followup | green_button */
  created_via: string;
  /** the follow-up (visits) or alarm it came from */
  source_id: number | null;
  caregiver_id: number | null;
  check_in_at: string | null;
  /** sealed JSON { lat, lng, accuracy } */
  check_in_enc: string | null;
  check_in_cell: string | null;
  check_in_accuracy_m: number | null;
  /** metres from the home, computed when recorded */
  check_in_distance_m: number | null;
  check_out_at: string | null;
  check_out_enc: string | null;
  check_out_cell: string | null;
  check_out_accuracy_m: number | null;
  check_out_distance_m: number | null;
  /** JSON array of the item codes done */
  items_done: string | null;
  /** the verified event (care-events) the check-out recorded */
  event_id: number | null;
  rating: number | null;
  rating_by: string | null;
  rated_at: string | null;
  cancel_reason: string | null;
  note: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

/** Every change of an order's state, appended (corrections never overwrite the original record). */
export interface ServiceOrderHistoryTable {
  id: Generated<number>;
  order_id: number;
  /** created | assigned | reassigned | checked_in | checked_out | confirmed | rated | cancelled | corrected */
  action: string;
  /** JSON: what changed, before and after */
  detail: string;
  by_user: number;
  at: string;
}

/**
 * An officer's correction of an order's visit times (a phone's wrong clock, a forgotten check-out):
 * appended, never updated; the order's own check-in and check-out facts stay as recorded. The
 * latest row of an order is its effective start and end (corrections.ts).
 */
export interface ServiceOrderCorrectionTable {
  id: Generated<number>;
  order_id: number;
  /** the order's period (the detector reads a month's corrections by it) */
  period: string;
  provider_id: number;
  /** the corrected start and end (ISO instants) */
  check_in_at: string;
  check_out_at: string;
  /** JSON array of the item codes done, or null: as the check-out recorded them */
  items_done: string | null;
  reason: string;
  corrected_by: number;
  corrected_at: string;
}

/** An EVV exception (Sandata's exception list): a reason code, then the provider's resolution code, then the officer's review. */
export interface ServiceAnomalyTable {
  id: Generated<number>;
  order_id: number;
  provider_id: number;
  region_code: string;
  /** far_checkin | too_short | too_long | overlap | impossible_travel | over_entitlement | cert_expired */
  code: string;
  /** JSON: the figures that raised it (distance, ratio, the other order, speed) */
  detail: string;
  /** open | resolved | accepted | rejected */
  status: string;
  resolution_code: string | null;
  resolution_note: string | null;
  resolved_by: number | null;
  resolved_at: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
  review_note: string | null;
  raised_at: string;
}

/** A provider's month: open while orders come in; closed, its lines frozen and its statement's hash kept. */
export interface ServiceSettlementTable {
  id: Generated<number>;
  provider_id: number;
  period: string;
  /** open | closed */
  status: string;
  accepted: number;
  rejected: number;
  held: number;
  payable_fen: number;
  adjustments_fen: number;
  /** hex SHA-256 of the closed statement's XLSX bytes */
  statement_sha256: string | null;
  closed_by: number | null;
  closed_at: string | null;
}

export interface ServiceSettlementLineTable {
  id: Generated<number>;
  settlement_id: number;
  order_id: number;
  /** accepted | rejected | held | adjustment */
  outcome: string;
  /** JSON array of reason codes */
  reasons: string;
  amount_fen: number;
  /** for an adjustment: the closed month it corrects */
  adjusts_period: string | null;
}

/** The random sample of a month's orders for a feedback call to the elder ("was the care given?"). */
export interface ServiceFeedbackCallTable {
  id: Generated<number>;
  order_id: number;
  provider_id: number;
  period: string;
  /** pending | given | not_given | unreachable */
  outcome: string;
  note_enc: string | null;
  called_by: number | null;
  called_at: string | null;
  drawn_at: string;
}

/** A family care bed (家庭养老床位): a bed at a person's home with its provider, adaptation and devices. */
export interface FamilyCareBedTable {
  id: Generated<number>;
  person_id: number;
  provider_id: number;
  region_code: string;
  /** active | closed */
  status: string;
  opened_on: string;
  closed_on: string | null;
  close_reason: string | null;
  /** JSON [{ item, doneOn }] of the home adaptation done (适老化改造) */
  adaptation: string;
  /** JSON [{ kind, serial, installedOn }] of the devices installed */
  devices: string;
  created_by: number;
  created_at: string;
}

/** A canteen or delivery point (助餐点). */
export interface MealPointTable {
  id: Generated<number>;
  provider_id: number;
  /** the community or village it sits in */
  region_code: string;
  name: string;
  /** canteen | delivery_point */
  kind: string;
  /** JSON array of the community/village codes it serves (its own included) */
  serves: string;
  active: number;
  created_at: string;
}

/** A meal served to a person, priced by the jurisdiction's rules at the time. */
export interface MealServingTable {
  id: Generated<number>;
  client_id: string;
  point_id: number;
  person_id: number;
  region_code: string;
  served_on: string;
  /** breakfast | lunch | dinner */
  meal: string;
  /** dine_in | delivery */
  mode: string;
  price_fen: number;
  discount_fen: number;
  delivery_fen: number;
  paid_fen: number;
  /** JSON array of the rules applied ('age_60', 'age_80', 'free_delivery') */
  rules: string;
  recorded_by: number;
  recorded_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    service_providers: ServiceProviderTable;
    service_caregivers: ServiceCaregiverTable;
    service_certificates: ServiceCertificateTable;
    service_items: ServiceItemTable;
    service_clients: ServiceClientTable;
    service_entitlements: ServiceEntitlementTable;
    service_orders: ServiceOrderTable;
    service_order_history: ServiceOrderHistoryTable;
    service_order_corrections: ServiceOrderCorrectionTable;
    service_anomalies: ServiceAnomalyTable;
    service_settlements: ServiceSettlementTable;
    service_settlement_lines: ServiceSettlementLineTable;
    service_feedback_calls: ServiceFeedbackCallTable;
    family_care_beds: FamilyCareBedTable;
    meal_points: MealPointTable;
    meal_servings: MealServingTable;
  }
}

export type ServiceProviderRow = Selectable<ServiceProviderTable>;
export type ServiceCaregiverRow = Selectable<ServiceCaregiverTable>;
export type ServiceItemRow = Selectable<ServiceItemTable>;
export type ServiceClientRow = Selectable<ServiceClientTable>;
export type ServiceOrderRow = Selectable<ServiceOrderTable>;
export type ServiceAnomalyRow = Selectable<ServiceAnomalyTable>;
export type ServiceSettlementRow = Selectable<ServiceSettlementTable>;
export type FamilyCareBedRow = Selectable<FamilyCareBedTable>;
export type MealPointRow = Selectable<MealPointTable>;
