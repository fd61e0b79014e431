/**
 * The one error catalogue. Domain code throws `AppError(code, params)`; only the HTTP error
 * handler turns it into a response `{ error: { code, message, details } }`. Every code has an
 * HTTP status and a message in zh-CN and English; `{name}` placeholders are filled from params.
 */
export const errorCatalogue = {
  VALIDATION: { status: 400, zh: '请求参数有误：{detail}', en: 'Invalid request: {detail}' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in' },
  LOGIN_FAILED: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，请于 {until} 后再试', en: 'Too many failed logins: try again after {until}' },
  PASSWORD_TOO_SHORT: { status: 422, zh: '密码至少需要 {min} 个字符', en: 'The password must be at least {min} characters long' },
  PASSWORD_CLASSES: { status: 422, zh: '密码需包含小写字母、大写字母、数字、符号中的至少 {min} 类（现有 {n} 类）', en: 'The password must mix at least {min} of: lower-case letters, upper-case letters, digits, symbols (it has {n})' },
  PASSWORD_HAS_USERNAME: { status: 422, zh: '密码不能包含用户名', en: 'The password must not contain the username' },
  PASSWORD_COMMON: { status: 422, zh: '该密码过于常见，容易被猜中，请换一个', en: 'This password is too common and easily guessed; choose another' },
  PASSWORD_REUSED: { status: 422, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  PASSWORD_CURRENT_WRONG: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_RESET_SELF: { status: 409, zh: '不能重置自己的密码，请使用“修改密码”', en: 'You cannot reset your own password; use Change password' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  FORBIDDEN: { status: 403, zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  CSRF: { status: 403, zh: '页面已过期（CSRF 校验失败），请刷新后重试', en: 'Page expired (CSRF check failed); reload and try again' },
  NOT_FOUND: { status: 404, zh: '未找到{what}', en: '{whatEn} not found' },
  CONFLICT: { status: 409, zh: '{detail}', en: '{detail}' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '文件超过上传上限 {limitMb} MB', en: 'File exceeds the upload limit of {limitMb} MB' },
  UPLOAD_ONE_FILE: { status: 400, zh: '一次只能上传一个文件', en: 'Upload one file at a time' },
  IMPORT_EMPTY: { status: 422, zh: '文件为空：没有表头或没有数据行', en: 'The file is empty: no header or no data rows' },
  IMPORT_ENCODING: { status: 422, zh: '无法识别文件编码（{detail}）：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX', en: 'Unrecognised file encoding ({detail}): save as CSV in UTF-8 or GBK, or as XLSX' },
  IMPORT_FORMAT: { status: 422, zh: '文件格式错误：{detail}', en: 'Malformed file: {detail}' },
  IMPORT_COLUMNS: { status: 422, zh: '表头不符合“{source}”的列定义：{detail}', en: 'Header does not match the "{source}" column map: {detail}' },
  IMPORT_ROWS: { status: 422, zh: '有 {bad} 行数据有误，整个文件未导入；请下载错误报告，修正后重新导入', en: '{bad} rows have errors, so nothing in the file was imported; download the error report, fix the file and import it again' },
  UNKNOWN_SOURCE: { status: 400, zh: '未知的数据来源部门：{source}', en: 'Unknown source department: {source}' },
  CATALOGUE_INVALID: { status: 422, zh: '服务清单文件 {file} 有 {count} 处错误，未载入。第一处：{first}', en: 'Catalogue file {file} has {count} problems and was not loaded. First: {first}' },
  CATALOGUE_NONE: { status: 422, zh: '{period} 没有生效的服务清单（{jurisdiction}）', en: 'No catalogue in force for {period} ({jurisdiction})' },
  PARAMETERS_UNSET: { status: 422, zh: '以下参数在 {period} 尚未设定，请管理员先在“服务清单—参数”中设定：{names}', en: 'These parameters have no value for {period}; an administrator must set them first: {names}' },
  RUN_BUSY: { status: 409, zh: '{period} 的测算正在进行（第 {id} 次），请等待其完成', en: 'A run for {period} is already in progress (run {id}); wait for it to finish' },
  ROLL_FROZEN: { status: 409, zh: '名册已审核通过并冻结，不能再修改', en: 'The roll is approved and frozen; it cannot be changed' },
  ROLL_STALE: { status: 409, zh: '名册所依据的测算已过时，请重新测算本月后再审核。{reason}', en: 'The run behind this roll is out of date: run the month again before approving. {reasonEn}' },
  ROLL_PAID: { status: 409, zh: '同一月份、项目和镇街已有审核通过的名册（第 {id} 号），不能重复发放', en: 'An approved roll for the same month, item and town already exists (no. {id}): it cannot be paid twice' },
  MAKER_CHECKER: { status: 403, zh: '提交或修改过名册的人不能审核或退回它，请由另一位审核人办理', en: 'Whoever submitted or edited a roll cannot check it: another checker must approve or return it' },
  INTERNAL: { status: 500, zh: '服务器内部错误，请联系管理员（编号 {ref}）', en: 'Internal error; contact the administrator (ref {ref})' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type Locale = 'zh-CN' | 'en';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly details: unknown;
  constructor(code: ErrorCode, params: Record<string, string | number> = {}, details?: unknown) {
    super(formatMessage(code, params, 'en'));
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.details = details;
  }
  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

/**
 * The message in the viewer's language. A free-text parameter (e.g. `detail`) may come with its
 * English twin (`detailEn`), which the English message uses in its place.
 */
export function formatMessage(code: ErrorCode, params: Record<string, string | number>, locale: Locale): string {
  const template = locale === 'en' ? errorCatalogue[code].en : errorCatalogue[code].zh;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String((locale === 'en' ? params[`${k}En`] : undefined) ?? params[k] ?? `{${k}}`));
}

export const notFound = (what: string, whatEn: string) => new AppError('NOT_FOUND', { what, whatEn });
