import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * Home services, family care beds and meal aid, per jurisdiction (issue 17). The defaults read the
 * seeds; each open point is decided in the field it touches:
 *
 * - 001 专栏1 (Rugao): government-purchased home services of 50 and 120 yuan a person a month, 2-4
 *   visits. Which catalogue items buy them is per catalogue (`purchased`): for Nanxun, 养老服务补贴 for
 *   elders in economic hardship (nx-15) buys 50 yuan, 养老服务 for disabled local elders of 80+ (nx-11)
 *   120 yuan; Daye's items likewise. A person granted several takes the largest (not the sum: the
 *   seed gives one standard per person).
 * - EVV thresholds (the issue's defaults): check-in farther than 300 m after the reported accuracy,
 *   time on site under 50 % or over 150 % of the ordered minutes, travel faster than 60 km/h; two
 *   visits of one caregiver overlapping by more than `overlapToleranceMinutes`.
 * - Feedback calls: 5 % of a provider's month, drawn reproducibly (the draw is a hash of the month,
 *   the provider and the order, so anyone can re-run it).
 * - Home-service coverage target 18 % (000 §11, 001's table); family care beds ≥ 580 (000 §5);
 *   meal-aid coverage of communities 80 % urban (社区) and 50 % rural (村) (000 §15).
 * - Meals (002 §13, items 9 and 27): a meal's price, a discount from 60 and more from 80, free
 *   delivery for those the catalogue grants free delivery (nx-27); the amounts are the
 *   jurisdiction's, the seed names none, so the defaults are examples an administrator edits.
 * - The jurisdiction's bounds: a check-in outside them is refused as impossible for this platform.
 */
const fen = z.number().int().min(0).max(100_000_000);

export const purchasedItem = z
  .object({
    /** the catalogue item id that buys the service (nx-15) */
    item: z.string().min(1).max(40),
    amountFen: fen,
    /** visits a month the amount is meant to buy (001 专栏1: 2-4); 0: no number. Beyond it orders are self-paid, short of it the month lists the person under-served (visits-per-month.ts) */
    visitsPerMonth: z.number().int().min(0).max(60),
  })
  .strict();

export const serviceSettings = z
  .object({
    purchased: z.array(purchasedItem).max(40),
    farMeters: z.number().int().min(10).max(100_000),
    shortPercent: z.number().int().min(1).max(100),
    longPercent: z.number().int().min(100).max(1000),
    maxSpeedKmh: z.number().int().min(5).max(1000),
    overlapToleranceMinutes: z.number().int().min(0).max(120),
    feedbackPercent: z.number().min(0).max(100),
    coverageTargetPercent: z.number().min(0).max(100),
    bedsTarget: z.number().int().min(0).max(10_000_000),
    mealCoverageUrbanPercent: z.number().min(0).max(100),
    mealCoverageRuralPercent: z.number().min(0).max(100),
    meals: z
      .object({
        priceFen: fen,
        deliveryFen: fen,
        /** discounts by age: the largest one met applies */
        ageDiscounts: z.array(z.object({ fromAge: z.number().int().min(0).max(150), fen }).strict()).max(10),
        /** catalogue items whose holders get delivery free (and this extra discount) */
        freeDeliveryItems: z.array(z.string().min(1).max(40)).max(20),
        hardshipDiscountFen: fen,
      })
      .strict(),
    /** WGS-84 bounds of the jurisdiction: a location outside is refused */
    bounds: z
      .object({
        minLat: z.number().min(-90).max(90),
        maxLat: z.number().min(-90).max(90),
        minLng: z.number().min(-180).max(180),
        maxLng: z.number().min(-180).max(180),
      })
      .strict(),
    /** a check-out photo: the largest accepted, in bytes */
    photoMaxBytes: z.number().int().min(10_000).max(20_000_000),
  })
  .strict();
export type ServiceSettings = z.infer<typeof serviceSettings>;

export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = {
  purchased: [
    { item: 'nx-11', amountFen: 12_000, visitsPerMonth: 4 },
    { item: 'nx-15', amountFen: 5_000, visitsPerMonth: 2 },
    { item: 'dy-17', amountFen: 5_000, visitsPerMonth: 2 },
  ],
  farMeters: 300,
  shortPercent: 50,
  longPercent: 150,
  maxSpeedKmh: 60,
  overlapToleranceMinutes: 0,
  feedbackPercent: 5,
  coverageTargetPercent: 18,
  bedsTarget: 580,
  mealCoverageUrbanPercent: 80,
  mealCoverageRuralPercent: 50,
  meals: {
    priceFen: 1_500,
    deliveryFen: 300,
    ageDiscounts: [
      { fromAge: 60, fen: 300 },
      { fromAge: 80, fen: 500 },
    ],
    freeDeliveryItems: ['nx-27'],
    hardshipDiscountFen: 300,
  },
  // the demo county (a fictional code block) is placed around Nanxun, Huzhou
  bounds: { minLat: 30.7, maxLat: 31.1, minLng: 120.2, maxLng: 120.6 },
  photoMaxBytes: 5_000_000,
};

export const serviceSettingsSetting = defineSetting<ServiceSettings>({
  name: 'home_services',
  label: { zh: '居家上门服务、家庭养老床位与助餐', en: 'Home services, family care beds and meal aid' },
  description: {
    zh: '政府购买服务对应的清单事项与每月金额、上门核验阈值（签到距离、在岗时长比例、行程速度）、回访抽查比例、服务覆盖率目标、家庭养老床位目标、助餐覆盖率目标、助餐价格规则与辖区经纬度范围。默认值依据如皋市规划专栏1、启东市第5、11、15条与南浔区清单第9、27项。',
    en: 'The catalogue items that buy home services and their monthly amounts, visit-verification thresholds (check-in distance, time-on-site ratios, travel speed), the feedback-call share, the coverage target, the family-care-bed target, meal-aid coverage targets, meal price rules and the jurisdiction’s bounds. Defaults from Rugao’s plan box 1, Qidong items 5, 11 and 15 and Nanxun’s list items 9 and 27.',
  },
  schema: serviceSettings,
  initial: () => DEFAULT_SERVICE_SETTINGS,
  check(value) {
    const b = value.bounds;
    if (b.minLat >= b.maxLat || b.minLng >= b.maxLng) return { zh: '辖区经纬度范围的下限应小于上限', en: 'The bounds’ minimum must be below the maximum' };
    if (value.shortPercent >= value.longPercent) return { zh: '过短比例应小于过长比例', en: 'The short ratio must be below the long ratio' };
    const items = new Set<string>();
    for (const p of value.purchased) {
      if (items.has(p.item)) return { zh: `清单事项 ${p.item} 重复`, en: `Catalogue item ${p.item} appears twice` };
      items.add(p.item);
    }
    return null;
  },
});

export function serviceSettingsOf(ctx: AppContext, regionCode: string): ServiceSettings {
  return ctx.settings.get(serviceSettingsSetting, regionCode);
}
