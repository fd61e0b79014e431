import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../modules/demo/seed.js';
import { AppError, formatMessage } from './errors.js';
import { checkPassword, passwordProblem } from './password.js';

/** The one password policy: length, character classes, not the username, not a well-known one. */
describe('password policy', () => {
  it('accepts the demo password and other strong ones', () => {
    expect(passwordProblem(DEMO_PASSWORD, 'admin')).toBeNull();
    expect(passwordProblem('Lüt-Kaffee-42', 'wang')).toBeNull();
    expect(passwordProblem('green tea 2026!', 'wang')).toBeNull(); // lower, digit, symbol (space)
    expect(passwordProblem('颐养院Qz8#77xx', 'town1')).toBeNull();
  });

  it.each([
    ['Ab1!', 'PASSWORD_TOO_SHORT'],
    ['Yy@20260', 'PASSWORD_TOO_SHORT'],
    ['abcdefghijklmn', 'PASSWORD_CLASSES'],
    ['abcdefgh1234', 'PASSWORD_CLASSES'],
    ['ABCDEFGH!!!!', 'PASSWORD_CLASSES'],
    ['1', 'PASSWORD_TOO_SHORT'],
    ['Town1-Secret!', 'PASSWORD_HAS_USERNAME'],
    ['xxTOWN1yy#Z9', 'PASSWORD_HAS_USERNAME'],
    ['Password123!', 'PASSWORD_COMMON'],
    ['P@ssw0rd2026', 'PASSWORD_COMMON'],
    ['Admin@123456', 'PASSWORD_COMMON'],
    ['Aa123456789', 'PASSWORD_COMMON'],
    ['1qaz@WSX3edc', 'PASSWORD_COMMON'],
    ['Qwerty@12345', 'PASSWORD_COMMON'],
    ['Woaini@1314520', 'PASSWORD_COMMON'],
  ])('refuses %s with %s', (password, code) => {
    expect(passwordProblem(password, 'town1')?.code).toBe(code);
    expect(() => checkPassword(password, 'town1')).toThrow(AppError);
  });

  it('checks the rules in order: length first, then classes, username, well-known', () => {
    expect(passwordProblem('town1', 'town1')?.code).toBe('PASSWORD_TOO_SHORT');
    expect(passwordProblem('town1town1town1', 'town1')?.code).toBe('PASSWORD_CLASSES');
  });

  it('names the failed rule in Chinese and in English', () => {
    const e = passwordProblem('abcdefghijkl', 'wang')!;
    expect(formatMessage(e.code, e.params, 'zh-CN')).toBe('密码需包含小写字母、大写字母、数字、符号中的至少 3 类（现有 1 类）');
    expect(formatMessage(e.code, e.params, 'en')).toBe(
      'The password must mix at least 3 of: lower-case letters, upper-case letters, digits, symbols (it has 1)',
    );
    const short = passwordProblem('Ab1!', 'wang')!;
    expect(formatMessage(short.code, short.params, 'zh-CN')).toBe('密码至少需要 10 个字符');
    expect(formatMessage(short.code, short.params, 'en')).toBe('The password must be at least 10 characters long');
    const user = passwordProblem('Wang-Secret-9', 'wang')!;
    expect(formatMessage(user.code, user.params, 'zh-CN')).toBe('密码不能包含用户名');
    expect(formatMessage(user.code, user.params, 'en')).toBe('The password must not contain the username');
    const common = passwordProblem('Password123!', 'wang')!;
    expect(formatMessage(common.code, common.params, 'zh-CN')).toBe('该密码过于常见，容易被猜中，请换一个');
    expect(formatMessage(common.code, common.params, 'en')).toBe('This password is too common and easily guessed; choose another');
  });
});
