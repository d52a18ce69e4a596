/* eslint-disable no-control-regex -- control characters are what these tests are about */
import { describe, expect, it } from '@jest/globals';
import { printable, printableLines, withoutControls } from '../src/text.js';
import { escapeMarkdown } from '../src/report/escape.js';

// Built from a string: a control-character regex literal is what this test is about.
const UNSAFE = new RegExp(
  '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]',
);

describe('printable (terminal)', () => {
  it.each([
    [
      'a forged summary line',
      'prod\n4 accounts: 4 ready, 0 blocked',
      'prod\\n4 accounts: 4 ready, 0 blocked',
    ],
    ['carriage return overwrite', 'evil\rBLOCKED', 'evil\\rBLOCKED'],
    ['tab', 'a\tb', 'a\\tb'],
    [
      'ESC sequences and OSC 8 links',
      '\u001b[2J\u001b]8;;http://x\u0007y',
      '\\x1b[2J\\x1b]8;;http://x\\x07y',
    ],
    ['C1 CSI', '\u009b31m', '\\x9b31m'],
    ['Unicode line separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['bidi override', 'abc\u202Efed', 'abc\\u202efed'],
    ['bidi isolate', '\u2066x\u2069', '\\u2066x\\u2069'],
    ['NUL and DEL', '\u0000\u007f', '\\x00\\x7f'],
  ])('%s', (_name, input, expected) => {
    expect(printable(input)).toBe(expected);

    expect(printable(input)).not.toMatch(UNSAFE);
  });

  it('keeps ordinary text, accents and emoji', () => {
    expect(printable('Zürich – 東京 ✅')).toBe('Zürich – 東京 ✅');
  });

  it('printableLines keeps our line breaks and neutralizes the rest per line', () => {
    expect(printableLines('one\ntwo\u001b[31m')).toBe('one\ntwo\\x1b[31m');
  });
});

describe('report text', () => {
  it('Markdown carries no raw control characters (ESC c, ESC M, BEL, NUL)', () => {
    const out = escapeMarkdown('x\u001bc\u001bM\u0007\u0000y');
    expect(out).not.toMatch(new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]'));
    expect(withoutControls('a\u001bb')).toBe('a\\x1bb');
  });
});
