import { fields as registerFields } from '../../../src/modules/register/sources/fields';
import { factLabels } from './fact-labels';
import type { Locale } from './i18n-core';

/** Labels of codes the server sends as keys: roles, tags. Chinese first, English second. */
type Labels = Record<string, { zh: string; en: string }>;

export const roleLabels: Labels = {
  bureau_admin: { zh: '民政局管理员', en: 'Bureau admin' },
  town_officer: { zh: '镇街工作人员', en: 'Town officer' },
  grid_worker: { zh: '村社区网格员', en: 'Grid worker' },
  assessor: { zh: '评估员', en: 'Assessor' },
  provider: { zh: '服务商', en: 'Service provider' },
  institution_staff: { zh: '养老机构工作人员', en: 'Institution staff' },
  hotline_operator: { zh: '热线接线员', en: 'Hotline operator' },
  inspector: { zh: '监管人员', en: 'Inspector' },
  system: { zh: '系统', en: 'System' },
};

export const tagLabels: Labels = {
  living_alone: { zh: '独居', en: 'Living alone' },
  empty_nest: { zh: '空巢', en: 'Empty nest' },
  left_behind: { zh: '留守', en: 'Left behind' },
  solitary: { zh: '孤寡', en: 'Without family' },
  special_family: { zh: '计生特殊家庭', en: 'Special family' },
  dibao: { zh: '低保', en: 'Dibao' },
  dibao_edge: { zh: '低保边缘', en: 'Near-dibao' },
  tekun_dispersed: { zh: '特困(分散)', en: 'Extreme poverty (home)' },
  tekun_concentrated: { zh: '特困(集中)', en: 'Extreme poverty (institution)' },
  disabled: { zh: '残疾', en: 'Disabled' },
  ltc: { zh: '长护险失能', en: 'LTC disability' },
  veteran: { zh: '优抚对象', en: 'Veteran' },
  special_contribution: { zh: '特殊贡献', en: 'Special contribution' },
  vagrant: { zh: '流浪乞讨救助', en: 'Vagrant under relief' },
  age80: { zh: '80岁以上', en: '80+' },
  age90: { zh: '90岁以上', en: '90+' },
  age100: { zh: '百岁老人', en: 'Centenarian' },
};

export const tagKeys = Object.keys(tagLabels);

/** Tag colours group the kinds: living situation, hardship, health, age. */
export const tagColors: Record<string, string> = {
  living_alone: 'orange', empty_nest: 'orange', left_behind: 'orange', solitary: 'volcano',
  special_family: 'magenta', dibao: 'gold', dibao_edge: 'gold', tekun_dispersed: 'red', tekun_concentrated: 'red',
  disabled: 'purple', ltc: 'purple', veteran: 'cyan', special_contribution: 'cyan', vagrant: 'red', age80: 'blue', age90: 'geekblue', age100: 'geekblue',
};

export function label(labels: Labels, key: string, locale: Locale): string {
  const l = labels[key];
  return l ? (locale === 'en' ? l.en : l.zh) : key;
}

/**
 * Audit actions the foundation writes. An action not listed shows as its code, so a new action
 * never disappears from the log, it only lacks a friendly name until added here.
 */
export const auditActionLabels: Labels = {
  'auth.login': { zh: '登录', en: 'Log in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed login' },
  'auth.logout': { zh: '退出登录', en: 'Log out' },
  'person.read': { zh: '查看档案', en: 'View profile' },
  'person.reveal': { zh: '显示完整号码', en: 'Reveal full number' },
  'register.search': { zh: '查询名册', en: 'Search register' },
  'register.import': { zh: '导入数据', en: 'Import' },
  'register.import_rejected': { zh: '导入被拒绝', en: 'Import rejected' },
  'register.error_report': { zh: '下载错误报告', en: 'Download error report' },
  'register.resolve_conflict': { zh: '处理数据冲突', en: 'Resolve conflict' },
  'audit.verify': { zh: '校验审计链', en: 'Verify audit chain' },
  'audit.rekey': { zh: '审计链启用密钥', en: 'Audit chain keyed' },
  'auth.login_locked_out': { zh: '锁定期间尝试登录', en: 'Login tried while locked out' },
  'users.create': { zh: '创建用户', en: 'Create user' },
  'users.password_changed': { zh: '修改密码', en: 'Change password' },
  'users.password_change_refused': { zh: '修改密码被拒绝', en: 'Password change refused' },
  'users.password_reset': { zh: '重置密码', en: 'Reset password' },
  'catalogue.set_parameter': { zh: '调整参数', en: 'Set parameter' },
  'entitlements.run_start': { zh: '开始测算', en: 'Start run' },
  'entitlements.run_resume': { zh: '续算', en: 'Resume run' },
  'entitlements.run_finish': { zh: '测算完成', en: 'Run finished' },
  'entitlements.person_read': { zh: '查看待遇', en: 'View entitlements' },
  'entitlements.handle_change': { zh: '跟进变动', en: 'Follow up change' },
  'entitlements.export_roster': { zh: '下载名单', en: 'Download roster' },
  'rolls.edit_line': { zh: '暂停/恢复发放', en: 'Hold or restore a line' },
  'rolls.submit': { zh: '提交名册', en: 'Submit roll' },
  'rolls.approve': { zh: '审核通过名册', en: 'Approve roll' },
  'rolls.return': { zh: '退回名册', en: 'Return roll' },
  'rolls.export': { zh: '下载名册', en: 'Download roll' },
  'rolls.read': { zh: '查看名册', en: 'View roll' },
  'auth.locked': { zh: '登录失败并被锁定', en: 'Failed login, locked out' },
  'entitlements.changes_read': { zh: '查看变动清单', en: 'View change list' },
  'entitlements.roster_read': { zh: '查看名单', en: 'View roster' },
  'register.conflicts_read': { zh: '查看数据冲突', en: 'View conflicts' },
  'settings.set': { zh: '调整设置', en: 'Change setting' },
};

/** Entity types in the audit log. */
export const entityTypeLabels: Labels = {
  person: { zh: '人员', en: 'Person' },
  import: { zh: '导入', en: 'Import' },
  user: { zh: '用户', en: 'User' },
  conflict: { zh: '冲突', en: 'Conflict' },
  roll: { zh: '发放名册', en: 'Payment roll' },
  run: { zh: '测算', en: 'Run' },
  parameter: { zh: '参数', en: 'Parameter' },
  setting: { zh: '设置', en: 'Setting' },
};

/**
 * A field named in an audit entry, in words: the register's fields by their declared labels
 * (src/modules/register/sources/fields.ts), then the person facts; anything else (a parameter or
 * setting name) as its code.
 */
export function auditFieldLabel(key: string, locale: Locale): string {
  const f = (registerFields as Record<string, { label: string; labelEn: string } | undefined>)[key];
  if (f) return locale === 'en' ? f.labelEn : f.label;
  return label(factLabels, key, locale);
}

export function auditFieldList(keys: string[], locale: Locale): string {
  return keys.map((k) => auditFieldLabel(k, locale)).join(locale === 'en' ? ', ' : '、');
}
