import { expect } from '@jest/globals';
import { InputError, type ErrorCode } from '../../src/errors.js';

/**
 * Asserts that `work` rejects (or throws) an InputError with `code`, exit code
 * 2, and a message that names `file` and the JSON `pointer` (`''` = the whole
 * document, printed as `/`) followed by text matching `what`.
 */
export async function expectInputError(
  work: Promise<unknown> | (() => unknown),
  code: ErrorCode,
  file: string,
  pointer: string,
  what: RegExp,
): Promise<InputError> {
  let err: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  const e = err as InputError;
  expect(e.code).toBe(code);
  expect(e.exitCode).toBe(2);
  const printed = pointer === '' ? '/' : pointer;
  const line = e.message.split('\n').find((l) => l.startsWith(`${file}: ${printed}: `));
  expect(line).toBeDefined();
  expect(line).toMatch(what);
  expect(e.issues).toContainEqual(expect.objectContaining({ file, path: pointer }));
  return e;
}
