/** Strings of the jurisdiction's settings. `en` is typed against `zh`, so a key missing in English fails the typecheck. */
export const zh = {
  'menu.settings': '系统设置',
  'settings.hint': '{jurisdiction}的设置：各地不同的取值（在用的服务清单，以及今后的探访频次、响应时限等）。每次调整须写明依据，并记入审计日志。',
  'settings.name': '设置项',
  'settings.value': '取值',
  'settings.badJson': '取值不是有效的 JSON，请检查括号和引号',
  'settings.count': '{n} 项',
  'settings.parts': '{n} 项参数',
  'settings.initial': '部署默认',
  'settings.inherited': '沿用{from}',
  'settings.jurisdiction': '设置所属地区',
  'settings.description': '说明',
  'settings.setBy': '调整人',
  'settings.note': '调整依据',
  'settings.adjust': '调整',
  'settings.adjustTitle': '调整：{label}',
  'settings.saved': '已保存“{label}”',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'menu.settings': 'Settings',
  'settings.hint':
    'Settings of {jurisdiction}: the values that differ between jurisdictions (the catalogue in force; visit frequencies and response targets to come). Each change needs its basis and is audited.',
  'settings.name': 'Setting',
  'settings.value': 'Value',
  'settings.badJson': 'The value is not valid JSON: check brackets and quotes',
  'settings.count': '{n} items',
  'settings.parts': '{n} parameters',
  'settings.initial': 'deployment default',
  'settings.inherited': "{from}'s value",
  'settings.jurisdiction': 'Settings of',
  'settings.description': 'Description',
  'settings.setBy': 'Set by',
  'settings.note': 'Basis of the change',
  'settings.adjust': 'Change',
  'settings.adjustTitle': 'Change: {label}',
  'settings.saved': '"{label}" saved',
};
