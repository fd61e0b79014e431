import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/**
 * The API contract of providers, caregivers with their certificates, service items and clients
 * (issue 17). Routes validate with these; the console imports the inferred types. Money in fen.
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const name = z.string().trim().min(1).max(80);
/** a mainland mobile or a landline with area code */
const phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '电话应为 11 位手机号或带区号的固定电话');

/* ---- providers ---- */

export const providerKind = z.enum(['home_service', 'canteen', 'family_bed', 'mixed']);
export type ProviderKind = z.infer<typeof providerKind>;

export const providerView = z.object({
  id: z.number(),
  name: z.string(),
  kind: providerKind,
  regionCode: z.string(),
  regionName: z.string(),
  creditCode: z.string().nullable(),
  contactName: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  active: z.boolean(),
  /** active caregivers */
  caregivers: z.number().int(),
  /** active clients */
  clients: z.number().int(),
});
export type ProviderView = z.infer<typeof providerView>;
export const providersReply = z.object({ items: z.array(providerView) });
export type ProvidersReply = z.infer<typeof providersReply>;

export const createProviderBody = z
  .object({
    name,
    kind: providerKind,
    regionCode: z.string().trim().min(1).max(20),
    /** 统一社会信用代码: 18 characters */
    creditCode: z
      .string()
      .trim()
      .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码应为 18 位')
      .nullish(),
    contactName: name.nullish(),
    contactPhone: phone.nullish(),
  })
  .strict();
export type CreateProviderBody = z.infer<typeof createProviderBody>;

export const updateProviderBody = z
  .object({
    name: name.optional(),
    active: z.boolean().optional(),
    contactName: name.nullish(),
    contactPhone: phone.nullish(),
  })
  .strict();
export type UpdateProviderBody = z.infer<typeof updateProviderBody>;

/* ---- caregivers and certificates ---- */

export const certificateKind = z.enum(['caregiver', 'first_aid', 'health', 'other']);
export type CertificateKind = z.infer<typeof certificateKind>;
export const certificateStatus = z.enum(['valid', 'expiring', 'expired']);
export type CertificateStatus = z.infer<typeof certificateStatus>;
export const certStatus = z.enum(['valid', 'expiring', 'expired', 'missing']);
export type CertStatus = z.infer<typeof certStatus>;

export const certificateView = z.object({
  id: z.number(),
  kind: certificateKind,
  number: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string().nullable(),
  /** today: expiring = within 30 days */
  status: certificateStatus,
});
export type CertificateView = z.infer<typeof certificateView>;

export const caregiverView = z.object({
  id: z.number(),
  providerId: z.number(),
  providerName: z.string(),
  name: z.string(),
  userId: z.number().nullable(),
  username: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  skillLevel: z.number().int(),
  active: z.boolean(),
  /** of the caregiver certificate (养老护理员): the best one held today; missing when none */
  certStatus,
  certificates: z.array(certificateView),
});
export type CaregiverView = z.infer<typeof caregiverView>;
export const caregiversQuery = z.object({ providerId: z.coerce.number().int().positive().optional() });
export type CaregiversQuery = z.infer<typeof caregiversQuery>;
export const caregiversReply = z.object({ items: z.array(caregiverView) });
export type CaregiversReply = z.infer<typeof caregiversReply>;

const skillLevel = z.number().int().min(1).max(5);
export const createCaregiverBody = z
  .object({
    providerId: z.number().int().positive(),
    name,
    phone: phone.nullish(),
    skillLevel,
    /** an existing provider-role account of the same organisation: the caregiver's phone login */
    username: z.string().trim().min(2).max(64).nullish(),
  })
  .strict();
export type CreateCaregiverBody = z.infer<typeof createCaregiverBody>;

export const updateCaregiverBody = z
  .object({
    name: name.optional(),
    phone: phone.nullish(),
    skillLevel: skillLevel.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateCaregiverBody = z.infer<typeof updateCaregiverBody>;

export const certificateBody = z
  .object({
    kind: certificateKind,
    number: z.string().trim().min(1).max(40),
    issuedOn: civilDate,
    expiresOn: civilDate.nullable(),
  })
  .strict();
export type CertificateBody = z.infer<typeof certificateBody>;

/* ---- service items ---- */

export const itemCategory = z.enum(['meal', 'clean', 'bath', 'walk', 'medical', 'emergency', 'other']);
export type ItemCategory = z.infer<typeof itemCategory>;

export const serviceItemView = z.object({
  id: z.number(),
  code: z.string(),
  category: itemCategory,
  nameZh: z.string(),
  nameEn: z.string(),
  priceFen: z.number().int(),
  standardMinutes: z.number().int(),
  active: z.boolean(),
});
export type ServiceItemView = z.infer<typeof serviceItemView>;
export const itemsReply = z.object({ items: z.array(serviceItemView) });
export type ItemsReply = z.infer<typeof itemsReply>;

/**
 * An item's price a visit, fen: at least 1 fen (a price of 0 would make every order of the item
 * free to the entitlement and to the elder) and at most 10,000 yuan. Checked in items.ts so the
 * refusal names the field and the range in yuan (SERVICE_ITEM_PRICE_RANGE); the console may use
 * the same bounds.
 */
export const ITEM_PRICE_MIN_FEN = 1;
export const ITEM_PRICE_MAX_FEN = 1_000_000;
/** An item's standard duration, minutes: 5 minutes to 12 hours (SERVICE_ITEM_MINUTES_RANGE). */
export const ITEM_MINUTES_MIN = 5;
export const ITEM_MINUTES_MAX = 720;
// integers here; the range is checked in items.ts, whose error says it in words
const priceFen = z.number().int();
const minutes = z.number().int();
export const createItemBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, '编码应为小写字母开头的字母、数字或下划线'),
    category: itemCategory,
    nameZh: name,
    nameEn: name,
    priceFen,
    standardMinutes: minutes,
  })
  .strict();
export type CreateItemBody = z.infer<typeof createItemBody>;

export const updateItemBody = z
  .object({
    nameZh: name.optional(),
    nameEn: name.optional(),
    priceFen: priceFen.optional(),
    standardMinutes: minutes.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateItemBody = z.infer<typeof updateItemBody>;

/* ---- clients ---- */

export const clientView = z.object({
  id: z.number(),
  providerId: z.number(),
  providerName: z.string(),
  personId: z.number(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  enrolledAt: z.string(),
  /** an elder's service card is on record (its code is kept only as a keyed hash) */
  hasCard: z.boolean(),
  active: z.boolean(),
});
export type ClientView = z.infer<typeof clientView>;

export const clientsQuery = z.object({
  ...paging,
  providerId: z.coerce.number().int().positive().optional(),
  /** a name (part of it) */
  q: z.string().trim().max(40).optional(),
  /** also the ended enrolments */
  all: z.enum(['true', 'false']).optional(),
});
export type ClientsQuery = z.infer<typeof clientsQuery>;
export const clientsReply = pageOf(clientView);
export type ClientsReply = z.infer<typeof clientsReply>;

export const createClientBody = z
  .object({
    providerId: z.number().int().positive(),
    personId: z.number().int().positive(),
    /** the home's location (WGS-84): check-ins are measured against it */
    home: z.object({ lat: z.number(), lng: z.number() }).strict(),
    /** the elder's service card: 6-12 digits */
    cardCode: z
      .string()
      .trim()
      .regex(/^\d{6,12}$/, '服务卡号应为 6–12 位数字')
      .nullish(),
  })
  .strict();
export type CreateClientBody = z.infer<typeof createClientBody>;
