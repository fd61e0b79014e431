import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { enEntitlements, zhEntitlements } from './i18n-entitlements';
import { enAccount, zhAccount } from './i18n-account';
import { enTrust, zhTrust } from './i18n-trust';

/**
 * The console's strings, zh-CN first. `en` is typed against `zh`, so a key missing in English
 * fails the typecheck. Placeholders are `{name}`.
 */
const zhBase = {
  'app.title': '颐养 · 基本养老服务平台',
  'app.short': '颐养',
  'lang.zh': '中文',
  'lang.en': 'English',

  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.required': '请输入{what}',
  'logout': '退出登录',

  'menu.home': '工作台',
  'menu.register': '老年人名册',
  'menu.imports': '数据导入',
  'menu.importHistory': '导入记录',
  'menu.conflicts': '数据冲突',
  'menu.audit': '审计日志',
  'menu.users': '用户',

  'home.welcome': '您好，{name}',
  'home.role': '角色',
  'home.region': '所辖区域',
  'home.coming': '您所在岗位的功能模块将在后续版本中开放。',

  'common.search': '查询',
  'common.reset': '重置',
  'common.all': '全部',
  'common.loading': '加载中…',
  'common.none': '无',
  'common.total': '共 {n} 条',
  'common.yes': '是',
  'common.no': '否',
  'common.download': '下载',
  'common.close': '关闭',

  'sex.M': '男',
  'sex.F': '女',
  'status.active': '在册',
  'status.closed': '已注销',
  'status.deceased': '已死亡',
  'status.moved_out': '已迁出',
  'status.all': '全部',

  'register.q': '姓名或身份证号',
  'register.region': '区域',
  'register.tags': '标签',
  'register.status': '状态',
  'register.col.name': '姓名',
  'register.col.sex': '性别',
  'register.col.age': '年龄',
  'register.col.id': '身份证号',
  'register.col.village': '村/社区',
  'register.col.tags': '标签',
  'register.col.status': '状态',

  'profile.back': '返回名册',
  'profile.sex': '性别',
  'profile.age': '年龄',
  'profile.birthDate': '出生日期',
  'profile.id': '身份证号',
  'profile.phone': '联系电话',
  'profile.region': '所属区域',
  'profile.status': '状态',
  'profile.closedOn': '注销日期',
  'profile.tags': '标签',
  'profile.reveal': '显示完整',
  'profile.masked': '（脱敏）',
  'profile.revealHint': '查看完整号码会记入审计日志',
  'profile.revealed': '已显示完整{field}，本次查看已记入审计日志',
  'profile.tab.basic': '基本信息',
  'profile.tab.conflicts': '数据冲突',
  'profile.tab.history': '变更历史',
  'profile.tab.access': '访问记录',
  'profile.col.field': '字段',
  'profile.col.value': '值',
  'profile.col.source': '来源部门',
  'profile.col.asOf': '数据日期',
  'profile.col.old': '原值',
  'profile.col.new': '新值',
  'profile.col.at': '时间',
  'profile.col.actor': '操作人',
  'profile.col.role': '角色',
  'profile.col.action': '操作',
  'profile.col.fields': '字段',
  'profile.noConflicts': '没有待处理的数据冲突',

  'conflict.person': '人员',
  'conflict.village': '村社区',
  'conflict.field': '字段',
  'conflict.current': '现值',
  'conflict.incoming': '新值',
  'conflict.keep': '保留现值',
  'conflict.accept': '采用新值',
  'conflict.actions': '处理',
  'conflict.resolved': '已处理',

  'import.source': '来源部门',
  'import.sourcePlaceholder': '请选择来源部门',
  'import.columns': '应有的列',
  'import.required': '必填',
  'import.template': '下载模板',
  'import.asOf': '数据日期',
  'import.mode': '导入方式',
  'import.mode.all': '全部导入，有错则整批不导入',
  'import.mode.valid': '仅导入正确行',
  'import.file': '文件',
  'import.drop': '点击或拖拽文件到此处上传',
  'import.dropHint': '支持 .csv（UTF-8 或 GBK）与 .xlsx，一次一个文件',
  'import.needSource': '请先选择来源部门',
  'import.uploading': '正在导入…',
  'import.success': '导入完成',
  'import.successSub': '{file}：共 {total} 行',
  'import.successPartial': '{file}：共 {total} 行，其中 {bad} 行有误未导入',
  'import.failed': '导入失败',
  'import.errorReport': '下载错误报告',
  'import.errors': '错误明细',
  'import.again': '继续导入',
  'count.total': '总行数',
  'count.bad': '错误行',
  'count.created': '新增',
  'count.updated': '更新',
  'count.unchanged': '未变',
  'count.conflicts': '冲突',
  'count.closed': '注销',
  'err.row': '行号',
  'err.column': '列',
  'err.value': '值',
  'err.reason': '原因',

  'history.at': '时间',
  'history.source': '来源',
  'history.file': '文件',
  'history.asOf': '数据日期',
  'history.status': '状态',
  'history.by': '导入人',
  'history.message': '说明',
  'history.detail': '导入详情',
  'istatus.applied': '已导入',
  'istatus.rejected': '已拒绝',
  'istatus.failed': '失败',
  'istatus.applying': '导入中',

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

  'users.username': '用户名',
  'users.displayName': '姓名',
  'users.role': '角色',
  'users.region': '区域',
  'users.active': '启用',
  'users.lockedUntil': '锁定至',
} as const;

const zh = { ...zhBase, ...zhEntitlements, ...zhTrust, ...zhAccount };
export type MessageKey = keyof typeof zh;

const enBase: Record<keyof typeof zhBase, string> = {
  'app.title': 'Yiyang · Elderly-care platform',
  'app.short': 'Yiyang',
  'lang.zh': '中文',
  'lang.en': 'English',

  'login.title': 'Log in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.required': 'Enter the {what}',
  'logout': 'Log out',

  'menu.home': 'Workbench',
  'menu.register': 'Register',
  'menu.imports': 'Imports',
  'menu.importHistory': 'Import history',
  'menu.conflicts': 'Conflicts',
  'menu.audit': 'Audit log',
  'menu.users': 'Users',

  'home.welcome': 'Hello, {name}',
  'home.role': 'Role',
  'home.region': 'Region',
  'home.coming': 'The module for your role will be available in a later release.',

  'common.search': 'Search',
  'common.reset': 'Reset',
  'common.all': 'All',
  'common.loading': 'Loading…',
  'common.none': 'None',
  'common.total': '{n} in total',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.download': 'Download',
  'common.close': 'Close',

  'sex.M': 'Male',
  'sex.F': 'Female',
  'status.active': 'Registered',
  'status.closed': 'Closed',
  'status.deceased': 'Deceased',
  'status.moved_out': 'Moved out',
  'status.all': 'All',

  'register.q': 'Name or resident ID',
  'register.region': 'Region',
  'register.tags': 'Tags',
  'register.status': 'Status',
  'register.col.name': 'Name',
  'register.col.sex': 'Sex',
  'register.col.age': 'Age',
  'register.col.id': 'Resident ID',
  'register.col.village': 'Village / community',
  'register.col.tags': 'Tags',
  'register.col.status': 'Status',

  'profile.back': 'Back to register',
  'profile.sex': 'Sex',
  'profile.age': 'Age',
  'profile.birthDate': 'Birth date',
  'profile.id': 'Resident ID',
  'profile.phone': 'Phone',
  'profile.region': 'Region',
  'profile.status': 'Status',
  'profile.closedOn': 'Closed on',
  'profile.tags': 'Tags',
  'profile.reveal': 'Show full',
  'profile.masked': ' (masked)',
  'profile.revealHint': 'Viewing the full number is recorded in the audit log',
  'profile.revealed': 'Full {field} shown; this view was recorded in the audit log',
  'profile.tab.basic': 'Details',
  'profile.tab.conflicts': 'Conflicts',
  'profile.tab.history': 'History',
  'profile.tab.access': 'Access log',
  'profile.col.field': 'Field',
  'profile.col.value': 'Value',
  'profile.col.source': 'Source department',
  'profile.col.asOf': 'As of',
  'profile.col.old': 'Old value',
  'profile.col.new': 'New value',
  'profile.col.at': 'Time',
  'profile.col.actor': 'User',
  'profile.col.role': 'Role',
  'profile.col.action': 'Action',
  'profile.col.fields': 'Fields',
  'profile.noConflicts': 'No open conflicts',

  'conflict.person': 'Person',
  'conflict.village': 'Village / community',
  'conflict.field': 'Field',
  'conflict.current': 'Current value',
  'conflict.incoming': 'New value',
  'conflict.keep': 'Keep current',
  'conflict.accept': 'Accept new',
  'conflict.actions': 'Resolve',
  'conflict.resolved': 'Resolved',

  'import.source': 'Source department',
  'import.sourcePlaceholder': 'Choose the source department',
  'import.columns': 'Expected columns',
  'import.required': 'required',
  'import.template': 'Download template',
  'import.asOf': 'Data date',
  'import.mode': 'Mode',
  'import.mode.all': 'All rows; if any row is wrong, import nothing',
  'import.mode.valid': 'Only the correct rows',
  'import.file': 'File',
  'import.drop': 'Click or drag a file here to upload',
  'import.dropHint': '.csv (UTF-8 or GBK) or .xlsx, one file at a time',
  'import.needSource': 'Choose the source department first',
  'import.uploading': 'Importing…',
  'import.success': 'Import complete',
  'import.successSub': '{file}: {total} rows',
  'import.successPartial': '{file}: {total} rows, {bad} with errors were not imported',
  'import.failed': 'Import failed',
  'import.errorReport': 'Download error report',
  'import.errors': 'Row errors',
  'import.again': 'Import another file',
  'count.total': 'Rows',
  'count.bad': 'Bad rows',
  'count.created': 'Created',
  'count.updated': 'Updated',
  'count.unchanged': 'Unchanged',
  'count.conflicts': 'Conflicts',
  'count.closed': 'Closed',
  'err.row': 'Row',
  'err.column': 'Column',
  'err.value': 'Value',
  'err.reason': 'Reason',

  'history.at': 'Time',
  'history.source': 'Source',
  'history.file': 'File',
  'history.asOf': 'Data date',
  'history.status': 'Status',
  'history.by': 'Imported by',
  'history.message': 'Message',
  'history.detail': 'Import details',
  'istatus.applied': 'Applied',
  'istatus.rejected': 'Rejected',
  'istatus.failed': 'Failed',
  'istatus.applying': 'Applying',

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

  'users.username': 'Username',
  'users.displayName': 'Name',
  'users.role': 'Role',
  'users.region': 'Region',
  'users.active': 'Active',
  'users.lockedUntil': 'Locked until',
};
const en: Record<MessageKey, string> = { ...enBase, ...enEntitlements, ...enTrust, ...enAccount };

export type Locale = 'zh-CN' | 'en';
export const LOCALE_KEY = 'yy.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = dictionaries[locale][key];
  return vars ? template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : template;
}

function storedLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

// The API client reads the locale outside React (for Accept-Language); this mirrors the context.
let currentLocale: Locale = storedLocale();
export function getLocale(): Locale {
  return currentLocale;
}

export interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** picks the Chinese or English label a server response carries */
  pick: (zhLabel: string | null | undefined, enLabel: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState<Locale>(storedLocale);
  currentLocale = locale;
  const setLocale = useCallback((l: Locale) => {
    currentLocale = l;
    try {
      localStorage.setItem(LOCALE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
    document.documentElement.lang = l;
    setState(l);
  }, []);
  const value = useMemo<I18n>(() => ({
    locale,
    setLocale,
    t: (key, vars) => translate(locale, key, vars),
    pick: (zhLabel, enLabel) => (locale === 'en' && enLabel ? enLabel : (zhLabel ?? enLabel ?? '')),
  }), [locale, setLocale]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
