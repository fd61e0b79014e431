import { AppError, type ErrorCode } from './errors.js';

/**
 * The one password policy, for the console (change, reset) and the command line (create-user):
 * - at least 10 characters;
 * - at least 3 of 4 classes: lower-case, upper-case, digits, symbols (anything else, including
 *   spaces and Chinese characters);
 * - not containing the username (case-insensitive);
 * - not a well-known weak password: its letters, read with the usual substitutions
 *   (@→a, 0→o, $→s), are not one of the words such passwords are built on ('Password123!',
 *   'Admin@123456', 'Aa123456789', '1qaz@WSX3edc', 'Woaini@1314' …).
 * The first rule that fails is named; the demo password `Yiyang@2026` passes.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MIN_CLASSES = 3;

// Bases of the passwords at the top of published leak lists (English and Chinese), and keyboard runs.
const WEAK_BASES = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'admin',
  'administrator',
  'root',
  'system',
  'manager',
  'guest',
  'test',
  'user',
  'login',
  'welcome',
  'letmein',
  'changeme',
  'default',
  'iloveyou',
  'love',
  'sunshine',
  'monkey',
  'dragon',
  'master',
  'shadow',
  'football',
  'baseball',
  'superman',
  'batman',
  'princess',
  'hello',
  'trustno',
  'secret',
  'china',
  'woaini',
  'aini',
  'mima',
  'wodemima',
  'guanliyuan',
  'zhangsan',
  'nihao',
  'qwerty',
  'qwert',
  'qwer',
  'qwertyuiop',
  'asdf',
  'asdfgh',
  'asdfghjkl',
  'zxcv',
  'zxcvbn',
  'zxcvbnm',
  'qaz',
  'wsx',
  'edc',
  'qazwsx',
  'qazwsxedc',
  'zaq',
  'xsw',
  'zaqxsw',
  'qweasd',
  'qweasdzxc',
  'asdqwe',
  'a',
  'aa',
  'aaa',
  'aaaa',
  'ab',
  'abc',
  'abcd',
  'abcde',
  'abcdef',
  'abcdefg',
  'abcdefgh',
  'q',
  'qq',
  'qqq',
  'x',
  'xx',
  'z',
  'zz',
]);

export interface PasswordProblem {
  code: Extract<ErrorCode, `PASSWORD_${string}`>;
  params: Record<string, string | number>;
}

function classes(password: string): number {
  let lower = false,
    upper = false,
    digit = false,
    symbol = false;
  for (const ch of password) {
    if (/[a-z]/.test(ch)) lower = true;
    else if (/[A-Z]/.test(ch)) upper = true;
    else if (/[0-9]/.test(ch)) digit = true;
    else symbol = true;
  }
  return [lower, upper, digit, symbol].filter(Boolean).length;
}

function wellKnown(password: string): boolean {
  const lower = password.toLowerCase();
  const letters = lower.replace(/[^a-z]/g, '');
  // substitutions only between the first and the last letter: 'P@ssw0rd2026' → 'password'
  const core = /[a-z].*[a-z]|[a-z]/.exec(lower)?.[0] ?? '';
  const substituted = core
    .replace(/@/g, 'a')
    .replace(/0/g, 'o')
    .replace(/\$/g, 's')
    .replace(/[^a-z]/g, '');
  return WEAK_BASES.has(letters) || WEAK_BASES.has(substituted);
}

/** The first rule `password` breaks for `username`, or null. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { code: 'PASSWORD_TOO_SHORT', params: { min: PASSWORD_MIN_LENGTH } };
  const n = classes(password);
  if (n < PASSWORD_MIN_CLASSES) return { code: 'PASSWORD_CLASSES', params: { min: PASSWORD_MIN_CLASSES, n } };
  const name = username.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) return { code: 'PASSWORD_HAS_USERNAME', params: {} };
  if (wellKnown(password)) return { code: 'PASSWORD_COMMON', params: {} };
  return null;
}

/** Throws the AppError of the first rule `password` breaks. */
export function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError(problem.code, problem.params, { rule: problem.code });
}
