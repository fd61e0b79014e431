/**
 * Name pools for synthetic elders. Surnames carry rough frequencies (per mille of the population,
 * after the 2020 census ranking); given names are ones typical of people born 1915-1965, split at
 * 1945 because naming fashion turned then (桂英, 福贵 before; 建国, 红梅 after).
 */

export type Rng = () => number;

export const SURNAMES: Array<[string, number]> = [
  ['王', 71], ['李', 70], ['张', 68], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 22], ['赵', 20],
  ['吴', 19], ['周', 19], ['徐', 15], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 12], ['郭', 11],
  ['何', 11], ['高', 10], ['林', 10], ['罗', 9], ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 8],
  ['唐', 7], ['许', 7], ['韩', 7], ['冯', 7], ['邓', 7], ['曹', 6], ['彭', 6], ['曾', 6],
  ['肖', 6], ['田', 5], ['董', 5], ['袁', 5], ['潘', 5], ['于', 5], ['蒋', 5], ['蔡', 5],
  ['余', 5], ['杜', 5], ['叶', 5], ['程', 5], ['苏', 4], ['魏', 4], ['吕', 4], ['丁', 4],
  ['任', 4], ['沈', 4], ['姚', 4], ['卢', 4], ['钟', 3], ['汪', 3], ['欧阳', 1], ['诸葛', 0.3],
];

const GIVEN = {
  M: {
    old: ['福贵', '有才', '长生', '金山', '树林', '德明', '永福', '富贵', '国栋', '德胜', '宝山', '春生',
      '玉堂', '来福', '守仁', '炳坤', '福', '贵', '德', '才', '海', '山'],
    new: ['建国', '国华', '志强', '建华', '卫东', '建军', '国强', '文革', '向东', '援朝', '和平', '新民',
      '跃进', '红军', '志刚', '国平', '光明', '军', '勇', '伟', '刚', '斌'],
  },
  F: {
    old: ['桂英', '秀英', '玉兰', '淑珍', '凤英', '秀兰', '翠花', '桂兰', '金凤', '玉珍', '素珍', '桂珍',
      '兰英', '月娥', '玉梅', '翠英', '英', '兰', '珍', '凤'],
    new: ['秀珍', '丽华', '红梅', '淑华', '桂芳', '美玲', '秀云', '丽娟', '建英', '红英', '桂香', '玉芬',
      '爱华', '卫红', '淑芬', '素英', '红', '丽', '华', '萍'],
  },
} as const;

const surnameTotal = SURNAMES.reduce((s, [, w]) => s + w, 0);

export function pickSurname(rng: Rng): string {
  let x = rng() * surnameTotal;
  for (const [name, w] of SURNAMES) {
    x -= w;
    if (x < 0) return name;
  }
  return SURNAMES[0]![0];
}

/** A full name for someone of this sex born in this year. */
export function pickName(rng: Rng, sex: 'M' | 'F', birthYear: number): string {
  const pool = GIVEN[sex][birthYear < 1945 ? 'old' : 'new'];
  return pickSurname(rng) + pool[Math.floor(rng() * pool.length)]!;
}
