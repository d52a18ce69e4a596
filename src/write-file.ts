/**
 * Writing output files whole or not at all: each file is staged as a
 * temporary file beside its target, written completely and fsynced, then
 * renamed into place; an interrupted run removes what it staged (./staged.ts).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PENDING } from './staged.js';

export { discardAllStagedSync } from './staged.js';

/** Joins small chunks into pieces of about 1 MiB: one write call per piece, not per chunk. */
function* batched(chunks: Iterable<string>): Generator<string> {
  let buffer: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    buffer.push(chunk);
    size += chunk.length;
    if (size >= 1 << 20) {
      yield buffer.join('');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length > 0) yield buffer.join('');
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/** Writes all of `buf`: a write() may take only part of it (a disk filling up says so only in its count). */
async function writeBuffer(fh: FileHandle, buf: Buffer): Promise<void> {
  for (let off = 0; off < buf.length;) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    if (bytesWritten <= 0) throw Object.assign(new Error('write took no bytes'), { code: 'EIO' });
    off += bytesWritten;
  }
}

/**
 * Writes `chunks` in pieces of about 1 MiB with one write in flight while the
 * next piece is produced: the CPU work of rendering overlaps the kernel's
 * (a 100 MB report.json otherwise waits on each write in turn).
 */
async function writePipelined(fh: FileHandle, chunks: Iterable<string>): Promise<void> {
  let inFlight: Promise<void> = Promise.resolve();
  try {
    for (const piece of batched(chunks)) {
      const buf = Buffer.from(piece, 'utf8');
      await inFlight;
      inFlight = writeBuffer(fh, buf);
    }
  } catch (err) {
    // The piece in flight must settle before the caller closes the file.
    await inFlight.catch(() => undefined);
    throw err;
  }
  await inFlight;
}

/**
 * Writes `chunks` to a new temporary file beside `path` and fsyncs it;
 * returns its name, for the caller to rename over `path` (several files can
 * be staged before any is renamed). Every byte is written (writeBuffer
 * loops over short writes, which write-file-atomic 7.x ignores). On error the
 * temporary file is removed.
 */
export async function stageFile(
  path: string,
  chunks: Iterable<string>,
  mode = 0o644,
): Promise<string> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  PENDING.add(tmp);
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx', mode);
    await fh.chmod(mode); // exact mode, whatever the umask
    await writePipelined(fh, chunks);
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    PENDING.delete(tmp);
    throw err;
  }
  return tmp;
}

/** A file this run must remove if it is interrupted (a lock it holds). */
export function removeOnInterrupt(path: string): () => void {
  PENDING.add(path);
  return () => void PENDING.delete(path);
}

/** Renames a staged file into place (it is no longer pending). */
export async function commitStaged(tmp: string, path: string): Promise<void> {
  await rename(tmp, path);
  PENDING.delete(tmp);
}

/** Removes a staged file that will not be used. */
export async function discardStaged(tmp: string): Promise<void> {
  await unlink(tmp).catch(() => undefined);
  PENDING.delete(tmp);
}

/**
 * Replaces `path` with `content` atomically: readers see the old file or the
 * complete new one, never a part, and a failed write leaves no temporary file.
 */
export async function writeFileAtomically(
  path: string,
  content: string | Iterable<string>,
  options: { mode?: number } = {},
): Promise<void> {
  const tmp = await stageFile(
    path,
    typeof content === 'string' ? [content] : content,
    options.mode,
  );
  try {
    await commitStaged(tmp, path);
  } catch (err) {
    await discardStaged(tmp);
    throw err;
  }
}
