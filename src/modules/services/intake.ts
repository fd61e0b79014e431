import type { AppContext } from '../../platform/context.js';
import { can } from '../../platform/policy.js';
import type { Scope } from '../../platform/scope.js';
import { listFollowups } from '../visits/followups.js';
import type { FollowupsReply } from './orders.schema.js';

/**
 * Intake from visits: a visitor who finds an elder needs home services raises a 'home_service'
 * follow-up (visits); the officers and village heads who dispatch orders see those still open here,
 * and an order created with the follow-up's id closes it (orders.ts placeOrder). A provider's staff
 * do not handle visits' follow-ups (they are not visits' users): their list is empty.
 */
export async function listServiceFollowups(ctx: AppContext, scope: Scope, paging: { page: number; pageSize: number }): Promise<FollowupsReply> {
  if (scope.role === 'system' || scope.role === 'anonymous' || !can(scope.role, 'visits.read') || !can(scope.role, 'visits.followup_handle'))
    return { items: [], total: 0, page: paging.page, pageSize: paging.pageSize };
  // audited by visits' list (the persons shown)
  const page = await listFollowups(ctx, scope, { kind: 'home_service', status: 'active', page: paging.page, pageSize: paging.pageSize });
  return {
    items: page.items.map((f) => ({
      id: f.id,
      personId: f.personId,
      personName: f.name,
      regionCode: f.regionCode,
      regionName: f.regionName,
      finding: f.finding,
      findingWords: f.findingWords,
      note: f.note,
      status: f.status,
      raisedAt: f.raisedAt,
    })),
    total: page.total,
    page: page.page,
    pageSize: page.pageSize,
  };
}
