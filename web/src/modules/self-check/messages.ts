/** Strings of the public 养老顾问 self-check (the facts it asks are labelled by `GET /api/facts`). `en` is typed against `zh`, so a key missing in English fails the typecheck. */
export const zh = {
  'sc.title': '养老顾问：查一查我能享受哪些服务',
  'sc.privacy': '本页面不保存您填写的任何信息',
  'sc.intro': '填写老人的基本情况，按本地基本养老服务清单查一查可以享受哪些服务。',
  'sc.birthDate': '出生日期',
  'sc.sex': '性别',
  'sc.urban': '居住在城镇社区',
  'sc.living': '居住状况',
  'sc.submit': '查一查',
  'sc.result': '可以享受的服务（{n} 项）',
  'sc.basis': '按 {period} 测算，依据《{title}》（{effective} 施行）',
  'sc.disclaimer': '结果仅供参考，具体以主管部门审核为准。',
  'sc.login': '工作人员登录',
  'sc.none': '按所填情况，暂未匹配到服务项目',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'sc.title': 'Elderly-care adviser: which services can I receive?',
  'sc.privacy': 'This page does not store anything you enter',
  'sc.intro': 'Describe the older person’s situation to see which services of the local basic elderly-care catalogue apply.',
  'sc.birthDate': 'Birth date',
  'sc.sex': 'Sex',
  'sc.urban': 'Lives in an urban community',
  'sc.living': 'Living situation',
  'sc.submit': 'Check',
  'sc.result': 'Services you can receive ({n})',
  'sc.basis': 'For {period}, by "{title}" (in force from {effective})',
  'sc.disclaimer': 'For reference only; the responsible department decides.',
  'sc.login': 'Staff login',
  'sc.none': 'No service matches the situation entered',
};
