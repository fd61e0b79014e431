import { queryOptions, useQuery } from '@tanstack/react-query';
import type { WorkbenchReply } from '../../../../src/modules/workbench/workbench.schema';
import { get } from '../../shared/api';

export type { WorkbenchReply };

/** The workbench's query (the login page starts it as soon as the login answers, issue 14). */
export const workbenchQuery = queryOptions({ queryKey: ['workbench'], queryFn: () => get<WorkbenchReply>('/api/workbench') });

/** The viewer's workbench: to-dos, recent activity, their region's figures (counts only). */
export function useWorkbench() {
  return useQuery(workbenchQuery);
}
