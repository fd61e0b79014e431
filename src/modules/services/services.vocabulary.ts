/**
 * The services module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    // providers
    'services.provider_create': { zh: '登记服务商', en: 'Register a provider' },
    'services.provider_update': { zh: '修改服务商', en: 'Edit a provider' },
    'services.caregiver_create': { zh: '登记护理员', en: 'Register a caregiver' },
    'services.caregiver_update': { zh: '修改护理员', en: 'Edit a caregiver' },
    'services.certificate_add': { zh: '登记护理员证书', en: 'Add a caregiver certificate' },
    'services.item_create': { zh: '新增服务项目', en: 'Add a service item' },
    'services.item_update': { zh: '修改服务项目或价格', en: 'Edit a service item or its price' },
    'services.clients_read': { zh: '查看服务对象', en: 'View clients' },
    'services.providers_read': { zh: '查看服务商', en: 'View providers' },
    'services.caregivers_read': { zh: '查看护理员', en: 'View caregivers' },
    'services.client_enrol': { zh: '登记服务对象', en: 'Enrol a client' },
    'services.client_end': { zh: '结束服务关系', en: 'End a client enrolment' },
    // end providers
    // orders
    'services.order_create': { zh: '创建服务工单', en: 'Create a service order' },
    'services.order_assigned': { zh: '服务工单派单', en: 'Assign a service order' },
    'services.order_reassigned': { zh: '服务工单改派', en: 'Reassign a service order' },
    'services.order_cancel': { zh: '取消服务工单', en: 'Cancel a service order' },
    'services.order_rate': { zh: '记录服务评价', en: 'Record a service rating' },
    'services.order_corrected': { zh: '更正服务工单的服务时间', en: 'Correct a service order’s visit times' },
    'services.order_read': { zh: '查看服务工单', en: 'View a service order' },
    'services.orders_read': { zh: '查看服务工单列表', en: 'View service orders' },
    'services.entitlement_read': { zh: '查看政府购买服务额度', en: 'View a government-purchased service entitlement' },
    // end orders
    // evv
    'services.my_orders_read': { zh: '查看护理员当日工单', en: 'View a caregiver’s orders of the day' },
    'services.check_in': { zh: '上门服务签到', en: 'Check in to a home service' },
    'services.check_out': { zh: '上门服务签退', en: 'Check out of a home service' },
    // end evv
    // settlement
    'services.settlement_read': { zh: '查看服务商月度结算', en: 'Read a provider’s monthly settlement' },
    'services.settlement_exported': { zh: '导出服务商结算单', en: 'Export a provider’s settlement statement' },
    'services.settlement_closed': { zh: '服务商月度结算关账', en: 'Close a provider’s month' },
    'services.feedback_drawn': { zh: '抽取回访样本', en: 'Draw the feedback-call sample' },
    'services.feedback_read': { zh: '查看回访抽查名单', en: 'Read the feedback-call list' },
    'services.feedback_recorded': { zh: '记录回访结果', en: 'Record a feedback call’s outcome' },
    // end settlement
    // beds-meals
    'services.beds_read': { zh: '查看家庭养老床位', en: 'View family care beds' },
    'services.bed_open': { zh: '建立家庭养老床位', en: 'Open family care bed' },
    'services.bed_update': { zh: '修改家庭养老床位的适老化改造或设备', en: 'Change family care bed adaptation or devices' },
    'services.bed_close': { zh: '撤销家庭养老床位', en: 'Close family care bed' },
    'services.meal_point_create': { zh: '设立助餐点', en: 'Open meal point' },
    'services.meal_point_update': { zh: '修改助餐点', en: 'Change meal point' },
    'services.meal_record': { zh: '记录助餐', en: 'Record meal served' },
    'services.meals_read': { zh: '查看助餐记录', en: 'View meals served' },
    // end beds-meals
    // anomalies
    'services.anomalies_read': { zh: '查看核验异常', en: 'View visit exceptions' },
    'services.anomaly_resolved': { zh: '说明核验异常', en: 'Resolve a visit exception' },
    'services.anomaly_reviewed': { zh: '审核核验异常', en: 'Review a visit exception' },
    // end anomalies
  } as Record<string, { zh: string; en: string }>,
  entities: {
    // providers
    service_provider: { zh: '服务商', en: 'Provider' },
    service_caregiver: { zh: '护理员', en: 'Caregiver' },
    service_item: { zh: '服务项目', en: 'Service item' },
    service_client: { zh: '服务对象', en: 'Client' },
    // end providers
    // orders
    service_order: { zh: '服务工单', en: 'Service order' },
    // end orders
    // evv
    // end evv
    // settlement
    service_settlement: { zh: '服务商月度结算', en: 'Provider’s monthly settlement' },
    service_feedback_call: { zh: '回访抽查', en: 'Feedback call' },
    // end settlement
    // beds-meals
    family_care_bed: { zh: '家庭养老床位', en: 'Family care bed' },
    meal_point: { zh: '助餐点', en: 'Meal point' },
    meal_serving: { zh: '助餐记录', en: 'Meal served' },
    // end beds-meals
    // anomalies
    service_anomaly: { zh: '核验异常', en: 'Visit exception' },
    // end anomalies
  } as Record<string, { zh: string; en: string }>,
};
