/**
 * The one error catalogue. Domain code throws `AppError(code, params)`; only the HTTP error
 * handler turns it into a response `{ error: { code, message, details } }`. Every code has an
 * HTTP status and a message in zh-CN and English; `{name}` placeholders are filled from params,
 * whose types follow from the templates (see `ErrorParams`), so a throw that forgets a parameter
 * or passes one the message does not use does not compile. There is no free-text hole: a value
 * that differs by language is a `Text` (a label both languages declare), never a sentence built
 * at the throw site.
 */
export const errorCatalogue = {
  VALIDATION: { status: 400, zh: '请求参数有误：{issues}', en: 'Invalid request: {issues}' },
  REQUEST_MALFORMED: { status: 400, zh: '请求格式有误', en: 'Malformed request' },
  FORM_TOO_MANY_FIELDS: { status: 400, zh: '表单字段过多', en: 'Too many form fields' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in' },
  LOGIN_FAILED: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，请于 {until} 后再试', en: 'Too many failed logins: try again after {until}' },
  PASSWORD_TOO_SHORT: { status: 422, zh: '密码至少需要 {min} 个字符', en: 'The password must be at least {min} characters long' },
  PASSWORD_CLASSES: {
    status: 422,
    zh: '密码需包含小写字母、大写字母、数字、符号中的至少 {min} 类（现有 {n} 类）',
    en: 'The password must mix at least {min} of: lower-case letters, upper-case letters, digits, symbols (it has {n})',
  },
  PASSWORD_HAS_USERNAME: { status: 422, zh: '密码不能包含用户名', en: 'The password must not contain the username' },
  PASSWORD_COMMON: { status: 422, zh: '该密码过于常见，容易被猜中，请换一个', en: 'This password is too common and easily guessed; choose another' },
  PASSWORD_REUSED: { status: 422, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  PASSWORD_CURRENT_WRONG: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_RESET_SELF: { status: 409, zh: '不能重置自己的密码，请使用“修改密码”', en: 'You cannot reset your own password; use Change password' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  FORBIDDEN: { status: 403, zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  EXPORT_FULL_FORBIDDEN: {
    status: 403,
    zh: '当前角色无权导出完整身份证号和电话：请导出脱敏版本',
    en: 'Your role may not export full ID and phone numbers: export the masked list',
  },
  EXPORT_TOO_LARGE: {
    status: 422,
    zh: '符合条件的有 {count} 条，超过一次导出的上限 {max} 条：请缩小范围（地区、条件或日期）后分批导出',
    en: '{count} rows match, more than the {max} one export may hold: narrow the filter (region, conditions or dates) and export in parts',
  },
  CSRF: { status: 403, zh: '页面已过期（CSRF 校验失败），请刷新后重试', en: 'Page expired (CSRF check failed); reload and try again' },
  NOT_FOUND: { status: 404, zh: '未找到{what}', en: '{what} not found' },
  ITEM_NOT_FOUND: { status: 404, zh: '未找到事项“{item}”', en: 'Item "{item}" not found' },
  ITEM_NOT_LISTED: {
    status: 404,
    zh: '事项“{item}”按月发放，没有人员名单：请查看其发放名册或变动清单',
    en: 'Item "{item}" is paid monthly and has no list of persons: see its payment rolls or the change list',
  },
  PARAMETER_NOT_FOUND: { status: 404, zh: '未找到参数“{name}”', en: 'Parameter "{name}" not found' },
  USERNAME_FORMAT: { status: 400, zh: '用户名“{username}”应为 2–64 个字母、数字或 . _ -', en: 'Username "{username}" must be 2–64 letters, digits, . _ -' },
  ROLE_UNKNOWN: { status: 400, zh: '未知的角色：{role}', en: 'Unknown role: {role}' },
  REGION_UNKNOWN: { status: 400, zh: '未知的地区代码：{region}', en: 'Unknown region code: {region}' },
  USERNAME_TAKEN: { status: 409, zh: '用户名 {username} 已存在', en: 'Username {username} is taken' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '请先修改管理员设置的初始密码', en: 'Change the password an administrator set for you first' },
  ACCOUNT_DISABLED: { status: 403, zh: '该账号已停用，请联系管理员', en: 'This account is disabled; contact your administrator' },
  USER_SELF_CHANGE: { status: 409, zh: '不能停用自己，也不能更改自己的角色或区域', en: 'You cannot disable yourself or change your own role or region' },
  REGION_OUT_OF_SCOPE: { status: 403, zh: '区域 {region} 不在您的管辖范围内', en: 'Region {region} is outside your area' },
  ORGANISATION_REQUIRED: {
    status: 400,
    zh: '服务商和养老机构工作人员须填写所属机构编号',
    en: 'Provider and institution staff need the number of their organisation',
  },
  ORGANISATION_NOT_ALLOWED: {
    status: 400,
    zh: '只有服务商和养老机构工作人员属于机构，请不要填写机构编号',
    en: 'Only provider and institution staff belong to an organisation: leave its number empty',
  },
  CONFLICT_RESOLVED: { status: 409, zh: '该冲突已处理', en: 'This conflict is already resolved' },
  CONFLICT_FIELD_LOCKED: { status: 409, zh: '“{field}”不能通过冲突处理修改', en: '{field} cannot be changed by resolving a conflict' },
  CONFLICTS_CHANGED: {
    status: 409,
    zh: '待处理的冲突已有变化：现为 {count} 条，确认时为 {expected} 条；请刷新后重新确认',
    en: 'The open conflicts have changed: {count} now, {expected} when you confirmed; refresh and confirm again',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '文件超过上传上限 {limitMb} MB', en: 'File exceeds the upload limit of {limitMb} MB' },
  UPLOAD_ONE_FILE: { status: 400, zh: '一次只能上传一个文件', en: 'Upload one file at a time' },
  UPLOAD_MISSING: { status: 400, zh: '没有收到文件', en: 'No file received' },
  IMPORT_MODE: { status: 400, zh: '导入方式“{mode}”应为 all 或 valid', en: 'Import mode "{mode}" must be all or valid' },
  IMPORT_AS_OF: { status: 400, zh: '数据日期“{asOf}”应为不晚于今天的日期 YYYY-MM-DD', en: 'Data date "{asOf}" must be a date YYYY-MM-DD no later than today' },
  IMPORT_EMPTY: { status: 422, zh: '文件为空：没有表头或没有数据行', en: 'The file is empty: no header or no data rows' },
  IMPORT_ENCODING: {
    status: 422,
    zh: '无法识别文件编码（{encoding}）：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX',
    en: 'Unrecognised file encoding ({encoding}): save as CSV in UTF-8 or GBK, or as XLSX',
  },
  IMPORT_BINARY: {
    status: 422,
    zh: '文件是二进制文件，不是 CSV：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX',
    en: 'The file is binary, not CSV: save as CSV in UTF-8 or GBK, or as XLSX',
  },
  IMPORT_CSV_QUOTE: { status: 422, zh: '文件格式错误：第 {line} 行开始的引号没有闭合', en: 'Malformed file: unclosed quote starting near line {line}' },
  IMPORT_CSV_FORMAT: { status: 422, zh: '文件格式错误：第 {line} 行无法读取（{csvCode}）', en: 'Malformed file: line {line} cannot be read ({csvCode})' },
  IMPORT_XLSX_TAG: { status: 422, zh: '文件格式错误：XLSX 中有异常长的标记', en: 'Malformed file: an oversized XML tag in the XLSX' },
  IMPORT_XLSX_INVALID: { status: 422, zh: '文件格式错误：不是有效的 XLSX 文件', en: 'Malformed file: not a valid XLSX file' },
  IMPORT_COLUMNS: {
    status: 422,
    zh: '表头不符合“{source}”的列定义（未知的列：{unknown}；重复的列：{duplicated}；缺少必需的列：{missing}）',
    en: 'Header does not match the "{source}" column map (unknown columns: {unknown}; duplicated columns: {duplicated}; missing required columns: {missing})',
  },
  IMPORT_ROWS: {
    status: 422,
    zh: '有 {bad} 行数据有误，整个文件未导入；请下载错误报告，修正后重新导入',
    en: '{bad} rows have errors, so nothing in the file was imported; download the error report, fix the file and import it again',
  },
  UNKNOWN_SOURCE: { status: 400, zh: '未知的数据来源部门：{source}', en: 'Unknown source department: {source}' },
  CATALOGUE_INVALID: {
    status: 422,
    zh: '服务清单文件 {file} 有 {count} 处错误，未载入。第一处：{first}',
    en: 'Catalogue file {file} has {count} problems and was not loaded. First: {first}',
  },
  CATALOGUE_NONE: { status: 422, zh: '{period} 没有生效的服务清单（{jurisdiction}）', en: 'No catalogue in force for {period} ({jurisdiction})' },
  PARAMETERS_UNSET: {
    status: 422,
    zh: '以下参数在 {period} 尚未设定，请管理员先在“服务清单—参数”中设定：{names}',
    en: 'These parameters have no value for {period}; an administrator must set them first: {names}',
  },
  PARAM_NOTE_REQUIRED: { status: 400, zh: '请填写调整依据（文件名或说明）', en: 'Give the basis of the change (a document or a note)' },
  PARAM_DATE_FORMAT: { status: 400, zh: '生效日期“{date}”应为 YYYY-MM-DD', en: 'Effective date "{date}" must be YYYY-MM-DD' },
  CHANGE_NOT_YOURS: {
    status: 403,
    zh: '{name}的变动由{name}的工作人员跟进，您可以查看',
    en: "{name}'s changes are followed up by {name}'s own staff: you may read them",
  },
  RUN_NOT_YOURS: {
    status: 403,
    zh: '{name}的待遇测算由{name}民政部门开始，您可以查看进度和结果',
    en: "{name}'s runs are started by {name}'s own bureau: you can follow them and read their results",
  },
  SELF_CHECK_PLACE: {
    status: 400,
    zh: '请先选择您户籍或居住所在的县（市、区）：各地的服务清单不同',
    en: 'Choose your county first: each county has its own catalogue',
  },
  CATALOGUE_NOT_YOURS: {
    status: 403,
    zh: '“{catalogue}”不是您所辖地区执行的清单，其参数由执行它的地区设置',
    en: '“{catalogue}” is not run by a jurisdiction within your region: its parameters are set by the jurisdiction that runs it',
  },
  PARAM_DATE_BEFORE_CATALOGUE: { status: 400, zh: '生效日期不能早于清单施行日期 {first}', en: "The effective date cannot be before the catalogue's {first}" },
  PARAM_AMOUNT_FORMAT: { status: 400, zh: '“{value}”不是以元为单位、最多两位小数的金额', en: '"{value}" is not an amount in yuan with at most two decimals' },
  PARAM_AMOUNT_NEGATIVE: { status: 400, zh: '金额不能为负', en: 'The amount cannot be negative' },
  PARAM_INTEGER: { status: 400, zh: '取值“{value}”应为整数', en: '"{value}" must be a whole number' },
  PARAM_EMPTY: { status: 400, zh: '取值不能为空', en: 'The value cannot be empty' },
  PARAM_PERIOD_SET: {
    status: 409,
    zh: '参数“{parameter}”已有从 {from} 起的取值；新的取值只能从更晚的日期开始，不能改写已有期间',
    en: '"{parameter}" already has a value from {from}; a new value can only start later, never rewrite a period already set',
  },
  PARAM_MONTH_PAID: {
    status: 409,
    zh: '{period} 的发放名册已审核，生效日期须晚于 {end}，已发放的月份不能改写',
    en: 'Rolls of {period} are approved: the value must start after {end}; a month already paid is never rewritten',
  },
  PARAM_BEFORE_LOOKBACK: {
    status: 409,
    zh: '补发追回只回溯 {months} 个月：已发放月份的新取值最早从 {earliest} 起',
    en: 'Back-pay looks back {months} months: in months already paid, a new value can start on {earliest} at the earliest',
  },
  PERIOD_FORMAT: { status: 400, zh: '期间“{period}”应为 YYYY-MM', en: 'Period "{period}" must be YYYY-MM' },
  PERIOD_TOO_FAR: { status: 400, zh: '最远只能测算下个月（{latest}）', en: 'Runs go at most to next month ({latest})' },
  RUN_BUSY: {
    status: 409,
    zh: '{period} 的测算正在进行（第 {id} 次），请等待其完成',
    en: 'A run for {period} is already in progress (run {id}); wait for it to finish',
  },
  ROLL_FROZEN: { status: 409, zh: '名册已审核通过并冻结，不能再修改', en: 'The roll is approved and frozen; it cannot be changed' },
  ROLL_SUPERSEDED: { status: 409, zh: '名册已被重新测算替换，请打开新的名册', en: 'This roll was replaced by a re-run: open the new roll' },
  ROLL_SUBMITTED: { status: 409, zh: '名册已提交审核；如需修改，请审核人先退回', en: 'The roll is submitted; to change it, a checker must return it first' },
  ROLL_ALREADY_SUBMITTED: { status: 409, zh: '名册已提交，等待审核', en: 'The roll is already submitted and awaits checking' },
  ROLL_NOT_SUBMITTED: { status: 409, zh: '只有已提交的名册可以审核或退回', en: 'Only a submitted roll can be approved or returned' },
  PAUSE_NOTE_REQUIRED: {
    status: 400,
    zh: '暂停或恢复发放须填写说明（依据、核实情况）',
    en: 'Pausing or resuming payments needs a note (the basis, what was verified)',
  },
  PAUSE_ACTIVE: { status: 409, zh: '该人员已有因“{reason}”暂停发放的记录，尚未解除', en: 'This person already has a pause for "{reason}" that is not lifted' },
  PAUSE_LIFTED: { status: 409, zh: '该暂停已解除', en: 'This pause was lifted already' },
  PAUSE_AUTOMATIC: {
    status: 409,
    zh: '该行因“{reason}”自动暂停，不能在名册上恢复：{how}',
    en: 'This line is paused because of "{reason}" and cannot be restored on the roll: {how}',
  },
  ROLL_HOLD_REMARK: { status: 400, zh: '暂停发放须填写备注说明原因', en: 'Holding a line back needs a remark giving the reason' },
  ROLL_RETURN_REASON: { status: 400, zh: '退回须填写原因', en: 'Give the reason for returning the roll' },
  SETTING_UNKNOWN: { status: 404, zh: '没有名为“{name}”的设置', en: 'There is no setting named "{name}"' },
  SETTING_NOTE_REQUIRED: { status: 400, zh: '请填写调整依据（文件名或说明）', en: 'Give the basis of the change (a document or a note)' },
  SETTING_INVALID: { status: 400, zh: '设置“{name}”的取值有误：{issues}', en: 'Invalid value for setting "{name}": {issues}' },
  SETTING_NOT_A_CHOICE: {
    status: 409,
    zh: '设置“{name}”不能取 {value}：只能从以下选择：{choices}',
    en: 'Setting "{name}" cannot be {value}: choose one of {choices}',
  },
  SETTING_REFUSED: { status: 409, zh: '设置“{name}”不能取此值：{reason}', en: 'Setting "{name}" cannot take this value: {reason}' },
  ROLL_STALE: {
    status: 409,
    zh: '名册所依据的测算已过时，请重新测算本月后再审核。{reason}',
    en: 'The run behind this roll is out of date: run the month again before approving. {reason}',
  },
  ROLL_PAID: {
    status: 409,
    zh: '同一月份、项目和镇街已有审核通过的名册（第 {id} 号），不能重复发放',
    en: 'An approved roll for the same month, item and town already exists (no. {id}): it cannot be paid twice',
  },
  MAKER_CHECKER: {
    status: 403,
    zh: '提交或修改过名册的人不能审核或退回它，请由另一位审核人办理',
    en: 'Whoever submitted or edited a roll cannot check it: another checker must approve or return it',
  },
  PAYMENT_ROLL_NOT_APPROVED: {
    status: 409,
    zh: '只有审核通过的名册可以生成代发文件或导入回盘',
    en: 'Only an approved roll has a disbursement file or a return file',
  },
  PAYMENT_RECOVERY_ROLL: {
    status: 409,
    zh: '追回清单不向银行代发：请按清单向本人追回',
    en: 'A recovery list is not paid through the bank: recover the amounts from the persons listed',
  },
  PAYMENT_BANK_UNKNOWN: { status: 400, zh: '没有设置银行“{bank}”的代发文件格式', en: 'No disbursement file layout is set for the bank "{bank}"' },
  PAYMENT_DUPLICATE: {
    status: 409,
    zh: '以下人员同一月份同一项目将被重复发放（DUPLICATE），代发文件未生成：{persons}',
    en: 'These persons would be paid twice for the same month and item (DUPLICATE); no disbursement file was made: {persons}',
  },
  PAYMENT_ACCOUNT_MISSING: {
    status: 422,
    zh: '以下人员没有代发账户，请先在民政数据中补充银行卡号：{persons}',
    en: 'These persons have no account to pay into; add their card numbers in the civil-affairs file first: {persons}',
  },
  PAYMENT_ACCOUNT_INVALID: {
    status: 422,
    zh: '以下人员的银行卡号校验位错误（{bank}的卡号使用 Luhn 校验）：{persons}',
    en: "These persons' card numbers have a wrong check digit ({bank} card numbers carry a Luhn digit): {persons}",
  },
  PAYMENT_NOT_EXPORTED: { status: 409, zh: '该名册尚未生成代发文件，不能导入回盘', en: 'This roll has no disbursement file yet, so it has no return file' },
  PAYMENT_RETURN_EMPTY: { status: 400, zh: '回盘文件没有数据行', en: 'The return file has no rows' },
  PAYMENT_RETURN_COLUMNS: {
    status: 400,
    zh: '回盘文件缺少列：{missing}，整个文件未导入',
    en: 'The return file lacks the columns {missing}; nothing was imported',
  },
  PAYMENT_RETURN_OTHER_ROLL: {
    status: 409,
    zh: '回盘文件第 {row} 行的批次号“{reference}”不是本名册的批次（{expected}），整个文件未导入',
    en: 'Row {row} of the return file quotes batch "{reference}", not this roll\'s batch ({expected}); nothing was imported',
  },
  PAYMENT_RETURN_UNKNOWN_PERSON: {
    status: 409,
    zh: '回盘文件第 {row} 行的人员不在本名册的代发批次中，整个文件未导入',
    en: "Row {row} of the return file names a person who is not in this roll's batch; nothing was imported",
  },
  PAYMENT_RETURN_AMOUNT: {
    status: 409,
    zh: '回盘文件第 {row} 行的金额“{amount}”与代发金额 {expected} 元不符，整个文件未导入',
    en: 'Row {row} of the return file gives the amount "{amount}", not the {expected} yuan sent; nothing was imported',
  },
  PAYMENT_RETURN_REPEATED: {
    status: 409,
    zh: '回盘文件第 {row} 行与第 {first} 行是同一笔代发，整个文件未导入',
    en: 'Rows {first} and {row} of the return file are the same payment; nothing was imported',
  },
  PAYMENT_RETURN_REISSUED: {
    status: 409,
    zh: '回盘文件第 {row} 行的代发已失败并在后续名册中补发，不能再更改，整个文件未导入',
    en: 'Row {row} of the return file is a failed payment already re-issued in a later roll and cannot change; nothing was imported',
  },
  // issue 15: assessment records
  ASSESSMENT_NOT_FOUND: { status: 404, zh: '未找到该能力评估（编号 {id}）', en: 'Capability assessment {id} not found' },
  ASSESSMENT_INSTRUMENT_UNKNOWN: {
    status: 400,
    zh: '评估工具版本“{version}”不存在：可用的版本为 {known}',
    en: 'Assessment instrument version "{version}" is unknown: the known versions are {known}',
  },
  ASSESSMENT_ITEM_UNKNOWN: { status: 400, zh: '评估表中没有项目“{item}”', en: 'The assessment form has no item "{item}"' },
  ASSESSMENT_SCORE_INVALID: {
    status: 400,
    zh: '项目 {item} 的得分 {value} 无效：可选的得分为 {allowed}',
    en: 'Item {item}: score {value} is not an option; the allowed scores are {allowed}',
  },
  ASSESSMENT_DATE_INVALID: { status: 400, zh: '评估基准日期“{date}”不是有效日期', en: 'The reference date "{date}" is not a real date' },
  ASSESSMENT_DATE_FUTURE: {
    status: 400,
    zh: '评估基准日期 {date} 晚于今天（{today}）',
    en: 'The reference date {date} is in the future (today is {today})',
  },
  ASSESSMENT_DATE_BEFORE_BIRTH: { status: 400, zh: '评估基准日期 {date} 早于该老人的出生日期', en: 'The reference date {date} is before the elder’s birth' },
  ASSESSMENT_DATE_TOO_OLD: {
    status: 400,
    zh: '新建评估的基准日期 {date} 早于 {days} 天前（最早 {earliest}）',
    en: 'A new assessment’s reference date {date} is more than {days} days ago (earliest {earliest})',
  },
  ASSESSMENT_PERSON_CHANGED: {
    status: 400,
    zh: '评估对象不能更改：该评估记录的是另一位老人，请新建评估',
    en: 'The person of an assessment cannot change: this record is about another elder; start a new assessment',
  },
  ASSESSMENT_ASSESSOR2_SELF: {
    status: 400,
    zh: '第二评估员不能是您本人：按标准须由两名评估员共同评估',
    en: 'The second assessor cannot be yourself: the standard requires two different assessors',
  },
  ASSESSMENT_ASSESSOR2_INVALID: {
    status: 400,
    zh: '用户 {id} 不能作为第二评估员：须为在用的评估员账号，且其管辖区域包含该老人',
    en: 'User {id} cannot be the second assessor: it must be an active assessor whose area includes the elder',
  },
  ASSESSMENT_CORRECTION_REASON: { status: 400, zh: '更正已审核的评估须填写更正原因', en: 'A correction of a reviewed assessment needs a reason' },
  ASSESSMENT_CORRECTION_TARGET: {
    status: 400,
    zh: '被更正的评估 {id} 须是同一位老人已审核的评估',
    en: 'The corrected assessment {id} must be a reviewed assessment of the same elder',
  },
  ASSESSMENT_CORRECTION_OPEN: {
    status: 409,
    zh: '评估 {id} 已有一份更正（编号 {other}），不能再发起另一份',
    en: 'Assessment {id} already has a correction ({other}); another cannot be started',
  },
  ASSESSMENT_SUBMITTED: {
    status: 409,
    zh: '该评估已提交，不能再修改；如需修改，请审核人员退回后再改',
    en: 'This assessment was submitted and cannot change; to edit it, ask the reviewer to return it',
  },
  ASSESSMENT_REVIEWED: {
    status: 409,
    zh: '已审核的评估不能修改；请发起更正',
    en: 'A reviewed assessment cannot change; make a correction',
  },
  ASSESSMENT_NOT_ASSESSOR1: {
    status: 403,
    zh: '只有该评估的第一评估员（录入人）可以修改或提交',
    en: 'Only the assessment’s first assessor (who entered it) may edit or submit it',
  },
  ASSESSMENT_STALE: {
    status: 409,
    zh: '该修改基于第 {base} 版，而评估现为第 {current} 版：修改未保存，已作为冲突留存，请在最新版本上重新录入',
    en: 'This edit was based on version {base} but the assessment is now at version {current}: it was not applied and is kept as a conflict; re-enter it on the latest version',
  },
  ASSESSMENT_VERSION_STALE: {
    status: 409,
    zh: '操作基于第 {base} 版，而评估现为第 {current} 版：请刷新后重试',
    en: 'This was based on version {base} but the assessment is now at version {current}: refresh and try again',
  },
  ASSESSMENT_DUPLICATE_CLIENT: {
    status: 409,
    zh: '设备编号相同的评估已存在且内容不同（现为第 {current} 版）：新建未执行，已作为冲突留存',
    en: 'An assessment with this device id already exists with other content (version {current}): the create was not applied and is kept as a conflict',
  },
  ASSESSMENT_INCOMPLETE: {
    status: 422,
    zh: '还有 {count} 个项目未作答或得分无效，不能提交：{items}',
    en: '{count} items are unanswered or invalid, so it cannot be submitted: {items}',
  },
  ASSESSMENT_NEEDS_ASSESSOR2: {
    status: 422,
    zh: '提交前须指定第二评估员：按标准须由两名评估员共同评估',
    en: 'Name the second assessor before submitting: the standard requires two assessors',
  },
  ASSESSMENT_SIGNATURE_ASSESSOR1: { status: 422, zh: '提交前须有第一评估员的签名', en: 'The first assessor’s signature is needed before submitting' },
  ASSESSMENT_SIGNATURE_ELDER: {
    status: 422,
    zh: '提交前须有老人或其监护人（信息提供者）的签名',
    en: 'The elder’s (or guardian’s / informant’s) signature is needed before submitting',
  },
  ASSESSMENT_NOT_ASSESSOR2: { status: 403, zh: '只有该评估指定的第二评估员可以会签', en: 'Only the assessment’s named second assessor may co-sign it' },
  ASSESSMENT_NOT_AWAITING_COSIGN: {
    status: 409,
    zh: '该评估当前不待会签：须已提交且尚未会签',
    en: 'This assessment is not waiting for a co-signature: it must be submitted and not yet co-signed',
  },
  ASSESSMENT_REVIEWER_IS_ASSESSOR: {
    status: 403,
    zh: '评估员不能审核自己参与的评估',
    en: 'An assessor of this assessment cannot review it',
  },
  ASSESSMENT_NOT_READY_FOR_REVIEW: {
    status: 409,
    zh: '该评估尚不能审核：须已提交且已由第二评估员会签',
    en: 'This assessment cannot be reviewed yet: it must be submitted and co-signed by the second assessor',
  },
  ASSESSMENT_RETURN_NOTE: { status: 400, zh: '退回评估须填写退回原因', en: 'Returning an assessment needs a note saying why' },
  // issue 15: assessment schedule
  ASSESSMENT_PERSONS_NOT_FOUND: {
    status: 404,
    zh: '未找到人员（编号 {ids}），或其不在您的管辖范围内',
    en: 'Persons {ids} not found, or outside your area',
  },
  ASSESSMENT_PERSON_INACTIVE: {
    status: 409,
    zh: '人员（编号 {id}）已不在册（死亡或迁出），不能安排或申请评估',
    en: 'Person {id} is no longer on the register (died or moved away): no assessment can be scheduled or asked for',
  },
  ASSESSMENT_ASSESSOR_INVALID: { status: 400, zh: '用户（编号 {id}）不是在用的评估员账号', en: 'User {id} is not an active assessor account' },
  ASSESSMENT_ASSESSOR_OUT_OF_REGION: {
    status: 400,
    zh: '评估员“{assessor}”负责的区域（{region}）不包含人员（编号 {person}）所在的{personRegion}：请选择该地区的评估员',
    en: 'Assessor "{assessor}" covers {region}, which does not include {personRegion} where person {person} lives: choose an assessor of that area',
  },
  ASSESSMENT_ASSIGNMENT_NOT_FOUND: { status: 404, zh: '未找到评估分派（编号 {id}）', en: 'Assessment assignment {id} not found' },
  ASSESSMENT_ASSIGNMENT_ENDED: {
    status: 409,
    zh: '评估分派（编号 {id}）已于 {at} 结束，不能再次结束',
    en: 'Assessment assignment {id} already ended on {at}',
  },
  ASSESSMENT_REQUEST_NOTE: {
    status: 400,
    zh: '因状况变化申请评估，须在备注中写明发生了什么变化',
    en: 'An assessment asked for because of a change of condition needs a note saying what changed',
  },
  ASSESSMENT_REQUEST_OPEN: {
    status: 409,
    zh: '该老人已有一项未完成的评估申请（编号 {id}，{date} 提出）：待其评估审核通过后才能再次申请',
    en: 'This person already has an open assessment request ({id}, made on {date}): a new one can be made once its assessment is reviewed',
  },
  ASSESSMENT_DRAW_DATES: { status: 400, zh: '抽检期间的开始日期 {from} 晚于结束日期 {to}', en: 'The draw period starts ({from}) after it ends ({to})' },
  ASSESSMENT_DRAW_EMPTY: {
    status: 422,
    zh: '{region}在 {from} 至 {to} 期间没有可抽检的已审核评估（不含复评）',
    en: '{region} has no reviewed assessments (other than re-assessments) with a reference date from {from} to {to} to draw from',
  },
  ASSESSMENT_DRAW_NOT_FOUND: { status: 404, zh: '未找到质量抽检（编号 {id}）', en: 'Quality draw {id} not found' },
  ASSESSMENT_SAMPLE_NOT_FOUND: { status: 404, zh: '未找到抽检样本（编号 {id}）', en: 'Quality sample {id} not found' },
  ASSESSMENT_SAMPLE_SAME_ASSESSOR: {
    status: 400,
    zh: '复评须由原评估的两名评估员以外的评估员进行',
    en: 'The re-assessment must be done by an assessor other than the two who did the original assessment',
  },
  ASSESSMENT_TAKEOVER_INVALID: {
    status: 422,
    zh: '接收的历史评估第 {row} 条有误：{problem}；整批未写入',
    en: 'Taken-over assessment {row} is invalid: {problem}; nothing was written',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误，请联系管理员（编号 {ref}）', en: 'Internal error; contact the administrator (ref {ref})' },
  // issue 16 (care-events): verified events and photos
  CARE_EVENT_NOT_FOUND: {
    status: 404,
    zh: '未找到服务记录（编号 {id}），或其不在您的管辖范围内',
    en: 'Verified event {id} not found, or outside your area',
  },
  CARE_EVENT_TIMES: {
    status: 400,
    zh: '服务记录的时间有误（开始 {start}，结束 {end}）：{problem}',
    en: "The event's times are wrong (start {start}, end {end}): {problem}",
  },
  CARE_EVENT_TOO_LONG: {
    status: 400,
    zh: '服务记录从 {start} 到 {end}，共 {hours} 小时，超过 24 小时的上限：请核对开始和结束时间',
    en: 'The event from {start} to {end} lasts {hours} hours, more than the 24-hour limit: check its start and end',
  },
  PHOTO_NOT_IMAGE: {
    status: 400,
    zh: '照片不是 JPEG、PNG 或 WebP 图片（按文件内容判断）：请重新拍摄或选择图片',
    en: 'The photo is not a JPEG, PNG or WebP image (judged by its content): take or choose it again',
  },
  PHOTO_TOO_LARGE: {
    status: 413,
    zh: '照片大小 {size} 超过上限 {limit}：请压缩后再上传',
    en: 'The photo ({size}) is larger than the limit of {limit}: compress it and send it again',
  },
  CARE_EVENT_ALREADY_CONFIRMED: {
    status: 409,
    zh: '服务记录（编号 {id}）已于 {at} 确认，不能再次确认',
    en: 'Verified event {id} was already confirmed ({at})',
  },
  CARE_EVENT_VOIDED: {
    status: 409,
    zh: '服务记录（编号 {id}）已作废（原因：{reason}），不能再确认或作废',
    en: 'Verified event {id} is voided (reason: {reason}): it can no longer be confirmed or voided',
  },
  CARE_EVENT_CONFIRM_NOT_YOURS: {
    status: 403,
    zh: '服务记录（编号 {id}）：老人本人或代理人的确认只能由记录人本人登记；工作人员确认须由辖区内的民政局、乡镇（街道）或村（社区）负责人进行',
    en: "Verified event {id}: only the one who recorded it may enter the person's or a proxy's confirmation; an officer's confirmation is for the bureau, town or village officers of the area",
  },
  CARE_EVENT_SELF_CONFIRM: {
    status: 403,
    zh: '服务记录（编号 {id}）是您本人记录的：工作人员确认须由另一位工作人员进行',
    en: 'You recorded verified event {id} yourself: an officer’s confirmation must come from another officer',
  },
  // end care-events
  // issue 16 (visits-plans): plans, refresh, rate
  VISIT_REFRESH_BUSY: {
    status: 409,
    zh: '{on} 的探访计划更新正在进行（任务 {id}），请等待其完成',
    en: 'The visit plans of {on} are being refreshed already (job {id}); wait for it to finish',
  },
  VISIT_PLAN_UNKNOWN: {
    status: 400,
    zh: '探访计划“{plan}”不存在：应为 {plans} 之一',
    en: 'There is no visit plan "{plan}": it must be one of {plans}',
  },
  // end visits-plans
  // issue 16 (visits-work): assignment, overdue, escalation, follow-ups
  VISIT_PERSONS_NOT_FOUND: {
    status: 404,
    zh: '未找到人员（编号 {ids}），或其不在您的管辖范围内',
    en: 'Persons {ids} not found, or outside your area',
  },
  VISIT_WORKER_UNKNOWN: {
    status: 400,
    zh: '用户（编号 {id}）不是在用的网格员或志愿者账号，不能分派探访',
    en: 'User {id} is not an active grid worker or volunteer account: visits cannot be assigned to them',
  },
  VISIT_WORKER_NOT_LOCAL: {
    status: 400,
    zh: '“{worker}”负责的区域（{region}）不包含人员（编号 {person}）所在的{personRegion}：请选择该村的网格员或志愿者；本次未做任何分派',
    en: '"{worker}" covers {region}, which does not include {personRegion} where person {person} lives: choose a grid worker or volunteer of that village; nothing was assigned',
  },
  VISIT_REGION_NOT_FOUND: { status: 404, zh: '未找到地区“{region}”，或其不在您的管辖范围内', en: 'Region "{region}" not found, or outside your area' },
  VISIT_NOT_ASSIGNED_TO_WORKER: {
    status: 404,
    zh: '人员（编号 {person}）目前没有分派给任何探访人员',
    en: 'Person {person} is not assigned to any visitor now',
  },
  VISIT_FOLLOWUP_NOT_FOUND: { status: 404, zh: '未找到跟进事项（编号 {id}）', en: 'Follow-up {id} not found' },
  VISIT_FOLLOWUP_CLOSED: {
    status: 409,
    zh: '跟进事项（编号 {id}）已于 {at} 办结，不能再次接办或办结',
    en: 'Follow-up {id} was already closed on {at}: it cannot be taken or closed again',
  },
  VISIT_ESCALATION_NOT_FOUND: { status: 404, zh: '未找到逾期升级（编号 {id}）', en: 'Escalation {id} not found' },
  VISIT_ESCALATION_CLOSED: {
    status: 409,
    zh: '逾期升级（编号 {id}）已于 {at} 办结，不能再次确认或办结',
    en: 'Escalation {id} was already closed on {at}: it cannot be acknowledged or closed again',
  },
  // end visits-work
  // issue 16 (visits-record): recording visits from the phone
  VISIT_NOT_IN_PLAN: {
    status: 422,
    zh: '该老人在 {date} 不在任何探访计划中：不能记录计划外的探访（请先由负责人按规则更新探访计划）',
    en: 'This person is in no visit plan on {date}: a visit outside any plan cannot be recorded (the plans are refreshed by rule)',
  },
  VISIT_NOT_ASSIGNED: {
    status: 403,
    zh: '该老人未分派给您探访：只能为分派给您的老人记录探访（村负责人可为本村任何老人记录）',
    en: 'This person is not assigned to you: you may record visits only for the people assigned to you (a village head for anyone in the village)',
  },
  VISIT_MODE_UNKNOWN: {
    status: 400,
    zh: '探访方式“{mode}”无法识别：应为上门、电话、视频或消息之一',
    en: 'Visit mode "{mode}" is unknown: it must be one of home, phone, video or message',
  },
  VISIT_FINDING_UNKNOWN: {
    status: 400,
    zh: '{where}中的发现项“{code}”不在探访清单中',
    en: 'Finding "{code}" in {where} is not on the visit checklist',
  },
  // end visits-record
  // issue 16 (timebank): accounts and ledger
  TIMEBANK_ACCOUNT_NOT_FOUND: { status: 404, zh: '未找到时间银行账户（编号 {id}）', en: 'Time-bank account {id} not found' },
  TIMEBANK_ENTRY_NOT_FOUND: { status: 404, zh: '未找到时间银行流水（编号 {id}）', en: 'Time-bank entry {id} not found' },
  TIMEBANK_EVENT_NOT_FOUND: {
    status: 404,
    zh: '未找到服务记录（编号 {id}），或其不在您的管辖范围内',
    en: 'Verified event {id} not found, or outside your area',
  },
  TIMEBANK_HOLDER_INVALID: {
    status: 400,
    zh: '用户（编号 {id}）不是在用的志愿者账号：时间银行账户只为志愿者（或接受转赠的老人）开立',
    en: 'User {id} is not an active volunteer account: time-bank accounts are opened for volunteers (and elders receiving a transfer)',
  },
  TIMEBANK_ACCOUNT_EXISTS: {
    status: 409,
    zh: '{holder}已有时间银行账户（编号 {id}），不能重复开户',
    en: '{holder} already has time-bank account {id}: one account each',
  },
  TIMEBANK_NO_ACCOUNT: {
    status: 409,
    zh: '服务记录（编号 {event}）的志愿者（用户编号 {user}）尚未开立时间银行账户：请先开户再存入时长',
    en: 'The volunteer (user {user}) who performed event {event} has no time-bank account: open one before depositing',
  },
  TIMEBANK_UNCONFIRMED: {
    status: 409,
    zh: '服务记录（编号 {id}）{status}，只有已确认的服务时长才能存入时间银行',
    en: 'Verified event {id} {status}: only confirmed hours are deposited',
  },
  TIMEBANK_ALREADY_DEPOSITED: {
    status: 409,
    zh: '服务记录（编号 {id}）的时长已存入时间银行（流水编号 {entry}），每条记录只能存入一次',
    en: 'The hours of verified event {id} were already deposited (entry {entry}): an event is deposited once',
  },
  TIMEBANK_DEPOSIT_TOO_SHORT: {
    status: 422,
    zh: '服务记录（编号 {id}）时长 {duration} 分钟，按每 {round} 分钟取整后为零，无可存入的时长',
    en: 'Verified event {id} lasted {duration} minutes, which rounds down to nothing in steps of {round} minutes: there are no hours to deposit',
  },
  TIMEBANK_INSUFFICIENT: {
    status: 409,
    zh: '账户（编号 {account}）余额 {balance}，不足 {amount}：余额不能为负，未作任何变动',
    en: 'Account {account} holds {balance}, less than the {amount} asked: a balance cannot go below zero; nothing was changed',
  },
  TIMEBANK_AMOUNT_INVALID: {
    status: 400,
    zh: '转赠时长 {minutes} 分钟无效：须为大于零的整数分钟',
    en: 'A transfer of {minutes} minutes is not valid: it must be a whole number of minutes above zero',
  },
  TIMEBANK_SELF_TRANSFER: {
    status: 400,
    zh: '不能把时长从账户（编号 {id}）转赠给它自己：请选择亲属的账户',
    en: 'Hours cannot be transferred from account {id} to itself: choose the relative’s account',
  },
  TIMEBANK_TRANSFER_TARGET: {
    status: 400,
    zh: '时长只能转赠给亲属（登记在册的老人）的账户：账户（编号 {id}）是志愿者的账户',
    en: 'Hours are transferred only to a relative’s account (an elder on the register): account {id} is a volunteer’s',
  },
  TIMEBANK_REWARD_UNKNOWN: {
    status: 400,
    zh: '兑换项目“{key}”不在本地区的兑换目录中',
    en: 'Reward "{key}" is not on the jurisdiction’s list of rewards',
  },
  TIMEBANK_ALREADY_REVERSED: {
    status: 409,
    zh: '流水（编号 {id}）已被冲正（冲正流水编号 {by}），每条流水只能冲正一次',
    en: 'Entry {id} was already reversed (by entry {by}): an entry is reversed once',
  },
  TIMEBANK_REVERSE_REVERSAL: {
    status: 409,
    zh: '流水（编号 {id}）本身是冲正流水，不能再冲正：如需恢复，请重新办理原业务',
    en: 'Entry {id} is itself a reversal and cannot be reversed: record the original movement again instead',
  },
  TIMEBANK_CLIENT_ID_REUSED: {
    status: 409,
    zh: '请求编号 {clientId} 已用于另一笔业务（流水编号 {entry}）：每笔业务须使用新的请求编号',
    en: 'Request id {clientId} was already used for another movement (entry {entry}): each movement needs a new request id',
  },
  // end timebank
  // issue 16 (timebank-transfer): a relative named by resident ID and name; one answer for every mismatch
  TIMEBANK_TRANSFER_UNMATCHED: {
    status: 404,
    zh: '没有找到与该身份证号和姓名一致的在册老人：请核对亲属的姓名和 18 位身份证号（须与户籍登记一致）；未作任何变动',
    en: 'No elder on the register matches this resident ID number and name: check your relative’s name and 18-digit ID number (as registered); nothing was changed',
  },
  // end timebank-transfer
  // issue 16 (followups-closure): a voided event undone; follow-ups tracked to closure
  TIMEBANK_VOID_SPENT: {
    status: 409,
    zh: '不能作废服务记录（编号 {event}）：其志愿服务时长 {hours} 已存入志愿者“{volunteer}”的时间银行账户（编号 {account}），该账户现余额仅 {balance}，冲回会使余额为负。请先冲正花掉这些时长的兑换或转赠流水，再作废；未作任何变动',
    en: 'Verified event {event} cannot be voided: its {hours} were deposited into volunteer “{volunteer}”’s time-bank account {account}, which now holds only {balance}, and taking them back would make the balance negative. Reverse the redemption or transfer that spent them first, then void the event; nothing was changed',
  },
  // end followups-closure
  // issue 17 (services): shared by the module's parts
  SERVICE_PROVIDER_NOT_FOUND: { status: 404, zh: '未找到服务商（编号 {id}）', en: 'Provider {id} not found' },
  SERVICE_ORDER_NOT_FOUND: { status: 404, zh: '未找到服务工单（编号 {id}）', en: 'Service order {id} not found' },
  SERVICE_LOCATION_INVALID: {
    status: 400,
    zh: '{field} 的定位无效（纬度 {lat}，经度 {lng}，精度 {accuracy} 米）：请在室外或窗边重新定位后再试',
    en: 'The location in {field} is not valid (latitude {lat}, longitude {lng}, accuracy {accuracy} m): get a fix again outdoors or by a window',
  },
  SERVICE_LOCATION_OUTSIDE: {
    status: 400,
    zh: '{field} 的定位（纬度 {lat}，经度 {lng}）不在本辖区范围（{bounds}）内：请确认手机定位正确',
    en: 'The location in {field} (latitude {lat}, longitude {lng}) is outside this jurisdiction ({bounds}): check the phone’s location',
  },
  // end services
  // issue 17 (services-providers)
  SERVICE_PROVIDER_NAME_TAKEN: {
    status: 409,
    zh: '本辖区已有名为“{name}”的服务商：服务商名称不能重复，请核对是否已登记',
    en: 'A provider named "{name}" is already on record in this jurisdiction: names must differ; check whether it is registered already',
  },
  SERVICE_CAREGIVER_NOT_FOUND: { status: 404, zh: '未找到护理员（编号 {id}）', en: 'Caregiver {id} not found' },
  SERVICE_CAREGIVER_USER_INVALID: {
    status: 400,
    zh: '账号“{username}”不能绑定为该护理员的手机登录：须为服务商（编号 {provider}）自己的、在用的护理员（或服务商）角色账号',
    en: 'Account "{username}" cannot be linked as this caregiver’s phone login: it must be an active caregiver-role (or provider-role) account of provider {provider}',
  },
  SERVICE_CAREGIVER_USER_TAKEN: {
    status: 409,
    zh: '账号“{username}”已绑定给另一名护理员（编号 {caregiver}）：一个账号只能对应一名护理员',
    en: 'Account "{username}" is already linked to caregiver {caregiver}: an account belongs to one caregiver',
  },
  SERVICE_CERTIFICATE_DATES: {
    status: 400,
    zh: '证书的有效期截止日 {expiresOn} 早于发证日 {issuedOn}：请核对证书上的日期',
    en: 'The certificate expires on {expiresOn}, before it was issued on {issuedOn}: check the dates on the certificate',
  },
  SERVICE_CLIENT_NOT_FOUND: { status: 404, zh: '未找到服务对象（编号 {id}）', en: 'Client {id} not found' },
  SERVICE_CLIENT_EXISTS: {
    status: 409,
    zh: '该老人已是本服务商的服务对象（服务对象编号 {id}）：如需更改住址或服务卡，请先结束原服务关系再重新登记',
    en: 'This person is already a client of the provider (client {id}): to change the home or the card, end that enrolment and enrol again',
  },
  SERVICE_CLIENT_ENDED: {
    status: 409,
    zh: '服务对象（编号 {id}）的服务关系已于 {endedAt} 结束',
    en: 'Client {id} was already ended at {endedAt}',
  },
  SERVICE_PERSON_INACTIVE: {
    status: 409,
    zh: '该老人（编号 {id}）在册状态为“{status}”，不能登记为服务对象：只有在册在户的老人可以接受上门服务',
    en: 'Person {id} has register status "{status}" and cannot be enrolled: only persons active on the register receive home services',
  },
  SERVICE_ITEM_NOT_FOUND: { status: 404, zh: '未找到服务项目（编号 {id}）', en: 'Service item {id} not found' },
  SERVICE_ITEM_CODE_TAKEN: {
    status: 409,
    zh: '本辖区已有编码为“{code}”的服务项目：编码不能重复，请修改原项目或换一个编码',
    en: 'A service item with code "{code}" already exists in this jurisdiction: codes must differ; edit that item or choose another code',
  },
  SERVICE_ITEM_PRICE_RANGE: {
    status: 400,
    zh: '服务项目价格（priceFen）须在 {min} 元至 {max} 元之间（每次服务），收到 {value} 元：价格不能为 0，请按实际收费标准填写；未作任何变动',
    en: 'The service item’s price (priceFen) must be between {min} and {max} yuan a visit, got {value} yuan: a price cannot be 0; enter the actual rate; nothing was changed',
  },
  SERVICE_ITEM_MINUTES_RANGE: {
    status: 400,
    zh: '服务项目标准时长（standardMinutes）须在 {min} 至 {max} 分钟之间，收到 {value} 分钟；未作任何变动',
    en: 'The service item’s standard minutes (standardMinutes) must be between {min} and {max} minutes, got {value}; nothing was changed',
  },
  // end services-providers
  // issue 17 (services-orders)
  ENTITLEMENT_EXCEEDED: {
    status: 409,
    zh: '该服务价格 {price} 元超出老人 {period} 政府购买服务余额 {balance} 元：如超出部分由老人自费，请勾选“超出补贴余额的部分由老人自费”后再提交；未作任何变动',
    en: 'The service costs {price} yuan, more than the {balance} yuan left of the elder’s government-purchased services for {period}: tick “The elder pays whatever exceeds the entitlement balance” if the elder pays the rest; nothing was changed',
  },
  SERVICE_NOT_CLIENT: {
    status: 409,
    zh: '老人（编号 {personId}）不是服务商（编号 {providerId}）的在册服务对象：请先登记为服务对象（含住址定位）后再下单',
    en: 'Person {personId} is not an enrolled client of provider {providerId}: enrol them (with the home’s location) before ordering',
  },
  SERVICE_CAREGIVER_OTHER_PROVIDER: {
    status: 400,
    zh: '护理员（编号 {caregiverId}）不是工单（编号 {orderId}）的服务商（编号 {providerId}）的在岗护理员：只能派给本服务商在岗的护理员',
    en: 'Caregiver {caregiverId} is not an active caregiver of provider {providerId}, which serves order {orderId}: assign one of the provider’s active caregivers',
  },
  SERVICE_ORDER_PERSON_INACTIVE: {
    status: 409,
    zh: '老人（编号 {personId}）在户籍登记中已不是在册状态（{status}）：不能再为其下单',
    en: 'Person {personId} is no longer active on the register ({status}): no order can be placed for them',
  },
  SERVICE_ORDER_ITEM_UNAVAILABLE: {
    status: 409,
    zh: '服务项目（编号 {itemId}）不存在、已停用或不属于本地区：请选择本地区在用的服务项目',
    en: 'Service item {itemId} does not exist, is no longer offered or belongs to another jurisdiction: choose an active item of this jurisdiction',
  },
  SERVICE_ORDER_PROVIDER_INACTIVE: {
    status: 409,
    zh: '服务商（编号 {providerId}）已停用：不能再向其下单',
    en: 'Provider {providerId} is no longer active: no order can be placed with it',
  },
  SERVICE_ORDER_DATE_INVALID: {
    status: 400,
    zh: '预约日期 {date} 无效：须为不晚于 {latest} 的日期（最多提前 {days} 天预约）',
    en: 'The scheduled date {date} is not valid: it must be a date no later than {latest} (at most {days} days ahead)',
  },
  SERVICE_ORDER_MONTH_CLOSED: {
    status: 409,
    zh: '服务商（编号 {providerId}）{period} 的月度结算已关账：不能再向该月补录工单，请选择未关账月份的日期',
    en: 'Provider {providerId}’s settlement of {period} is closed: no order can be added to that month; choose a date in a month still open',
  },
  SERVICE_ORDER_STARTED: {
    status: 409,
    zh: '工单（编号 {id}）已签到开始服务或已结束：只能在签到前派单或取消',
    en: 'Order {id} has been checked in or has ended: an order is assigned or cancelled only before check-in',
  },
  SERVICE_ORDER_CANCELLED: {
    status: 409,
    zh: '工单（编号 {id}）已于 {on} 取消：不能再派单、取消或评价',
    en: 'Order {id} was cancelled on {on}: it can no longer be assigned, cancelled or rated',
  },
  SERVICE_ORDER_NOT_RATEABLE: {
    status: 409,
    zh: '工单（编号 {id}）尚未签退或已评价：只能在签退后评价一次',
    en: 'Order {id} has not been checked out or was already rated: an order is rated once, after check-out',
  },
  SERVICE_ORDER_CLIENT_ID_REUSED: {
    status: 409,
    zh: '请求编号 {clientId} 已用于另一张工单（编号 {orderId}）：每张新工单须使用新的请求编号',
    en: 'Request id {clientId} was already used for another order ({orderId}): each new order needs a new request id',
  },
  SERVICE_ORDER_FOLLOWUP_INVALID: {
    status: 409,
    zh: '跟进事项（编号 {followupId}）不是该老人待办的上门服务需求（已办结、类型不符或不在本辖区）：请从待派单的跟进事项中选择',
    en: 'Follow-up {followupId} is not an open home-service request of this person (closed, another kind or outside your area): pick one from the open requests',
  },
  // end services-orders
  // issue 17 (services-evv)
  SERVICE_NOT_CAREGIVER: {
    status: 403,
    zh: '账号 {user} 未登记为服务商的在岗护理员：请联系服务商在护理员名单中关联您的账号后再签到签退',
    en: 'Account {user} is not on record as an active caregiver of a provider: ask the provider to link your account in its caregivers list before checking in or out',
  },
  SERVICE_NOT_YOUR_ORDER: {
    status: 403,
    zh: '服务工单（编号 {id}）未派给您：只有被派单的护理员可以签到、签退和上传照片',
    en: 'Service order {id} is not assigned to you: only the caregiver it is assigned to checks in, checks out and adds its photo',
  },
  SERVICE_EVV_CANCELLED: {
    status: 409,
    zh: '服务工单（编号 {id}）已取消：不能再签到、签退或上传照片',
    en: 'Service order {id} was cancelled: it cannot be checked in, checked out or given a photo',
  },
  SERVICE_NOT_CHECKED_IN: {
    status: 409,
    zh: '服务工单（编号 {id}）尚未签到：签退前须先签到',
    en: 'Service order {id} has not been checked in: check in before checking out',
  },
  SERVICE_ALREADY_CHECKED_IN: {
    status: 409,
    zh: '服务工单（编号 {id}）已于 {at} 签到：同一工单只签到一次，服务结束后请签退',
    en: 'Service order {id} was checked in at {at}: an order is checked in once; check out when the service ends',
  },
  SERVICE_ALREADY_CHECKED_OUT: {
    status: 409,
    zh: '服务工单（编号 {id}）已于 {at} 签退：已签退的工单不能再签到或签退',
    en: 'Service order {id} was checked out at {at}: it cannot be checked in or out again',
  },
  SERVICE_CHECKOUT_BEFORE_CHECKIN: {
    status: 400,
    zh: '服务工单（编号 {id}）的签退时间 {checkOut} 早于签到时间 {checkIn}：请核对手机时间后重新签退，未作任何记录',
    en: 'Service order {id}: the check-out time {checkOut} is before the check-in time {checkIn}: check the phone’s clock and check out again; nothing was recorded',
  },
  SERVICE_CHECKIN_TOO_EARLY: {
    status: 400,
    zh: '服务工单（编号 {id}）的签到时间 {at} 早于预约日期 {scheduledOn} 的前一天：请核对手机时间，或请服务商改约日期',
    en: 'Service order {id}: the check-in time {at} is more than a day before its scheduled date {scheduledOn}: check the phone’s clock, or ask the provider to reschedule',
  },
  SERVICE_TIME_INVALID: {
    status: 400,
    zh: '{field} 的时间“{at}”不是有效的时间（应为带时区的 ISO 时间）',
    en: 'The time in {field} ("{at}") is not a valid time (an ISO instant with its zone is expected)',
  },
  SERVICE_TIME_FUTURE: {
    status: 400,
    zh: '{field} 的时间 {at} 晚于服务器当前时间 {now} 超过 {minutes} 分钟：请核对手机时钟后重试',
    en: 'The time in {field} ({at}) is more than {minutes} minutes after the server’s time ({now}): check the phone’s clock and try again',
  },
  SERVICE_TASK_UNKNOWN: {
    status: 400,
    zh: '服务工单（编号 {id}）的完成事项“{code}”不是本工单可勾选的服务项目（可选：{allowed}）',
    en: 'Service order {id}: the task "{code}" is not one this order may tick (allowed: {allowed})',
  },
  SERVICE_CARD_NONE: {
    status: 400,
    zh: '服务工单（编号 {id}）的老人未登记老人服务卡：请改用本人确认或代理人确认，未作任何记录',
    en: 'Service order {id}: the elder has no service card on record: confirm by the elder or a proxy instead; nothing was recorded',
  },
  SERVICE_CARD_MISMATCH: {
    status: 400,
    zh: '服务工单（编号 {id}）刷卡确认失败：卡号与老人登记的服务卡不符，未作任何记录；请重新刷卡或改用本人、代理人确认',
    en: 'Service order {id}: the card does not match the elder’s service card on record; nothing was recorded: try the card again or confirm by the elder or a proxy',
  },
  SERVICE_CLIENT_ID_REUSED: {
    status: 409,
    zh: '请求编号 {clientId} 已用于另一条服务记录，不能用于服务工单（编号 {id}）的签退：请重新签退（手机会生成新的请求编号）',
    en: 'Request id {clientId} already belongs to another verified event, not to the check-out of service order {id}: check out again (the phone makes a new request id)',
  },
  SERVICE_PHOTO_BEFORE_CHECKOUT: {
    status: 409,
    zh: '服务工单（编号 {id}）尚未签退：服务照片在签退后上传',
    en: 'Service order {id} has not been checked out: its photo is added after the check-out',
  },
  // end services-evv
  // issue 17 (services-settlement)
  SERVICE_SETTLEMENT_CLOSED: {
    status: 409,
    zh: '服务商 {provider} 的 {period} 月度结算已于 {closedAt} 关账：已关账的月份不再重算，之后的变动将作为调整计入下一个关账的月份',
    en: 'Provider {provider}’s settlement for {period} was closed at {closedAt}: a closed month is never recomputed; later changes are paid as adjustments in the next month closed',
  },
  SERVICE_SETTLEMENT_NOT_ENDED: {
    status: 409,
    zh: '{period} 尚未结束（北京时间 {end} 为该月最后一天）：月份结束后才能关账',
    en: '{period} has not ended yet (its last day is {end}, Beijing time): a month is closed only after it ends',
  },
  SERVICE_FEEDBACK_NOT_FOUND: { status: 404, zh: '未找到回访抽查记录（编号 {id}）', en: 'Feedback call {id} not found' },
  SERVICE_COVERAGE_REGION: {
    status: 404,
    zh: '未找到地区“{region}”，或其不在您的管辖范围内：覆盖率只能按您辖区内的地区统计',
    en: 'Region "{region}" not found, or outside your area: coverage is counted only for regions in your area',
  },
  // end services-settlement
  // issue 17 (services-beds-meals)
  SERVICE_BED_NOT_FOUND: { status: 404, zh: '未找到家庭养老床位（编号 {id}）', en: 'Family care bed {id} not found' },
  SERVICE_BED_EXISTS: {
    status: 409,
    zh: '该老人（编号 {personId}）已有在用的家庭养老床位（床位编号 {id}，{openedOn} 建床）：每位老人只能有一张在用床位，如需更换服务商请先撤床',
    en: 'Person {personId} already has an active family care bed ({id}, opened on {openedOn}): one active bed each; close it first to change the provider',
  },
  SERVICE_BED_CLOSED: {
    status: 409,
    zh: '家庭养老床位（编号 {id}）已于 {closedOn} 撤床：撤床后不能再修改或再次撤床，如需继续服务请重新建床',
    en: 'Family care bed {id} was closed on {closedOn}: a closed bed cannot be changed or closed again; open a new bed to continue',
  },
  SERVICE_BED_DATE_FUTURE: {
    status: 400,
    zh: '家庭养老床位的日期 {date} 晚于今天（{today}）：建床、撤床、改造和设备安装日期只能记录已发生的',
    en: 'The family care bed date {date} is after today ({today}): opening, closing, adaptation and installation dates record what has happened',
  },
  SERVICE_BED_CLOSE_BEFORE_OPEN: {
    status: 400,
    zh: '撤床日期 {closedOn} 早于家庭养老床位（编号 {id}）的建床日期 {openedOn}：请核对日期',
    en: 'The closing date {closedOn} is before family care bed {id} was opened on {openedOn}: check the date',
  },
  SERVICE_BED_PERSON_INACTIVE: {
    status: 409,
    zh: '该老人（编号 {personId}）在册状态为“{status}”：只能为在册在户的老人建立家庭养老床位或记录助餐',
    en: 'Person {personId} has register status "{status}": beds are opened and meals recorded only for persons active on the register',
  },
  SERVICE_BEDS_MEALS_PROVIDER_INACTIVE: {
    status: 409,
    zh: '服务商（编号 {providerId}）已停用：不能再为其建立家庭养老床位或助餐点',
    en: 'Provider {providerId} is no longer active: no bed or meal point can be opened with it',
  },
  MEAL_POINT_NOT_FOUND: { status: 404, zh: '未找到助餐点（编号 {id}）', en: 'Meal point {id} not found' },
  MEAL_POINT_INACTIVE: {
    status: 409,
    zh: '助餐点（编号 {id}）已停用：请选择在用的助餐点记录用餐',
    en: 'Meal point {id} is no longer in use: record the meal at an open meal point',
  },
  MEAL_POINT_REGION: {
    status: 400,
    zh: '地区编码 {code} 不是本辖区（或您管辖范围内）的社区或村：助餐点设在社区或村，服务范围也只能是社区或村',
    en: 'Region {code} is not a community or village of this jurisdiction (or of your area): meal points sit in, and serve, communities and villages',
  },
  MEAL_NOT_ELIGIBLE: {
    status: 409,
    zh: '该老人（编号 {personId}）在 {servedOn} 时 {age} 周岁，未满 {minAge} 周岁：助餐服务面向 {minAge} 周岁及以上的老人，未作记录',
    en: 'Person {personId} was {age} on {servedOn}, under {minAge}: meal aid is for persons aged {minAge} and over; nothing was recorded',
  },
  MEAL_ALREADY_SERVED: {
    status: 409,
    zh: '该老人（编号 {personId}）{servedOn} 的这一餐已有记录（记录编号 {id}）：同一人同一天同一餐只记录一次，未重复记录',
    en: 'Person {personId} already has this meal recorded for {servedOn} (record {id}): one record per person, day and meal; nothing was added',
  },
  MEAL_OUTSIDE_AREA: {
    status: 400,
    zh: '助餐点（编号 {pointId}）的送餐范围不含该老人所在的社区或村（{region}）：请改为堂食，或选择负责该地的助餐点',
    en: 'Meal point {pointId} does not deliver to the person’s community or village ({region}): record it as dine-in, or choose the point that serves it',
  },
  MEAL_DATE_FUTURE: {
    status: 400,
    zh: '用餐日期 {servedOn} 晚于今天（{today}）：只能记录已提供的餐',
    en: 'The meal date {servedOn} is after today ({today}): only meals already served are recorded',
  },
  MEAL_DAILY_RANGE: {
    status: 400,
    zh: '统计期间 {from} 至 {to} 无效：开始日期不能晚于结束日期，且最长 {days} 天',
    en: 'The period {from} to {to} is not valid: it must not start after it ends, and spans at most {days} days',
  },
  // end services-beds-meals
  // issue 17 (services-anomalies)
  SERVICE_ANOMALY_NOT_FOUND: { status: 404, zh: '未找到核验异常（编号 {id}）', en: 'Visit exception {id} not found' },
  SERVICE_ANOMALY_NOT_OPEN: {
    status: 409,
    zh: '核验异常（编号 {id}）已说明处理或已审核：只有待说明的异常可以填写处理代码',
    en: 'Visit exception {id} has already been resolved or reviewed: only an open exception takes a resolution code',
  },
  SERVICE_ANOMALY_NOT_RESOLVED: {
    status: 409,
    zh: '核验异常（编号 {id}）尚未由服务商说明处理，或已审核：只有已说明、待审核的异常可以审核',
    en: 'Visit exception {id} has not been resolved by the provider, or was already reviewed: only a resolved exception awaiting review can be reviewed',
  },
  SERVICE_RESOLUTION_NOT_ALLOWED: {
    status: 400,
    zh: '处理代码 {code} 不适用于异常原因 {reason}（异常编号 {id}）：可选的处理代码为 {allowed}',
    en: 'Resolution code {code} does not fit reason {reason} (exception {id}): choose one of {allowed}',
  },
  // end services-anomalies
  // issue 18 (alarms): shared by the module's parts
  ALARM_NOT_FOUND: { status: 404, zh: '未找到告警（编号 {id}）', en: 'Alarm {id} not found' },
  ALARM_DEVICE_NOT_FOUND: { status: 404, zh: '未找到设备（编号 {id}）', en: 'Device {id} not found' },
  // end alarms
  // issue 18 (alarms-ingest)
  INGEST_HEADERS_MISSING: {
    status: 400,
    zh: '设备事件接入请求缺少签名请求头 {missing}：须带 x-yiyang-key、x-yiyang-timestamp、x-yiyang-nonce（16–64 位字母数字 _ -）与 x-yiyang-signature，未保存任何事件',
    en: 'The event intake request lacks the signature header(s) {missing}: x-yiyang-key, x-yiyang-timestamp, x-yiyang-nonce (16–64 letters, digits, _ or -) and x-yiyang-signature are required; nothing was stored',
  },
  INGEST_UNKNOWN_KEY: {
    status: 401,
    zh: '设备事件接入：厂商密钥 {key} 不存在（请求头 x-yiyang-key），未保存任何事件',
    en: 'Event intake: vendor key {key} (header x-yiyang-key) does not exist; nothing was stored',
  },
  INGEST_KEY_DISABLED: {
    status: 401,
    zh: '设备事件接入：厂商密钥 {key} 已停用，请联系平台管理员，未保存任何事件',
    en: 'Event intake: vendor key {key} is disabled (ask the platform administrator); nothing was stored',
  },
  INGEST_BAD_SIGNATURE: {
    status: 401,
    zh: '设备事件接入：签名不符（密钥 {key}）：x-yiyang-signature 应为以厂商密钥对“时间戳\\n随机串\\n原始请求体”计算的 HMAC-SHA256 小写十六进制，未保存任何事件',
    en: 'Event intake: the signature does not match (key {key}): x-yiyang-signature must be the lowercase hex HMAC-SHA256, with the vendor secret, of "timestamp\\nnonce\\nraw body"; nothing was stored',
  },
  INGEST_STALE_TIMESTAMP: {
    status: 401,
    zh: '设备事件接入：请求时间戳 {timestamp} 与平台时间 {now} 相差超过 {window} 秒（请求头 x-yiyang-timestamp，Unix 秒），请校准时钟后重新签名发送，未保存任何事件',
    en: 'Event intake: the request timestamp {timestamp} is more than {window} s from the platform time {now} (header x-yiyang-timestamp, Unix seconds): correct the clock and sign again; nothing was stored',
  },
  INGEST_REPLAYED: {
    status: 409,
    zh: '设备事件接入：随机串 {nonce} 已被本厂商使用过（疑似重放）：每个请求须使用新的 x-yiyang-nonce，未保存任何事件',
    en: 'Event intake: nonce {nonce} was already used by this vendor (a replay?): every request needs a fresh x-yiyang-nonce; nothing was stored',
  },
  INGEST_MALFORMED: {
    status: 400,
    zh: '设备事件接入：请求体格式有误（{reason}）：应为含 events 数组的 JSON 对象，每条事件含 id、kind、at、serial，未保存任何事件',
    en: 'Event intake: the body is malformed ({reason}): it must be a JSON object with an events array, each event with id, kind, at and serial; nothing was stored',
  },
  INGEST_TOO_MANY: {
    status: 400,
    zh: '设备事件接入：一次请求含 {count} 条事件，超过上限 {max} 条：请分批发送，未保存任何事件',
    en: 'Event intake: the request holds {count} events, more than the {max} one request may carry: send them in parts; nothing was stored',
  },
  ALARM_DEVICE_SERIAL_TAKEN: {
    status: 409,
    zh: '序列号 {serial} 已登记为设备（编号 {id}）：同一序列号只能登记一次（已停用的设备仍占用其序列号），未作任何更改',
    en: 'Serial {serial} is already registered as device {id}: a serial is registered once (a retired device keeps its serial); nothing was changed',
  },
  ALARM_DEVICE_RETIRED: {
    status: 409,
    zh: '设备（编号 {id}）已于 {on} 停用，未作任何更改',
    en: 'Device {id} was retired on {on}; nothing was changed',
  },
  ALARM_DEVICE_PERSON_INACTIVE: {
    status: 409,
    zh: '老人（编号 {id}）在册状态为 {status}，不能为其登记设备，未作任何更改',
    en: 'Person {id} has register status {status}: no device can be registered for them; nothing was changed',
  },
  ALARM_DEVICE_PROVIDER_NOT_OWN: {
    status: 403,
    zh: '服务商工作人员只能以本机构（编号 {own}）名义登记设备，不能填写服务商 {providerId}，未作任何更改',
    en: 'Provider staff register devices for their own organisation ({own}) only, not for provider {providerId}; nothing was changed',
  },
  ALARM_PROVIDER_NOT_FOUND: { status: 404, zh: '未找到安装服务商（编号 {id}），未作任何更改', en: 'Installing provider {id} not found; nothing was changed' },
  ALARM_VENDOR_NOT_FOUND: { status: 404, zh: '未找到设备厂商平台（编号 {id}）', en: 'Device vendor platform {id} not found' },
  ALARM_VENDOR_DISABLED: {
    status: 409,
    zh: '设备厂商平台（编号 {id}）已停用：不能为其登记设备或更换密钥，未作任何更改',
    en: 'Device vendor platform {id} is disabled: no device can name it and its key cannot be rotated; nothing was changed',
  },
  ALARM_VENDOR_NAME_TAKEN: {
    status: 409,
    zh: '设备厂商平台“{name}”已登记，未作任何更改',
    en: 'Device vendor platform "{name}" is already registered; nothing was changed',
  },
  // end alarms-ingest
  // issue 18 (alarms-mqtt)
  // end alarms-mqtt
  // issue 18 (alarms-rules)
  ALARM_ALREADY_ACKNOWLEDGED: {
    status: 409,
    zh: '告警（编号 {id}）已由 {who} 于 {when} 接警：不能再次接警，未做任何更改',
    en: 'Alarm {id} was already acknowledged by {who} at {when}: it cannot be acknowledged again; nothing was changed',
  },
  ALARM_ALREADY_RESOLVED: {
    status: 409,
    zh: '告警（编号 {id}）已由 {who} 于 {when} 办结：不能再处置或办结，未做任何更改',
    en: 'Alarm {id} was already resolved by {who} at {when}: no further action or resolution is possible; nothing was changed',
  },
  ALARM_CHANGED: {
    status: 409,
    zh: '告警（编号 {id}）刚被他人更改：请刷新后重试，未做任何更改',
    en: 'Alarm {id} was just changed by someone else: refresh and try again; nothing was changed',
  },
  ALARM_CHANGED_BY: {
    status: 409,
    zh: '告警（编号 {id}）已由 {who} 于 {when} 更改：请刷新后重试，未做任何更改',
    en: 'Alarm {id} was changed by {who} at {when}: refresh and try again; nothing was changed',
  },
  ALARM_ASSIGN_TARGET: {
    status: 422,
    zh: '账号（编号 {to}）不是可处置该告警的在岗热线坐席（须为本辖区内在用的接线员或值班长），未做任何更改',
    en: 'Account {to} is not an active hotline operator who may handle this alarm (an operator or supervisor of its area); nothing was changed',
  },
  ALARM_ASSIGN_SAME: {
    status: 409,
    zh: '告警（编号 {id}）已由 {who} 处置中，无需转派，未做任何更改',
    en: 'Alarm {id} is already held by {who}; nothing was changed',
  },
  ALARM_FOLLOWUP_NOT_SERVICE: {
    status: 400,
    zh: '告警（编号 {id}）不是服务呼叫（绿键）：办结时不能下服务工单或安排回电，未做任何更改',
    en: 'Alarm {id} is not a service call (green button): resolving it cannot create a service order or a call-back; nothing was changed',
  },
  ALARM_RULE_NOT_FOUND: {
    status: 404,
    zh: '告警规则“{key}”不存在（本辖区的规则：{keys}），未做任何更改',
    en: 'There is no alarm rule “{key}” (this jurisdiction’s rules: {keys}); nothing was changed',
  },
  ALARM_OVERRIDE_NOT_FOUND: {
    status: 404,
    zh: '该老人（编号 {personId}）没有告警规则“{key}”的个人调整，无需清除，未做任何更改',
    en: 'Person {personId} has no personal change of alarm rule “{key}” to clear; nothing was changed',
  },
  ALARM_OVERRIDE_OFFLINE_MINUTES: {
    status: 400,
    zh: '告警规则“{key}”判定设备离线，个人调整的阈值不能少于 {min} 分钟：设备的最后在线时间至多每分钟记录一次，更短的阈值会把正常在线的设备判为离线，未做任何更改',
    en: 'Alarm rule “{key}” marks devices offline: a personal threshold may not be under {min} minutes, since a device’s last-seen time is written at most once a minute and a shorter one would mark devices that report normally offline; nothing was changed',
  },
  // end alarms-rules
  // issue 18 (alarms-assign)
  ALARM_HELD_BY_OTHER: {
    status: 409,
    zh: '告警（编号 {id}）自 {when} 起由 {who} 处置：只有处置人或值班长可以记录处置、备注或办结，未做任何更改',
    en: 'Alarm {id} has been held by {who} since {when}: only its holder or a shift supervisor may record an action or a note or resolve it; nothing was changed',
  },
  // end alarms-assign
  // issue 18 (alarms-hotline)
  HOTLINE_PERSON_NOT_FOUND: {
    status: 404,
    zh: '未找到老人（编号 {id}），或其不在您的管辖范围内，未做任何更改',
    en: 'Person {id} not found, or outside your area; nothing was changed',
  },
  HOTLINE_CONTACT_NOT_FOUND: { status: 404, zh: '未找到紧急联系人（编号 {id}），未做任何更改', en: 'Emergency contact {id} not found; nothing was changed' },
  HOTLINE_PHONE_FORMAT: {
    status: 400,
    zh: '电话号码 {field} 格式有误：应为 7–20 位数字（可含 + - 和空格），未做任何更改',
    en: 'Phone number {field} is malformed: 7–20 digits (+, - and spaces allowed); nothing was changed',
  },
  HOTLINE_TICKET_NOT_FOUND: { status: 404, zh: '未找到热线工单（编号 {id}），未做任何更改', en: 'Hotline ticket {id} not found; nothing was changed' },
  HOTLINE_TICKET_CLOSED: {
    status: 409,
    zh: '热线工单（编号 {id}）已于 {closedAt} 办结，不能再次办结或派单，未做任何更改',
    en: 'Hotline ticket {id} was closed at {closedAt}; it cannot be closed again or get an order; nothing was changed',
  },
  HOTLINE_ORDER_NOT_SERVICE_REQUEST: {
    status: 409,
    zh: '热线工单（编号 {id}）的类型是“{kind}”：只有服务需求工单可以生成服务工单，未做任何更改',
    en: 'Hotline ticket {id} is a “{kind}” ticket: only a service request ticket can create a service order; nothing was changed',
  },
  HOTLINE_ORDER_NEEDS_PERSON: {
    status: 409,
    zh: '热线工单（编号 {id}）没有关联老人：生成服务工单须先确定服务对象，未做任何更改',
    en: 'Hotline ticket {id} names no person: a service order needs the person served; nothing was changed',
  },
  HOTLINE_ALARM_NOT_FOUND: {
    status: 404,
    zh: '工单关联的告警（编号 {id}）不存在或不在您的管辖范围内，未做任何更改',
    en: 'The alarm {id} the ticket refers to does not exist or is outside your area; nothing was changed',
  },
  HOTLINE_CALLBACK_NOT_FOUND: { status: 404, zh: '未找到回访（编号 {id}），未做任何更改', en: 'Return call {id} not found; nothing was changed' },
  HOTLINE_CALLBACK_CLOSED: {
    status: 409,
    zh: '回访（编号 {id}）已结束（状态：{status}），不能再记录结果，未做任何更改',
    en: 'Return call {id} is finished (status: {status}); no further outcome can be recorded; nothing was changed',
  },
  HOTLINE_DUE_DATE: {
    status: 400,
    zh: '回访日期 {dueOn} 有误：应为 YYYY-MM-DD 格式的日期，未安排回访',
    en: 'Return-call date {dueOn} is malformed: a date as YYYY-MM-DD is required; no return call was scheduled',
  },
  HOTLINE_ARTICLE_NOT_FOUND: {
    status: 404,
    zh: '未找到知识库条目（编号 {id}），或其不属于本辖区或已停用，未做任何更改',
    en: 'Knowledge-base answer {id} not found, not of this jurisdiction, or withdrawn; nothing was changed',
  },
  HOTLINE_ARTICLE_ITEM_UNKNOWN: {
    status: 400,
    zh: '知识库条目关联的事项“{item}”不在本辖区现行的政策目录中，未做任何更改',
    en: 'The item “{item}” the answer refers to is not in this jurisdiction’s current catalogue; nothing was changed',
  },
  // end alarms-hotline
  // issue 18 (alarms-reports)
  ALARM_REPORT_PERIOD: {
    status: 400,
    zh: '报表期间有误：{from} 至 {to}（北京时间）——起始日期不能晚于结束日期，跨度不超过 {maxDays} 天',
    en: 'Report period {from} to {to} (Beijing time) refused: the start may not be after the end, and it spans at most {maxDays} days',
  },
  ALARM_REPORT_REGION: {
    status: 404,
    zh: '未找到地区“{region}”，或其不在您的管辖范围内：告警与热线报表只能按您辖区内的地区统计',
    en: 'Region "{region}" not found, or outside your area: alarm and hotline reports are counted only for regions in your area',
  },
  // end alarms-reports
  // issue 19 (facilities)
  FACILITY_NOT_FOUND: {
    status: 404,
    zh: '未找到养老服务设施（编号 {id}），或其不在您的管辖范围内，未做任何更改',
    en: 'Facility {id} not found, or outside your area; nothing was changed',
  },
  FACILITY_INACTIVE: {
    status: 409,
    zh: '设施“{name}”已停用，不能办理入住，未做任何更改',
    en: 'Facility “{name}” is inactive and admits nobody; nothing was changed',
  },
  FACILITY_REGION: {
    status: 400,
    zh: '所在地区“{region}”有误：须为您管辖范围内的镇（街道）或村（社区），未做任何更改',
    en: 'Region “{region}” refused: a town or village in your area is required; nothing was changed',
  },
  FACILITY_COORDINATES: {
    status: 400,
    zh: '坐标 {field} = {value} 不可能：应在 {min} 至 {max} 之间（WGS-84 度），未做任何更改',
    en: 'Coordinate {field} = {value} is impossible: it must be between {min} and {max} (WGS-84 degrees); nothing was changed',
  },
  FACILITY_OUTSIDE_CHINA: {
    status: 400,
    zh: '坐标（纬度 {lat}，经度 {lng}）不在中国境内（东经73–135度、北纬18–54度）：请核对是否把经纬度填反，未做任何更改',
    en: 'The location (lat {lat}, lng {lng}) is outside China (73–135 E, 18–54 N): check whether latitude and longitude are swapped; nothing was changed',
  },
  FACILITY_GRADE: {
    status: 400,
    zh: '等级“{grade}”不适用于{kind}：可选等级为 {allowed}，未做任何更改',
    en: 'Grade “{grade}” does not apply to a {kind}: the grades are {allowed}; nothing was changed',
  },
  FACILITY_PROVIDER_NOT_FOUND: {
    status: 404,
    zh: '未找到居家服务机构（编号 {id}），未做任何更改',
    en: 'Home-service provider {id} not found; nothing was changed',
  },
  FACILITY_BED_COUNT: {
    status: 400,
    zh: '新增床位数 {count} 有误：须为 1 至 2000 之间的整数，未新增任何床位',
    en: 'Number of beds to add {count} refused: a whole number from 1 to 2000 is required; no bed was added',
  },
  FACILITY_BED_LABEL_TAKEN: {
    status: 409,
    zh: '床位编号“{label}”在本设施已存在，未新增任何床位',
    en: 'Bed label “{label}” already exists in this facility; no bed was added',
  },
  FACILITY_BED_NOT_FOUND: {
    status: 404,
    zh: '未找到床位（{bed}），或其不属于该设施或已撤销，未做任何更改',
    en: 'Bed {bed} not found, not of this facility, or retired; nothing was changed',
  },
  FACILITY_BED_TAKEN: {
    status: 409,
    zh: '床位“{bed}”自 {since} 起已有老人入住：一张床位不能同时安排两人，未做任何更改',
    en: 'Bed “{bed}” is occupied since {since}: a bed cannot hold two residents; nothing was changed',
  },
  FACILITY_BED_OCCUPIED: {
    status: 409,
    zh: '床位“{bed}”有老人入住，不能撤销：请先办理转床或退住，未做任何更改',
    en: 'Bed “{bed}” is occupied and cannot be retired: transfer or discharge its resident first; nothing was changed',
  },
  FACILITY_PERSON_NOT_FOUND: {
    status: 404,
    zh: '未找到老人（编号 {id}），或其不在您的管辖范围内，未做任何更改',
    en: 'Person {id} not found, or outside your area; nothing was changed',
  },
  FACILITY_PERSON_RESIDENT: {
    status: 409,
    zh: '该老人自 {since} 起已入住“{facility}”：同一时间只能入住一家机构，请办理转院，未做任何更改',
    en: 'The person lives in “{facility}” since {since}: one may live in one facility at a time (transfer instead); nothing was changed',
  },
  FACILITY_RESIDENT_NOT_FOUND: {
    status: 404,
    zh: '未找到在住记录（编号 {id}），或其已结束，未做任何更改',
    en: 'Stay {id} not found or already ended; nothing was changed',
  },
  FACILITY_DATE: {
    status: 400,
    zh: '日期 {field} = {value} 有误：应为 YYYY-MM-DD 格式的日期，未做任何更改',
    en: 'Date {field} = {value} is malformed: a date as YYYY-MM-DD is required; nothing was changed',
  },
  FACILITY_STAY_DATE: {
    status: 409,
    zh: '日期 {on} 早于本次入住的开始日期 {since}，未做任何更改',
    en: 'Date {on} is before this stay began ({since}); nothing was changed',
  },
  FACILITY_STAFF_NOT_FOUND: {
    status: 404,
    zh: '未找到工作人员（编号 {id}），或其不属于该设施，未做任何更改',
    en: 'Staff member {id} not found or not of this facility; nothing was changed',
  },
  FACILITY_STAFF_DATES: {
    status: 400,
    zh: '离职日期 {end} 早于入职日期 {start}，未做任何更改',
    en: 'End date {end} is before the start date {start}; nothing was changed',
  },
  FACILITY_STAFF_FTE: {
    status: 400,
    zh: '折算全职比例 {fte} 有误：全职为 1，兼职须大于 0、小于 1，未做任何更改',
    en: 'FTE fraction {fte} refused: 1 for full time, more than 0 and less than 1 for part time; nothing was changed',
  },
  // end facilities
  // issue 19 (supervision)
  SUPERVISION_ROUND_NOT_FOUND: { status: 404, zh: '未找到抽查轮次（编号 {id}）', en: 'Inspection round {id} not found' },
  SUPERVISION_INSPECTION_NOT_FOUND: { status: 404, zh: '未找到检查（编号 {id}）', en: 'Inspection {id} not found' },
  SUPERVISION_CONFLICT_NOT_FOUND: { status: 404, zh: '未找到回避关系（编号 {id}）', en: 'Declared link {id} not found' },
  SUPERVISION_TARGET_UNKNOWN: {
    status: 404,
    zh: '未找到检查对象“{target}”（或不在本辖区）',
    en: 'Inspection target "{target}" not found (or outside the jurisdiction)',
  },
  SUPERVISION_INSPECTOR_UNKNOWN: { status: 400, zh: '用户（编号 {id}）不是在岗的检查员', en: 'User {id} is not an active inspector' },
  SUPERVISION_EMPTY_TARGETS: {
    status: 422,
    zh: '检查对象名录为空：本辖区没有在册的机构或服务商，未公告任何轮次',
    en: 'The target pool is empty: no facility or provider is registered in the jurisdiction; nothing was announced',
  },
  SUPERVISION_EMPTY_INSPECTORS: {
    status: 422,
    zh: '检查人员名录为空：本辖区没有在岗的检查员，未公告任何轮次',
    en: 'The inspector pool is empty: no active inspector in the jurisdiction; nothing was announced',
  },
  SUPERVISION_TOO_MANY: {
    status: 422,
    zh: '信用等级“{stratum}”需抽取 {wanted} 个对象，但名录中只有 {available} 个，未抽取',
    en: 'Stratum "{stratum}" asks for {wanted} targets but the pool holds {available}; nothing was drawn',
  },
  SUPERVISION_ALL_CONFLICTED: {
    status: 422,
    zh: '检查对象“{target}”只有 {eligible} 名无回避关系的检查员，每个对象需要 {wanted} 名，未抽取',
    en: 'Target "{target}" has only {eligible} inspectors without a declared link, and each target needs {wanted}; nothing was drawn',
  },
  SUPERVISION_BAD_HEX: { status: 400, zh: '“{field}”应为 64 位小写十六进制字符', en: '"{field}" must be 64 lower-case hexadecimal characters' },
  SUPERVISION_SECRET_MISMATCH: {
    status: 422,
    zh: '公布的密钥与公告时的承诺值不符（SHA-256 不一致），未抽取',
    en: 'The revealed secret does not match the commitment published at announcement (SHA-256 differs); nothing was drawn',
  },
  SUPERVISION_ALREADY_DRAWN: { status: 409, zh: '抽查轮次（编号 {id}）已抽取，不能再抽', en: 'Round {id} has already been drawn' },
  SUPERVISION_DRAW_TOO_EARLY: {
    status: 409,
    zh: 'drand 第 {round} 轮将于 {at}（UTC）公布，此前不能抽取',
    en: 'drand round {round} is published at {at} (UTC); the draw cannot be made before',
  },
  SUPERVISION_DRAND_ROUND_PAST: {
    status: 400,
    zh: 'drand 第 {round} 轮已于 {at}（UTC）公布：外部随机数须在公告时尚未公布，请选择更晚的轮次',
    en: 'drand round {round} was published at {at} (UTC): the external value must be unknown at announcement; choose a later round',
  },
  SUPERVISION_CHECKLIST_UNKNOWN: { status: 400, zh: '未知的检查表“{key}”', en: 'Unknown checklist "{key}"' },
  SUPERVISION_ITEM_UNKNOWN: { status: 400, zh: '检查项“{item}”不在本检查表中', en: 'Item "{item}" is not on this checklist' },
  SUPERVISION_ITEMS_INCOMPLETE: {
    status: 400,
    zh: '检查表还有 {count} 项未填写（如“{item}”），未提交',
    en: '{count} checklist items are not answered (e.g. "{item}"); nothing was submitted',
  },
  SUPERVISION_NOTE_REQUIRED: { status: 400, zh: '不合格项“{item}”须填写说明', en: 'The failed item "{item}" needs a note' },
  SUPERVISION_NOT_ASSIGNED: { status: 403, zh: '您不是检查（编号 {id}）的检查人员', en: 'You are not an inspector of inspection {id}' },
  SUPERVISION_INSPECTION_STATE: {
    status: 409,
    zh: '检查（编号 {id}）当前状态为“{status}”，不能执行此操作',
    en: 'Inspection {id} is {status}; this step is not possible now',
  },
  SUPERVISION_CONFLICTED_INSPECTOR: {
    status: 422,
    zh: '检查员（编号 {inspector}）与检查对象“{target}”有回避关系，不能指派',
    en: 'Inspector {inspector} declared a link to "{target}" and cannot be assigned',
  },
  // end supervision
  // issue 19 (admission)
  ADMISSION_PERSON_NOT_FOUND: {
    status: 404,
    zh: '未找到老人（编号 {id}），或其不在您的管辖范围内，未做任何更改',
    en: 'Person {id} not found, or outside your area; nothing was changed',
  },
  ADMISSION_PERSON_CLOSED: {
    status: 422,
    zh: '老人（编号 {id}）在册状态为“{status}”：只有在册的老人可以申请入住轮候，未做任何更改',
    en: 'Person {id} is “{status}” on the register: only a person on the register may join the queue; nothing was changed',
  },
  ADMISSION_FACILITY_NOT_FOUND: { status: 404, zh: '未找到养老机构（编号 {id}），未做任何更改', en: 'Institution {id} not found; nothing was changed' },
  ADMISSION_FACILITY_NOT_PUBLIC: {
    status: 422,
    zh: 'facilityId：“{name}”是{what}，轮候只受理公办（含公建民营）且在运营的养老机构的入住申请，未做任何更改',
    en: 'facilityId: “{name}” is {what}; the queue takes applications only to public (or publicly built, privately run) institutions in service; nothing was changed',
  },
  ADMISSION_ALREADY_OPEN: {
    status: 409,
    zh: 'personId：该老人已于 {on} 申请入住“{facility}”（申请编号 {id}），尚在轮候中：同一机构只能有一份未结的申请，未做任何更改',
    en: 'personId: this person applied to “{facility}” on {on} (application {id}) and is still in its queue: one open application per institution; nothing was changed',
  },
  ADMISSION_DATE: {
    status: 400,
    zh: 'appliedOn：申请日期 {value} 应为不晚于今天的日期 YYYY-MM-DD，未做任何更改',
    en: 'appliedOn: the application date {value} must be a date YYYY-MM-DD no later than today; nothing was changed',
  },
  ADMISSION_APPLICATION_NOT_FOUND: {
    status: 404,
    zh: '未找到轮候申请（编号 {id}），或其不在您的管辖范围内，未做任何更改',
    en: 'Application {id} not found, or outside your area; nothing was changed',
  },
  ADMISSION_NOT_OPEN: {
    status: 409,
    zh: '轮候申请（编号 {id}）当前为“{status}”，不能{act}，未做任何更改',
    en: 'Application {id} is “{status}” and cannot be {act}; nothing was changed',
  },
  ADMISSION_NOT_FIRST: {
    status: 409,
    zh: '轮候申请（编号 {id}）排在第 {position} 位，前面还有 {ahead} 位等候的申请人：空床应先提供给排在最前的等候者，未做任何更改',
    en: 'Application {id} is at place {position} with {ahead} waiting applicants ahead: a free bed goes to the first one waiting; nothing was changed',
  },
  ADMISSION_BED_NOT_FREE: {
    status: 409,
    zh: '床位 {bed} {why}：请选择“{facility}”另一张空闲的{type}床位，未做任何更改',
    en: 'Bed {bed} {why}: choose another free {type} bed of “{facility}”; nothing was changed',
  },
  ADMISSION_NOT_OFFERED: {
    status: 409,
    zh: '轮候申请（编号 {id}）没有待答复的床位，不能记录接受或放弃，未做任何更改',
    en: 'Application {id} has no bed offered awaiting an answer: there is nothing to accept or decline; nothing was changed',
  },
  ADMISSION_CODE_NOT_FOUND: {
    status: 404,
    zh: '未找到该查询码对应的轮候申请，请核对回执上的查询码',
    en: 'No application has this tracking code; check the code on the receipt',
  },
  // end admission
  // issue 19: complaints and satisfaction surveys (src/modules/complaints)
  COMPLAINT_NOT_FOUND: { status: 404, zh: '未找到投诉举报（编号 {id}），未做任何更改', en: 'Complaint {id} not found; nothing was changed' },
  COMPLAINT_TRACKING_NOT_FOUND: {
    status: 404,
    zh: '没有找到这个查询码的投诉。请核对查询码（形如 TS-XXXX-XXXX-XXXX-XXXX）后再试',
    en: 'No complaint has this tracking number. Check the number (like TS-XXXX-XXXX-XXXX-XXXX) and try again',
  },
  COMPLAINT_MARKUP: {
    status: 400,
    zh: '“{field}”中含有网页代码（如 <script>、<a>）：请只写文字，未做任何保存',
    en: '“{field}” contains web page code (such as <script> or <a>): please write plain words; nothing was saved',
  },
  COMPLAINT_TARGET_NOT_FOUND: {
    status: 422,
    zh: '被投诉的{kind}（编号 {id}）不存在，未做任何保存',
    en: 'The {kind} complained about (id {id}) does not exist; nothing was saved',
  },
  COMPLAINT_TARGET_NAME_REQUIRED: {
    status: 400,
    zh: '被投诉的对象不在列表中时，请填写其名称（targetName），未做任何保存',
    en: 'When the one complained about is not in the list, give its name (targetName); nothing was saved',
  },
  COMPLAINT_REGION_UNKNOWN: {
    status: 422,
    zh: '地区代码 {region}（regionCode）不在本辖区内，未做任何保存',
    en: 'Region {region} (regionCode) is not in this jurisdiction; nothing was saved',
  },
  COMPLAINT_DATE: {
    status: 400,
    zh: '发生日期（happenedOn）{date} 不能晚于今天，未做任何保存',
    en: 'The date it happened (happenedOn) {date} cannot be after today; nothing was saved',
  },
  COMPLAINT_CLOSED: { status: 409, zh: '投诉举报（编号 {id}）已办结，不能再更改', en: 'Complaint {id} is closed and cannot be changed' },
  COMPLAINT_REPLY_REQUIRED: {
    status: 409,
    zh: '投诉举报（编号 {id}）尚未答复投诉人：须先答复再办结，未做任何更改',
    en: 'Complaint {id} has no reply to the complainant yet: reply before closing; nothing was changed',
  },
  COMPLAINT_OFFICER_INVALID: {
    status: 422,
    zh: '用户（编号 {user}）不是承办单位 {unit} 的在岗乡镇（街道）工作人员，未做任何更改',
    en: 'User {user} is not an active town officer of unit {unit}; nothing was changed',
  },
  COMPLAINT_UNIT_INVALID: {
    status: 422,
    zh: '承办单位 {unit} 不是您管辖范围内的乡镇（街道），未做任何更改',
    en: 'Unit {unit} is not a town (street) in your area; nothing was changed',
  },
  SURVEY_CALL_NOT_FOUND: { status: 404, zh: '未找到满意度回访（编号 {id}）', en: 'Survey call {id} not found' },
  SURVEY_CALL_ANSWERED: {
    status: 409,
    zh: '满意度回访（编号 {id}）已于 {at} 记录结果，不能重复记录',
    en: 'Survey call {id} was already answered at {at}; it cannot be answered again',
  },
  SURVEY_SCORES_REQUIRED: {
    status: 400,
    zh: '服务对象确认服务已提供时，须填写全部 4 项评分（1-5 分）',
    en: 'When the service was given, all four scores (1-5) are needed',
  },
  SURVEY_PERIOD: { status: 400, zh: '抽样月份 {period} 不能晚于本月', en: 'The month to draw, {period}, cannot be after this month' },
  // indicators (issue 20)
  INDICATOR_NOT_FOUND: { status: 404, zh: '未找到指标“{key}”', en: 'Indicator "{key}" not found' },
  INDICATOR_PERIOD_FUTURE: { status: 400, zh: '{period} 尚未开始，没有可计算的指标', en: '{period} has not begun: there is nothing to compute yet' },
  // end indicators
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
export type Locale = 'zh-CN' | 'en';

/** A label both languages declare (a department, an entity, a field), never a sentence. */
export interface Text {
  zh: string;
  en: string;
}

/** One problem of a request field, as Fastify's validator (zod) reports it. */
export interface FieldIssue {
  /** where: body.x.y, querystring.page, params.id */
  field: string;
  /** the zod issue code: invalid_type, too_small, too_big, invalid_format, invalid_value, ... */
  issue: string;
  /** what a size bound counts: string (characters), array (items), number (the value) */
  origin?: string;
  minimum?: number | string;
  maximum?: number | string;
  expected?: string;
  format?: string;
  values?: string[];
  keys?: string[];
}

/** The `{name}` placeholders of a template, as a union of names. */
export type Holes<S extends string> = S extends `${string}{${infer K}}${infer R}` ? K | Holes<R> : never;
type Entry<C extends ErrorCode> = (typeof errorCatalogue)[C];
type Simple = string | number;

/** Codes whose parameters are more than plain values; every other code takes its templates' holes. */
interface Structured {
  VALIDATION: { issues: FieldIssue[] };
  NOT_FOUND: { what: Text };
  CONFLICT_FIELD_LOCKED: { field: Text };
  IMPORT_COLUMNS: { source: Text; unknown: string; duplicated: string; missing: string };
  ROLL_STALE: { reason: Text };
  PAUSE_ACTIVE: { reason: Text };
  PAUSE_AUTOMATIC: { reason: Text; how: Text };
  PARAMETERS_UNSET: { period: Simple; names: Text };
  SETTING_REFUSED: { name: Simple; reason: Text };
  SETTING_INVALID: { name: Simple; issues: FieldIssue[] };
  SETTING_NOT_A_CHOICE: { name: Simple; value: Simple; choices: Text };
  PARAM_PERIOD_SET: { parameter: Simple; from: Simple };
  ASSESSMENT_TAKEOVER_INVALID: { row: Simple; problem: Text };
  // issue 16: structured parameters (each helper adds its own lines here)
  // issue 19 (facilities)
  FACILITY_GRADE: { grade: Simple; kind: Text; allowed: Text };
  TIMEBANK_INSUFFICIENT: { account: Simple; balance: Text; amount: Text };
  TIMEBANK_UNCONFIRMED: { id: Simple; status: Text };
  TIMEBANK_ACCOUNT_EXISTS: { holder: Text; id: Simple };
  CARE_EVENT_TIMES: { start: Simple; end: Simple; problem: Text };
  VISIT_FINDING_UNKNOWN: { code: Simple; where: Text };
  TIMEBANK_VOID_SPENT: { event: Simple; volunteer: Simple; account: Simple; hours: Text; balance: Text };
  COMPLAINT_TARGET_NOT_FOUND: { kind: Text; id: Simple };
  COMPLAINT_MARKUP: { field: Text };
  SUPERVISION_INSPECTION_STATE: { id: Simple; status: Text };
  SUPERVISION_ITEMS_INCOMPLETE: { count: Simple; item: Text };
  SUPERVISION_NOTE_REQUIRED: { item: Text };
  // issue 19 (admission): words in both languages
  ADMISSION_PERSON_CLOSED: { id: Simple; status: Text };
  ADMISSION_FACILITY_NOT_PUBLIC: { name: Simple; what: Text };
  ADMISSION_NOT_OPEN: { id: Simple; status: Text; act: Text };
  ADMISSION_BED_NOT_FREE: { bed: Text; why: Text; facility: Simple; type: Text };
}

export type ErrorParams<C extends ErrorCode> = C extends keyof Structured ? Structured[C] : { [K in Holes<Entry<C>['zh']> | Holes<Entry<C>['en']>]: Simple };

export type ParamValue = Simple | Text | FieldIssue[];
type Args<C extends ErrorCode> =
  Record<string, never> extends ErrorParams<C> ? [params?: ErrorParams<C>, details?: unknown] : [params: ErrorParams<C>, details?: unknown];

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly params: ErrorParams<C>;
  readonly details: unknown;
  constructor(code: C, ...[params, details]: Args<C>) {
    const p = (params ?? {}) as ErrorParams<C>;
    super(formatMessage(code, p, 'en'));
    this.name = 'AppError';
    this.code = code;
    this.params = p;
    this.details = details;
  }
  get status(): number {
    return errorCatalogue[this.code].status;
  }
  /** The same error with other details (e.g. the import it ended). */
  withDetails(details: unknown): AppError<C> {
    return new AppError<C>(this.code, ...([this.params, details] as unknown as Args<C>));
  }
}

/** The message in the viewer's language, every placeholder filled from typed params. */
export function formatMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>, locale: Locale): string {
  const values = params as unknown as Record<string, ParamValue | undefined>;
  return fillTemplate(errorCatalogue[code], values, locale);
}

/**
 * Fills a zh/en template pair: a `Text` value in the locale's language, a list of field issues
 * worded one by one, anything else as it is. Also used by the other catalogues of messages
 * (import row reasons).
 */
export function fillTemplate(templates: Text, values: Record<string, ParamValue | undefined>, locale: Locale): string {
  const en = locale === 'en';
  return (en ? templates.en : templates.zh).replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) return `{${k}}`;
    if (Array.isArray(v)) return v.map((i) => issueText(i, locale)).join(en ? '; ' : '；');
    if (typeof v === 'object') return en ? v.en : v.zh;
    return String(v);
  });
}

/** A zod issue (its code and bounds) as a catalogue FieldIssue at `field`. */
export function zodIssue(field: string, zod: { code: string }): FieldIssue {
  // the bounds and lists sit on the issue beside its code, differing by code
  const issue = zod as { code: string } & Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? x : undefined);
  const strings = (x: unknown) => (Array.isArray(x) ? x.map(String) : undefined);
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return {
    field,
    issue: issue.code,
    origin: str(issue.origin),
    minimum: text(issue.minimum),
    maximum: text(issue.maximum),
    expected: str(issue.expected),
    format: str(issue.format),
    values: strings(issue.values),
    keys: strings(issue.keys),
  };
}

function sized(origin: string | undefined, side: 'least' | 'most', n: string, en: boolean): string {
  if (origin === 'string') return en ? `must have at ${side} ${n} characters` : `${side === 'least' ? '至少' : '最多'} ${n} 个字符`;
  if (origin === 'array' || origin === 'set') return en ? `must have at ${side} ${n} items` : `${side === 'least' ? '至少' : '最多'} ${n} 项`;
  return en ? `must be at ${side} ${n}` : `${side === 'least' ? '不能小于' : '不能大于'} ${n}`;
}

const list = (v: string[] | undefined) => (v ?? []).join(', ');

/** One validation issue in words, its field path kept. Codes not met so far read generically. */
export function issueText(i: FieldIssue, locale: Locale): string {
  const en = locale === 'en';
  const bound = (b: number | string | undefined) => String(b ?? '?');
  let text: string;
  switch (i.issue) {
    case 'invalid_type':
      text = en ? `must be ${i.expected ? `of type ${i.expected}` : 'of another type'}` : `类型不符${i.expected ? `（应为 ${i.expected}）` : ''}`;
      break;
    case 'too_small':
      text = sized(i.origin, 'least', bound(i.minimum), en);
      break;
    case 'too_big':
      text = sized(i.origin, 'most', bound(i.maximum), en);
      break;
    case 'invalid_format':
      text = en ? `is not in the expected format${i.format ? ` (${i.format})` : ''}` : `格式不正确${i.format ? `（${i.format}）` : ''}`;
      break;
    case 'invalid_value':
      text = en ? `must be one of: ${list(i.values)}` : `应为以下之一：${list(i.values)}`;
      break;
    case 'unrecognized_keys':
      text = en ? `unknown keys: ${list(i.keys)}` : `不认识的字段：${list(i.keys)}`;
      break;
    case 'invalid_union':
      text = en ? 'matches none of the allowed forms' : '不符合任何允许的形式';
      break;
    case 'not_multiple_of':
      text = en ? 'is not an allowed multiple' : '不是允许的倍数';
      break;
    default:
      text = en ? 'is not valid' : '取值无效';
  }
  return `${i.field}: ${text}`;
}

/** What NOT_FOUND may name. */
export const nouns = {
  person: { zh: '人员', en: 'Person' },
  user: { zh: '用户', en: 'User' },
  conflict: { zh: '冲突记录', en: 'Conflict' },
  import: { zh: '导入记录', en: 'Import' },
  idNumber: { zh: '身份证号', en: 'ID number' },
  phone: { zh: '联系电话', en: 'Phone' },
  run: { zh: '测算', en: 'Run' },
  runCatalogue: { zh: '测算所用清单', en: 'Catalogue of the run' },
  change: { zh: '变动记录', en: 'Change' },
  roll: { zh: '发放名册', en: 'Payment roll' },
  rollLine: { zh: '名册中的该人员', en: 'Line of the roll' },
  pause: { zh: '暂停发放记录', en: 'Payment pause' },
  catalogue: { zh: '服务清单', en: 'Catalogue' },
  jurisdictionSettings: { zh: '本地区的设置', en: 'Settings of this jurisdiction' },
  jurisdiction: { zh: '您可查看的、执行服务清单的该地区', en: 'Jurisdiction (running a catalogue, within what you may see)' },
} as const satisfies Record<string, Text>;
export type Noun = keyof typeof nouns;

export function notFound(what: Noun): AppError<'NOT_FOUND'>;
/**
 * @deprecated Two free strings: kept only for src/modules/catalogue and src/modules/settings
 * (owned elsewhere) until they name a noun; errors.test.ts fails on any other user.
 */
export function notFound(what: string, whatEn: string): AppError<'NOT_FOUND'>;
export function notFound(what: string, whatEn?: string): AppError<'NOT_FOUND'> {
  return new AppError('NOT_FOUND', { what: whatEn === undefined ? nouns[what as Noun] : { zh: what, en: whatEn } });
}
