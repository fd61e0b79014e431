/**
 * The facilities module's words in the audit log. Pure data; src/modules/vocabulary.ts merges every
 * module's words for the console.
 */
export const vocabulary = {
  actions: {
    'facilities.create': { zh: '新建养老服务设施', en: 'Create facility' },
    'facilities.update': { zh: '修改养老服务设施', en: 'Change facility' },
    'facilities.beds_add': { zh: '新增床位', en: 'Add beds' },
    'facilities.bed_retire': { zh: '撤销床位', en: 'Retire bed' },
    'facilities.staff_add': { zh: '新增工作人员', en: 'Add staff member' },
    'facilities.staff_update': { zh: '修改工作人员', en: 'Change staff member' },
    'facilities.admit': { zh: '办理入住', en: 'Admit resident' },
    'facilities.transfer': { zh: '办理转床或转院', en: 'Transfer resident' },
    'facilities.discharge': { zh: '办理退住', en: 'Discharge resident' },
    'facilities.death': { zh: '登记在住老人身故', en: 'Record a resident’s death' },
    'facilities.residents_read': { zh: '查看在住老人名单', en: 'View residents' },
  } as Record<string, { zh: string; en: string }>,
  entities: {
    facility: { zh: '养老服务设施', en: 'Facility' },
    facility_bed: { zh: '床位', en: 'Bed' },
    facility_staff: { zh: '设施工作人员', en: 'Facility staff member' },
  } as Record<string, { zh: string; en: string }>,
};
