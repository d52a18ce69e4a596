/**
 * Tags on the account object are deleted when it leaves (DESIGN §1 P9): export
 * them in a re-appliable form first. Pure string producers; apply.ts writes them.
 *
 * Tag keys and values are untrusted strings. The restore command passes the
 * tags as one JSON argument (the AWS CLI parses a list parameter starting
 * with `[` as JSON), single-quoted for POSIX shells: JSON has no ambiguity
 * with commas, `=` or quotes (the CLI's `Key=..,Value=..` shorthand does), and
 * inside single quotes the shell expands nothing.
 */
import type { Tag } from '../snapshot/types.js';

/** One account's tags as exported. */
export interface AccountTagsExport {
  accountId: string;
  name?: string;
  /** When these tags were read, and from which organization (entries survive later runs). */
  exportedAt: string;
  organizationId: string | null;
  /** AWS's own Tag shape, so `--tags file://` and tag-resource accept it. Absent: not collected. */
  tags?: { Key: string; Value: string }[];
  /** The command restoring them in another organization (absent when there is nothing to restore). */
  restoreCommand?: string;
}

/** `tags.json`. */
export interface TagsExport {
  schemaVersion: 1;
  exportedAt: string;
  organizationId: string | null;
  accounts: AccountTagsExport[];
}

/** Quotes one argument for POSIX sh: `'...'`, with each `'` written as `'\''`. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI command that re-applies `tags` to the account, or undefined when there are none. */
export function restoreTagsCommand(accountId: string, tags: readonly Tag[]): string | undefined {
  if (tags.length === 0) return undefined;
  const json = JSON.stringify(tags.map((t) => ({ Key: t.key, Value: t.value })));
  return `aws organizations tag-resource --resource-id ${shellQuote(accountId)} --tags ${shellQuote(json)}`;
}

/** Builds `tags.json` for the accounts of a run. */
export function buildTagsExport(
  accounts: readonly { accountId: string; name?: string | undefined; tags?: Tag[] | undefined }[],
  organizationId: string | null,
  exportedAt: string,
): TagsExport {
  return {
    schemaVersion: 1,
    exportedAt,
    organizationId,
    accounts: accounts.map((a) => {
      const entry: AccountTagsExport = { accountId: a.accountId, exportedAt, organizationId };
      if (a.name !== undefined) entry.name = a.name;
      if (a.tags !== undefined) {
        entry.tags = a.tags.map((t) => ({ Key: t.key, Value: t.value }));
        const command = restoreTagsCommand(a.accountId, a.tags);
        if (command !== undefined) entry.restoreCommand = command;
      }
      return entry;
    }),
  };
}

function isAccountEntry(v: unknown): v is AccountTagsExport {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.accountId === 'string' &&
    /^\d{12}$/.test(e.accountId) &&
    typeof e.exportedAt === 'string' &&
    (e.tags === undefined ||
      (Array.isArray(e.tags) &&
        e.tags.every(
          (t) =>
            typeof t === 'object' &&
            t !== null &&
            typeof (t as Record<string, unknown>).Key === 'string' &&
            typeof (t as Record<string, unknown>).Value === 'string',
        )))
  );
}

/**
 * Keeps the entries of an earlier `tags.json` for accounts this run does not
 * export: an account that left in an earlier run has no tags in AWS any more,
 * and its export must not be overwritten. Returns the merged document and the
 * number of earlier entries kept; `previous` that is not a tags export is an error.
 */
export function mergeTagsExports(
  previous: unknown,
  current: TagsExport,
): { ok: true; value: TagsExport; kept: number } | { ok: false; reason: string } {
  const p = previous as { schemaVersion?: unknown; accounts?: unknown } | null;
  if (typeof p !== 'object' || p === null || p.schemaVersion !== 1 || !Array.isArray(p.accounts)) {
    return { ok: false, reason: 'not a leavegate tags export (schemaVersion 1 with accounts[])' };
  }
  const bad = p.accounts.findIndex((e) => !isAccountEntry(e));
  if (bad >= 0) return { ok: false, reason: `/accounts/${bad}: not a valid account entry` };
  const now = new Set(current.accounts.map((a) => a.accountId));
  const kept = (p.accounts as AccountTagsExport[]).filter((a) => !now.has(a.accountId));
  return {
    ok: true,
    value: { ...current, accounts: [...kept, ...current.accounts] },
    kept: kept.length,
  };
}

/** Comments may not span lines: a newline in an untrusted name would end the comment. */
function commentSafe(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]/g, ' ');
}

/** `restore-tags.sh`: one tag-resource command per account that had tags. */
export function restoreTagsScript(doc: TagsExport): string {
  const lines = [
    '#!/bin/sh',
    '# Restores the account tags leavegate exported before the accounts left their organization.',
    '# AWS deletes tags on the account object when it leaves. Run this with credentials',
    '# of the management account of the organization the accounts join.',
    'set -eu',
  ];
  for (const a of doc.accounts) {
    const name = a.name === undefined ? a.accountId : `${a.accountId} (${commentSafe(a.name)})`;
    const label = `${name}, exported ${commentSafe(a.exportedAt)} from ${commentSafe(a.organizationId ?? '(unknown)')}`;
    // Each command is quoted anew from the tag data: a `restoreCommand` text read back
    // from an earlier tags.json (which anyone may have edited) never reaches the shell.
    const command =
      a.tags === undefined
        ? undefined
        : restoreTagsCommand(
            a.accountId,
            a.tags.map((t) => ({ key: t.Key, value: t.Value })),
          );
    if (a.tags === undefined) lines.push(`# ${label}: tags were not collected`);
    else if (command === undefined) lines.push(`# ${label}: no tags`);
    else lines.push(`# ${label}: ${a.tags.length} tag(s)`, command);
  }
  return `${lines.join('\n')}\n`;
}
