/**
 * The alarms module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console. Each part keeps its own block.
 */
export const vocabulary = {
  actions: {
    // ingest
    'alarms.device_register': { zh: '登记监测设备', en: 'Register a monitoring device' },
    'alarms.device_retire': { zh: '停用监测设备', en: 'Retire a monitoring device' },
    'alarms.devices_read': { zh: '查看监测设备列表', en: 'View monitoring devices' },
    'alarms.device_read': { zh: '查看监测设备（含服务地址）', en: 'View a monitoring device (with its address)' },
    'alarms.vendor_create': { zh: '登记设备厂商平台并生成密钥', en: 'Register a device vendor platform and issue its key' },
    'alarms.vendor_rotate': { zh: '更换设备厂商平台密钥', en: 'Rotate a device vendor platform’s secret' },
    'alarms.vendor_disable': { zh: '停用设备厂商平台密钥', en: 'Disable a device vendor platform’s key' },
    // end ingest
    // rules
    'alarms.acknowledge': { zh: '接警', en: 'Acknowledge an alarm' },
    'alarms.action': { zh: '记录告警处置', en: 'Record an action on an alarm' },
    'alarms.note': { zh: '告警添加备注', en: 'Add a note to an alarm' },
    'alarms.resolve': { zh: '办结告警', en: 'Resolve an alarm' },
    'alarms.assign': { zh: '接管或转派告警', en: 'Take over or reassign an alarm' },
    'alarms.override_set': { zh: '调整个人告警规则', en: 'Change a person’s alarm rule' },
    'alarms.override_clear': { zh: '恢复个人告警规则', en: 'Restore a person’s alarm rule' },
    'alarms.alarms_read': { zh: '查看告警列表', en: 'View alarms' },
    'alarms.alarm_read': { zh: '查看告警详情', en: 'View an alarm' },
    'alarms.overrides_read': { zh: '查看个人告警规则', en: 'View a person’s alarm rules' },
    'alarms.shift_read': { zh: '查看值班监控', en: 'View the shift' },
    // end rules
    // hotline
    'hotline.callback_schedule': { zh: '安排回访', en: 'Schedule a return call' },
    'hotline.callback_done': { zh: '记录回访结果', en: 'Record a return call' },
    'hotline.callbacks_read': { zh: '查看回访列表', en: 'View return calls' },
    'hotline.contacts_read': { zh: '查看紧急联系人', en: 'View emergency contacts' },
    'hotline.contact_add': { zh: '添加紧急联系人', en: 'Add an emergency contact' },
    'hotline.contact_update': { zh: '修改紧急联系人', en: 'Edit an emergency contact' },
    'hotline.contact_reveal': { zh: '显示紧急联系人完整号码', en: 'Reveal an emergency contact’s number' },
    'hotline.ticket_create': { zh: '登记热线工单', en: 'Record a hotline call' },
    'hotline.ticket_close': { zh: '办结热线工单', en: 'Close a hotline ticket' },
    'hotline.ticket_order': { zh: '热线工单转服务工单', en: 'Create a service order from a hotline ticket' },
    'hotline.ticket_read': { zh: '查看热线工单', en: 'View a hotline ticket' },
    'hotline.tickets_read': { zh: '查看热线工单列表', en: 'View hotline tickets' },
    'hotline.article_create': { zh: '新增知识库条目', en: 'Add a knowledge-base answer' },
    'hotline.article_update': { zh: '修改知识库条目', en: 'Edit a knowledge-base answer' },
    'hotline.person_summary': { zh: '查看老人热线概览', en: 'View a person’s hotline summary' },
    'hotline.discharge': { zh: '登记出院并申请复评', en: 'Record a hospital discharge and ask for reassessment' },
    // end hotline
    // reports
    'alarms.quality_read': { zh: '查看热线质检抽样', en: 'View the hotline quality-review sample' },
    'alarms.report_exported': { zh: '导出告警与热线报表', en: 'Export the alarm and hotline report' },
    // end reports
  } as Record<string, { zh: string; en: string }>,
  entities: {
    // ingest
    alarm_device: { zh: '监测设备', en: 'Monitoring device' },
    alarm_vendor: { zh: '设备厂商平台', en: 'Device vendor platform' },
    // end ingest
    // rules
    alarm: { zh: '告警', en: 'Alarm' },
    alarm_rule_override: { zh: '个人告警规则调整', en: 'Personal alarm rule change' },
    // end rules
    // hotline
    hotline_ticket: { zh: '热线工单', en: 'Hotline ticket' },
    hotline_callback: { zh: '回访', en: 'Return call' },
    hotline_contact: { zh: '紧急联系人', en: 'Emergency contact' },
    hotline_article: { zh: '知识库条目', en: 'Knowledge-base answer' },
    // end hotline
    // reports
    alarm_report: { zh: '告警与热线报表', en: 'Alarm and hotline report' },
    // end reports
  } as Record<string, { zh: string; en: string }>,
};

/** An alarm's kind in words: the alarm report's workbook and the indicators' drill-down say it alike. */
export const ALARM_KIND_WORDS: Record<string, { zh: string; en: string }> = {
  emergency: { zh: '紧急呼叫（红键）', en: 'Emergency (red button)' },
  fall: { zh: '跌倒', en: 'Fall' },
  service_request: { zh: '服务呼叫（绿键）', en: 'Service call (green button)' },
  no_movement: { zh: '长时间无活动', en: 'No movement' },
  out_of_bed: { zh: '夜间离床未归', en: 'Out of bed at night' },
  door_night: { zh: '夜间开门', en: 'Door opened at night' },
  offline: { zh: '设备离线', en: 'Device offline' },
  battery_low: { zh: '电量低', en: 'Battery low' },
  other: { zh: '其他', en: 'Other' },
};

/** A hotline ticket's kind in words (the alarm report's workbook). */
export const TICKET_KIND_WORDS: Record<string, { zh: string; en: string }> = {
  consultation: { zh: '咨询', en: 'Consultation' },
  service_request: { zh: '服务申请', en: 'Service request' },
  complaint: { zh: '投诉', en: 'Complaint' },
  emergency: { zh: '紧急求助', en: 'Emergency' },
};
