import { useEffect, useState } from 'react';
import { get, type Region, type RegionsReply } from '../../api';

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

export function useRegionTree(): RegionNode[] {
  const [tree, setTree] = useState<RegionNode[]>([]);
  useEffect(() => {
    let live = true;
    get<RegionsReply>('/api/regions')
      .then((r) => live && setTree(regionTree(r.regions)))
      .catch(() => live && setTree([]));
    return () => {
      live = false;
    };
  }, []);
  return tree;
}
