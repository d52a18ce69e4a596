import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeReadError,
  jsonPointer,
  lineColumn,
  readJsonFile,
  valueAt,
  type InputErrorCode,
} from '../../src/io.js';
import { loadSnapshotFile } from '../../src/snapshot/load.js';
import { loadAttestationsFile } from '../../src/facts/load-attestations.js';
import { loadWaiversFile } from '../../src/gate/waivers.js';
import { loadReportFile } from '../../src/report/json.js';
import { findDuplicateKeys } from '../../src/json.js';
import { expectInputError } from './expect-input-error.js';
import { InputError } from '../../src/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leavegate-io-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readJsonFile', () => {
  test('returns the value, the text and the sha256 of the raw bytes', async () => {
    const bytes = Buffer.from('{"a": [1, "é"]}\n', 'utf8');
    const path = file('ok.json', bytes);
    const read = await readJsonFile(path, 'config.invalid');
    expect(read.value).toEqual({ a: [1, 'é'] });
    expect(read.text).toBe('{"a": [1, "é"]}\n');
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  test('a UTF-8 byte-order mark is accepted, and still counted in the sha256', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"b": true}')]);
    const read = await readJsonFile(file('bom.json', bytes), 'config.invalid');
    expect(read.value).toEqual({ b: true });
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  const unreadable: [string, () => string, RegExp][] = [
    [
      'a missing file',
      () => join(dir, 'nope.json'),
      /cannot read file: no such file or directory \(ENOENT\)/,
    ],
    ['a directory', () => dir, /cannot read file: is a directory, not a file \(EISDIR\)/],
    [
      'a path through a file',
      () => join(file('plain.json', '{}'), 'x.json'),
      /a component of the path is not a directory \(ENOTDIR\)/,
    ],
    [
      'a symlink loop',
      () => {
        const a = join(dir, 'loop-a.json');
        symlinkSync(join(dir, 'loop-b.json'), a);
        symlinkSync(a, join(dir, 'loop-b.json'));
        return a;
      },
      /symbolic links.*\(ELOOP\)/,
    ],
  ];
  test.each(unreadable)('%s is an input error naming the file', async (_what, make, message) => {
    const path = make();
    await expectInputError(readJsonFile(path, 'rule.invalid'), 'rule.invalid', path, '', message);
  });

  // Root reads any file whatever its mode, so only an unprivileged run can see EACCES.
  const asRoot = process.getuid?.() === 0;
  (asRoot ? test.skip : test)('a file without read permission', async () => {
    const path = file('secret.json', '{}');
    chmodSync(path, 0o000);
    await expectInputError(
      readJsonFile(path, 'config.invalid'),
      'config.invalid',
      path,
      '',
      /permission denied \(EACCES\)/,
    );
  });

  test('permission errors are described in plain words', () => {
    const err = Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: 'EACCES' });
    expect(describeReadError(err)).toBe('cannot read file: permission denied (EACCES)');
    const odd = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    expect(describeReadError(odd)).toBe('cannot read file: EIO: i/o error (EIO)');
  });

  test('bytes that are not UTF-8 are rejected rather than silently replaced', async () => {
    const path = file(
      'latin1.json',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
    );
    await expectInputError(
      readJsonFile(path, 'config.invalid'),
      'config.invalid',
      path,
      '',
      /not valid UTF-8/,
    );
  });

  const syntax: [string, string, string, RegExp][] = [
    ['empty file', '', '', /the file is empty, expected JSON/],
    ['whitespace only', ' \n\t\n', '', /the file is empty/],
    [
      'trailing comma',
      '{\n  "a": 1,\n}',
      '',
      /line 3 column 1: expected a double-quoted property name/,
    ],
    [
      'missing comma',
      '{\n  "a": [1, 2],\n  "b": {"c": 1 "d": 2}\n}',
      '/b/d',
      /line 3 column 16: expected ','/,
    ],
    [
      'bad literal',
      '{"accounts": [{"id": "1"}, {"paid": tru}]}',
      '/accounts/1/paid',
      /line 1 column 37: /,
    ],
    [
      'comment',
      '{\n  // note\n  "a": 1\n}',
      '',
      /line 2 column 3: comments are not allowed in JSON/,
    ],
    ['single quotes', "{'a': 1}", '', /line 1 column 2: unexpected character/],
    [
      'truncated inside an array',
      '{"accounts": [{"id": "111111111111"}, ',
      '/accounts/1',
      /expected a value \(the file ends early: truncated\?\)/,
    ],
    [
      'content after the document',
      '{"a": 1}\n{"b": 2}',
      '',
      /line 2 column 1: unexpected content after the JSON document/,
    ],
    ['an escaped key', '{"a/b~c": [nul]}', '/a~1b~0c/0', /line 1 column 12: unexpected character/],
  ];
  test.each(syntax)('%s', async (_what, text, pointer, message) => {
    const path = file('syntax.json', text);
    await expectInputError(
      readJsonFile(path, 'snapshot.invalid'),
      'snapshot.invalid',
      path,
      pointer,
      message,
    );
  });
});

describe('duplicate keys', () => {
  test('a key twice in one object is an input error naming the member, not last-one-wins', async () => {
    const text =
      '{"schemaVersion": 1,\n "accounts": [{"id": "1", "state": "ACTIVE"},\n  {"id": "2", "state": "SUSPENDED", "state": "ACTIVE"}]}';
    const path = file('dup.json', text);
    const e = await expectInputError(
      readJsonFile(path, 'snapshot.invalid'),
      'snapshot.invalid',
      path,
      '/accounts/1/state',
      /^.*: \/accounts\/1\/state: duplicate key "state" at line 3 column 37/,
    );
    expect(e.issues).toHaveLength(1);
  });

  const cases: [string, string, string[]][] = [
    [
      'the same key in sibling objects',
      '{"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]}',
      [],
    ],
    ['a key that is also a value', '{"k": "k", "v": {"k": ["k"]}}', []],
    [
      'quotes, backslashes and braces inside strings',
      '{"s": "\\\\", "t": "\\"k\\": 1, {[", "k": 1, "u": "x\\\\\\""}',
      [],
    ],
    ['an escaped spelling of the same key', '{"a": 1, "\\u0061": 2}', ['/a']],
    ['a duplicate at the top level', '{"x": 1, "y": 2, "x": 3}', ['/x']],
    ['a duplicate deep in arrays', '[[0, {"p": [{"q": 1, "q": 2}]}]]', ['/0/1/p/0/q']],
    ['keys that need escaping in a pointer', '{"a/b": {"c~d": 1, "c~d": 2}}', ['/a~1b/c~0d']],
    [
      'every duplicate, in document order',
      '{"a": 1, "a": 2, "b": {"c": 1, "c": 2}, "a": 3}',
      ['/a', '/b/c', '/a'],
    ],
    ['an empty key twice', '{"": 1, "": 2}', ['/']],
  ];
  test.each(cases)('%s', (_what, text, pointers) => {
    JSON.parse(text); // every case is valid JSON
    const found = findDuplicateKeys(text).map((d) => jsonPointer(d.path));
    expect(found).toEqual(pointers);
  });
});

describe('every loader maps unreadable and malformed files to its own code', () => {
  const loaders: [string, InputErrorCode, (path: string) => Promise<unknown>][] = [
    ['snapshot', 'snapshot.invalid', loadSnapshotFile],
    ['attestations', 'attestations.invalid', (p) => loadAttestationsFile(p)],
    ['waivers', 'waivers.invalid', loadWaiversFile],
    ['report', 'report.invalid', loadReportFile],
  ];
  test.each(loaders)('%s', async (_name, code, load) => {
    const missing = join(dir, 'absent.json');
    await expectInputError(load(missing), code, missing, '', /ENOENT/);
    await expectInputError(load(dir), code, dir, '', /EISDIR/);
    const notJson = file(`${code}.txt`, 'schemaVersion: 1\n');
    await expectInputError(load(notJson), code, notJson, '', /invalid JSON at line 1 column 1/);
    const truncated = file(`${code}.json`, '{"schemaVersion": 1, "x": [');
    await expectInputError(load(truncated), code, truncated, '/x/0', /truncated/);
    const duplicate = file(`${code}.dup.json`, '{"schemaVersion": 1, "schemaVersion": 2}');
    await expectInputError(load(duplicate), code, duplicate, '/schemaVersion', /duplicate key/);
  });
});

describe('helpers', () => {
  test('lineColumn is 1-based', () => {
    expect(lineColumn('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });

  test('jsonPointer and valueAt escape per RFC 6901 and agree', () => {
    const pointer = jsonPointer(['a/b', 0, 'c~d']);
    expect(pointer).toBe('/a~1b/0/c~0d');
    expect(valueAt({ 'a/b': [{ 'c~d': 42 }] }, pointer)).toBe(42);
    expect(valueAt({ a: 1 }, '/a/b')).toBeUndefined();
    expect(valueAt('x', '')).toBe('x');
  });
});

describe('input files that are not regular files', () => {
  test('a FIFO is refused at once (exit-2 InputError), never read until it closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leavegate-fifo-'));
    const fifo = join(dir, 'snapshot.json');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const err = await readJsonFile(fifo, 'snapshot.invalid').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/snapshot\.json: .*not a regular file/);
  });

  test('/dev/zero is refused at once', async () => {
    const err = await readJsonFile('/dev/zero', 'snapshot.invalid').catch((e: unknown) => e);
    expect((err as InputError).message).toMatch(/\/dev\/zero: .*not a regular file/);
  });

  test('a file over the size limit is refused naming the limit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leavegate-big-')), 'big.json');
    writeFileSync(file, `[${'1,'.repeat(600)}1]`);
    const before = process.env.LEAVEGATE_MAX_INPUT_BYTES;
    process.env.LEAVEGATE_MAX_INPUT_BYTES = '1000';
    try {
      const err = await readJsonFile(file, 'snapshot.invalid').catch((e: unknown) => e);
      expect((err as InputError).message).toMatch(
        /big\.json: .*file is 1203 bytes, more than the 1000 bytes/,
      );
    } finally {
      if (before === undefined) delete process.env.LEAVEGATE_MAX_INPUT_BYTES;
      else process.env.LEAVEGATE_MAX_INPUT_BYTES = before;
    }
  });
});

describe('nesting no leavegate document has', () => {
  test.each([
    ['5,000 unclosed arrays', '['.repeat(5000)],
    ['5,000 closed arrays', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    [
      '3,000 nested rule conditions',
      `{"conditions":${'{"all":['.repeat(3000)}{}${']}'.repeat(3000)}}`,
    ],
  ])('%s: exit-2 InputError naming the JSON path, no stack overflow', async (_name, text) => {
    const file = join(mkdtempSync(join(tmpdir(), 'leavegate-deep-')), 'deep.json');
    writeFileSync(file, text);
    const err = await readJsonFile(file, 'snapshot.invalid').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(
      /deep\.json: \/\S+: nesting deeper than 200 levels at line 1 column \d+/,
    );
  });

  test('a string full of brackets is not nesting', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leavegate-deep-')), 'ok.json');
    writeFileSync(file, JSON.stringify({ s: '['.repeat(5000) + '"\\'.repeat(10) }));
    await expect(readJsonFile(file, 'snapshot.invalid')).resolves.toBeDefined();
  });
});
