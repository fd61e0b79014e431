/**
 * The number each catalogue item is shown with. The catalogue keeps the published row numbers, and
 * a row that grants two things is two entries with the same number (nanxun's row 7: legal aid and
 * the notarial fee discount; catalogues/README.md): listed as they are, two lines would both read
 * "7.". Such entries are numbered 7-1, 7-2 in catalogue order; every other item keeps its number.
 */
export function itemNumbers(items: readonly { id: string; no: string | number }[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const i of items) count.set(String(i.no), (count.get(String(i.no)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  for (const i of items) {
    const no = String(i.no);
    if ((count.get(no) ?? 0) < 2) out.set(i.id, no);
    else {
      const k = (seen.get(no) ?? 0) + 1;
      seen.set(no, k);
      out.set(i.id, `${no}-${k}`);
    }
  }
  return out;
}
