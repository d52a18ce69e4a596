import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { writeFileAtomically } from '../src/write-file.js';

it('writeFileAtomically replaces the file, sets the exact mode, and leaves no temporary file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'leavegate-io-'));
  const file = join(dir, 'restore-tags.sh');
  await writeFileAtomically(file, 'old\n');
  await writeFileAtomically(file, ['#!/bin/sh\n', 'echo new\n'], { mode: 0o755 });
  expect(await readFile(file, 'utf8')).toBe('#!/bin/sh\necho new\n');
  expect((await stat(file)).mode & 0o777).toBe(0o755);
  expect(await readdir(dir)).toEqual(['restore-tags.sh']);
});
