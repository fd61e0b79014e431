import { useMemo } from 'react';
import type { Region } from '../../shared/api';
import { useRegions } from './api';

export interface RegionNode {
  value: string;
  title: string;
  children?: RegionNode[];
}

/** Builds the TreeSelect tree from the flat list of the viewer's subtree. */
export function regionTree(regions: Region[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>();
  for (const r of regions) nodes.set(r.code, { value: r.code, title: r.name });
  const roots: RegionNode[] = [];
  for (const r of regions) {
    const node = nodes.get(r.code)!;
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The viewer's regions as a tree (empty until loaded, or when they cannot be loaded). */
export function useRegionTree(): RegionNode[] {
  const regions = useRegions().data?.regions;
  return useMemo(() => (regions ? regionTree(regions) : []), [regions]);
}
