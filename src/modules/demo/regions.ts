import type { RegionTable } from '../../db/tables.js';

/**
 * The demo county's region tree. It sits in code block 99, which GB/T 2260 never allocates, so
 * no real address or resident ID can fall inside it. Codes follow GB/T 10114's habits: streets
 * 001-099 and towns/townships 100-199 under the county; communities (居委会) 001-199 and
 * villages (村委会) 200-399 under a town.
 */
export const DEMO_PROVINCE = '990000';
export const DEMO_CITY = '990100';
export const DEMO_COUNTY = '990101';
/**
 * Issue 21: the demo city's second county, side by side with the first on one platform. It runs
 * Daye's catalogue (seed 003) where 青溪县 runs Nanxun's (seed 002).
 */
export const DEMO_COUNTY2 = '990102';
/** A well-formed village code that is deliberately not in the tree (used for bad demo rows). */
export const DEMO_UNKNOWN_VILLAGE = '990101999999';

export type DemoRegion = RegionTable;

interface TownSpec {
  code: string;
  name: string;
  kind: 'town' | 'street';
  communities: string[];
  villages: string[];
}

const TOWNS: TownSpec[] = [
  {
    code: '001',
    name: '城关街道',
    kind: 'street',
    villages: [],
    communities: ['新华社区', '人民路社区', '文昌社区', '解放路社区', '南门社区', '北门社区', '青溪社区', '府前社区'],
  },
  {
    code: '002',
    name: '溪东街道',
    kind: 'street',
    villages: ['白沙村'],
    communities: ['溪东社区', '建设社区', '和平社区', '东园社区', '滨江社区', '向阳社区', '丰乐社区'],
  },
  { code: '101', name: '东湖镇', kind: 'town', communities: ['东湖社区'], villages: ['桃园村', '柳塘村', '荷花村', '大坪村', '石桥村', '新庄村', '湖滨村'] },
  { code: '102', name: '龙泉镇', kind: 'town', communities: ['龙泉社区'], villages: ['上坪村', '下坪村', '杨柳村', '古井村', '枫林村', '凤凰村'] },
  { code: '103', name: '白石镇', kind: 'town', communities: ['白石社区'], villages: ['竹山村', '茶园村', '黄泥村', '青龙村', '三合村', '高桥村'] },
  { code: '104', name: '金坪镇', kind: 'town', communities: ['金坪社区'], villages: ['马鞍村', '梅林村', '红星村', '丰收村', '松岭村', '长冲村'] },
  { code: '105', name: '清河镇', kind: 'town', communities: ['清河社区'], villages: ['双河村', '合心村', '李家村', '张家湾村', '曹家村', '永安村'] },
  { code: '106', name: '云峰乡', kind: 'town', communities: [], villages: ['云峰村', '高山村', '岭头村', '坳上村', '水口村', '田心村'] },
  { code: '107', name: '石门乡', kind: 'town', communities: [], villages: ['石门村', '花园村', '太平村', '五星村', '民主村', '团结村'] },
];

const TOWNS2: TownSpec[] = [
  { code: '001', name: '石湖街道', kind: 'street', villages: [], communities: ['湖滨社区', '石湖社区', '东门社区', '西街社区'] },
  { code: '101', name: '金山镇', kind: 'town', communities: ['金山社区'], villages: ['金竹村', '山口村', '新塘村', '下湾村', '官桥村'] },
  { code: '102', name: '桥头镇', kind: 'town', communities: ['桥头社区'], villages: ['前进村', '东风村', '朱家村', '王家畈村'] },
];

const cached = new Map<boolean, DemoRegion[]>();

/**
 * The whole tree, parents before children. A fresh copy each call so callers may mutate it. With
 * `second`, the city's second county too (the demo a new user starts; the tests' default is one).
 */
export function demoRegions(opts: { second?: boolean } = {}): DemoRegion[] {
  const second = opts.second === true;
  if (!cached.has(second)) cached.set(second, build(second));
  return cached.get(second)!.map((r) => ({ ...r }));
}

function build(second: boolean): DemoRegion[] {
  const out: DemoRegion[] = [
    { code: DEMO_PROVINCE, name: '示范省', level: 'province', kind: 'province', parent_code: null, prefix: '99' },
    { code: DEMO_CITY, name: '颐养示范市', level: 'city', kind: 'city', parent_code: DEMO_PROVINCE, prefix: '9901' },
  ];
  county(out, DEMO_COUNTY, '青溪县', TOWNS);
  if (second) county(out, DEMO_COUNTY2, '石湖县', TOWNS2);
  return out;
}

function county(out: DemoRegion[], code: string, name: string, towns: TownSpec[]): void {
  out.push({ code, name, level: 'county', kind: 'county', parent_code: DEMO_CITY, prefix: code });
  for (const t of towns) {
    const townCode = code + t.code;
    out.push({ code: townCode, name: t.name, level: 'town', kind: t.kind, parent_code: code, prefix: townCode });
    t.communities.forEach((name, i) => {
      const code = townCode + String(1 + i).padStart(3, '0');
      out.push({ code, name, level: 'village', kind: 'community', parent_code: townCode, prefix: code });
    });
    t.villages.forEach((name, i) => {
      const code = townCode + String(200 + i).padStart(3, '0');
      out.push({ code, name, level: 'village', kind: 'village', parent_code: townCode, prefix: code });
    });
  }
}

export interface VillagePick {
  code: string;
  /** true for a rural village (村), where 留守 elders live */
  rural: boolean;
  /** true for a community under a street (urban) */
  urban: boolean;
}

/**
 * Villages with their share of the elderly population: urban communities are larger than
 * town-seat communities, which are larger than villages.
 */
export function demoVillageWeights(countyCode: string = DEMO_COUNTY): Array<VillagePick & { weight: number }> {
  const regions = demoRegions({ second: countyCode !== DEMO_COUNTY });
  const kindOf = new Map(regions.map((r) => [r.code, r.kind]));
  return regions
    .filter((r) => r.level === 'village' && r.code.startsWith(countyCode))
    .map((r) => {
      const urban = r.kind === 'community' && kindOf.get(r.parent_code!) === 'street';
      const rural = r.kind === 'village';
      return { code: r.code, rural, urban, weight: urban ? 2 : rural ? 1 : 1.5 };
    });
}
