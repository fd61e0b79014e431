import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';
import { BENEFIT_KINDS } from '../catalogue/catalogue.schema.js';

const words = (zh: number, en: number) => z.object({ zh: z.string().trim().min(1).max(zh), en: z.string().trim().min(1).max(en) }).strict();

/**
 * What the public pages tell an elder and her family (R12), per jurisdiction:
 * - hotline: the number to call, digits and dashes. Seed 001 (如皋, 五(四) 完善老年人信息呼叫及应急
 *   服务) names the city's 24-hour 为老服务热线 68812349; a Rugao deployment sets that. The demo county
 *   (青溪县, made up) gets 12349, the national 民政 elder-service short number, as its demo number.
 * - hours: when the hotline and the town windows answer.
 * - apply: how to apply, step by step in plain words.
 * - window: where to go (the town's service window).
 * - consent: the text shown beside anything the public submits with personal data (the complaint
 *   form's contact details are stored only when the box under it is ticked).
 * - automaticKinds: the catalogue's benefit kinds the monthly run grants without an application
 *   (免申即享: it finds the eligible in the register and pays or insures them); the others are asked
 *   for at the window.
 */
export const publicSettings = z
  .object({
    hotline: z.string().regex(/^[0-9][0-9-]{2,19}$/, 'digits and dashes'),
    hotlineLabel: words(40, 80),
    hours: words(200, 300),
    apply: z.array(words(200, 400)).min(1).max(10),
    window: words(200, 400),
    consent: words(500, 1000),
    automaticKinds: z.array(z.enum(BENEFIT_KINDS)).max(BENEFIT_KINDS.length),
  })
  .strict();
export type PublicSettings = z.infer<typeof publicSettings>;

export const DEFAULT_PUBLIC: PublicSettings = {
  hotline: '12349',
  hotlineLabel: { zh: '为老服务热线', en: 'Elder-service hotline' },
  hours: {
    zh: '热线24小时有人接听；镇（街道）便民服务窗口周一至周五 上午8:30-12:00，下午14:00-17:30',
    en: 'The hotline answers day and night; the town service windows are open Monday to Friday, 8:30-12:00 and 14:00-17:30',
  },
  apply: [
    {
      zh: '先用“我能享受什么”查一查：高龄津贴、养老保险等按月发的钱不用申请，到了年龄会自动发放',
      en: 'First try “What can I get”: monthly money such as the old-age allowance needs no application, it is paid when you reach the age',
    },
    {
      zh: '需要申请的服务：带上老人的身份证、户口本（有低保证、残疾证的一并带上）',
      en: 'For a service you apply for: bring the elder’s ID card and household register (and the minimum-living or disability certificate, if any)',
    },
    {
      zh: '到户籍所在镇（街道）便民服务窗口提出申请；老人行动不便的，家人或村（社区）网格员可以代办',
      en: 'Apply at the service window of the town where the elder is registered; if the elder cannot go, a family member or the village grid worker can apply for them',
    },
    {
      zh: '需要评估的，评估员会预约上门；结果出来后会电话告诉您',
      en: 'If an assessment is needed, an assessor will book a home visit; you will get a phone call with the result',
    },
    {
      zh: '有疑问或对结果不满意，拨打热线或在本网站投诉',
      en: 'Questions, or unhappy with the result: call the hotline or complain on this website',
    },
  ],
  window: {
    zh: '户籍所在镇（街道）便民服务中心的民政（养老服务）窗口',
    en: 'The civil-affairs (elder services) window of the service centre of the town where the elder is registered',
  },
  consent: {
    zh: '我同意把我留下的称呼和电话保存起来，只用于办理本次投诉并联系我；不勾选也可以提交，但我们无法回电，您可以凭查询码查看答复。',
    en: 'I agree that the name and phone number I leave are kept, only to handle this complaint and to contact me. You may submit without ticking, but then we cannot call you back; read the reply with your tracking number.',
  },
  automaticKinds: ['cash_monthly', 'insurance'],
};

export const publicSetting = defineSetting<PublicSettings>({
  name: 'public',
  label: { zh: '公众页面（热线、办事指南、同意书）', en: 'Public pages (hotline, how to apply, consent)' },
  description: {
    zh: '公众页面显示的为老服务热线号码和接听时间、申请步骤、办理窗口、提交个人信息时的同意书，以及哪些服务类别“免申即享”（无需申请，按月自动发放或参保）。',
    en: 'What the public pages show: the elder-service hotline and its hours, the steps to apply, where to go, the consent text shown whenever the public submits personal data, and which kinds of items need no application (免申即享: paid or insured automatically every month).',
  },
  schema: publicSettings,
  initial: () => DEFAULT_PUBLIC,
});

export function publicSettingsOf(ctx: AppContext, regionCode: string): PublicSettings {
  return ctx.settings.get(publicSetting, regionCode);
}
