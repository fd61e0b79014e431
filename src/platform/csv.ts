/** Writing CSV: RFC 4180 quoting, CRLF lines, and a BOM so that Excel opens UTF-8 correctly. */
export const CSV_BOM = '\uFEFF';

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A line of a file people open in a spreadsheet: cells from outside (uploaded files) that start
 * like a formula are prefixed with an apostrophe, so Excel shows them instead of running them.
 */
export function csvLine(cells: string[], fromOutside = false): string {
  return cells.map((c) => csvField(fromOutside && /^[=+\-@\t\r]/.test(c) ? `'${c}` : c)).join(',') + '\r\n';
}
