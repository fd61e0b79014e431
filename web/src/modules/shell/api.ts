import { useQuery } from '@tanstack/react-query';
import type { WorkbenchReply } from '../../../../src/modules/workbench/workbench.schema';
import { get } from '../../shared/api';

export type { WorkbenchReply };

/** The viewer's workbench: to-dos, recent activity, their region's figures (counts only). */
export function useWorkbench() {
  return useQuery({ queryKey: ['workbench'], queryFn: () => get<WorkbenchReply>('/api/workbench') });
}
