import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * How a jurisdiction's time bank counts and what its hours buy (the seeds say only "时间银行积分兑换
 * 养老服务" and "皋存皋兑", 001 §14). Decided here:
 * - An hour of any volunteer service is an hour (no weighting by kind); a deposit is the confirmed
 *   event's duration rounded down to `roundMinutes`, capped at `maxMinutesPerEvent`.
 * - Hours are portable across every region of the jurisdiction (通存通兑): an account opened in one
 *   village is redeemed in any other.
 * - The rewards are the jurisdiction's list (积分超市): services and goods with their price in minutes.
 */
export const reward = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/),
    kind: z.enum(['service', 'goods']),
    label: z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(60) }).strict(),
    minutes: z.number().int().min(1).max(100_000),
  })
  .strict();
export type Reward = z.infer<typeof reward>;

export const timebankSettings = z
  .object({
    roundMinutes: z.number().int().min(1).max(60),
    maxMinutesPerEvent: z
      .number()
      .int()
      .min(15)
      .max(24 * 60),
    rewards: z.array(reward).max(100),
  })
  .strict();
export type TimebankSettings = z.infer<typeof timebankSettings>;

export const DEFAULT_TIMEBANK: TimebankSettings = {
  roundMinutes: 15,
  maxMinutesPerEvent: 8 * 60,
  rewards: [
    { key: 'home_cleaning', kind: 'service', label: { zh: '上门助洁（1小时）', en: 'Home cleaning (1 hour)' }, minutes: 60 },
    { key: 'companion', kind: 'service', label: { zh: '陪同就医（2小时）', en: 'Companion to the doctor (2 hours)' }, minutes: 120 },
    { key: 'haircut', kind: 'service', label: { zh: '上门理发', en: 'Haircut at home' }, minutes: 30 },
    { key: 'rice_5kg', kind: 'goods', label: { zh: '大米 5 公斤', en: 'Rice, 5 kg' }, minutes: 90 },
    { key: 'cooking_oil', kind: 'goods', label: { zh: '食用油 1 桶', en: 'Cooking oil, 1 bottle' }, minutes: 60 },
  ],
};

export const timebankSetting = defineSetting<TimebankSettings>({
  name: 'timebank',
  label: { zh: '时间银行', en: 'Time bank' },
  description: {
    zh: '志愿服务时长的计入方式（按分钟取整、单次上限）与可兑换的服务和物品（积分超市，每项所需分钟数）。时长在本辖区各村（社区）通存通兑（如皋市规划第14条“皋存皋兑”）。',
    en: 'How volunteer time is counted (rounding, the most one event may deposit) and what it buys (services and goods with their price in minutes). Hours are portable across the jurisdiction (Rugao’s plan item 14).',
  },
  schema: timebankSettings,
  initial: () => DEFAULT_TIMEBANK,
  check(value) {
    const keys = new Set(value.rewards.map((r) => r.key));
    return keys.size === value.rewards.length ? null : { zh: '兑换项目代码重复', en: 'A reward key appears twice' };
  },
});

export function timebankSettingsOf(ctx: AppContext, regionCode: string): TimebankSettings {
  return ctx.settings.get(timebankSetting, regionCode);
}
