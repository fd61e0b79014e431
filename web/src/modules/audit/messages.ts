/** Strings of the audit log and its chain check. `en` is typed against `zh`, so a key missing in English fails the typecheck. */
export const zh = {
  'menu.audit': '审计日志',
  'audit.seq': '序号',
  'audit.at': '时间',
  'audit.actor': '操作人',
  'audit.role': '角色',
  'audit.ip': 'IP',
  'audit.action': '操作',
  'audit.entity': '对象',
  'audit.fields': '字段',
  'audit.entityType': '对象类型',
  'audit.entityId': '对象编号',
  'audit.verify': '校验审计链',
  'audit.verifyOk': '审计链完整：共 {n} 条记录，未发现篡改',
  'audit.verifyBad': '审计链校验发现 {p} 个问题（共 {n} 条记录）',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'menu.audit': 'Audit log',
  'audit.seq': 'Seq',
  'audit.at': 'Time',
  'audit.actor': 'User',
  'audit.role': 'Role',
  'audit.ip': 'IP',
  'audit.action': 'Action',
  'audit.entity': 'Entity',
  'audit.fields': 'Fields',
  'audit.entityType': 'Entity type',
  'audit.entityId': 'Entity ID',
  'audit.verify': 'Verify audit chain',
  'audit.verifyOk': 'Audit chain intact: {n} entries, no tampering found',
  'audit.verifyBad': 'Audit chain check found {p} problems ({n} entries)',
};
