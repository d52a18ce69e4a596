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
      const entry: AccountTagsExport = { accountId: a.accountId };
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

/** Comments may not span lines: a newline in an untrusted name would end the comment. */
function commentSafe(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]/g, ' ');
}

/** `restore-tags.sh`: one tag-resource command per account that had tags. */
export function restoreTagsScript(doc: TagsExport): string {
  const lines = [
    '#!/bin/sh',
    `# Restores the account tags leavegate exported at ${doc.exportedAt}`,
    `# before the accounts left organization ${commentSafe(doc.organizationId ?? '(unknown)')}.`,
    '# AWS deletes tags on the account object when it leaves. Run this with credentials',
    '# of the management account of the organization the accounts join.',
    'set -eu',
  ];
  for (const a of doc.accounts) {
    const label = a.name === undefined ? a.accountId : `${a.accountId} (${commentSafe(a.name)})`;
    if (a.tags === undefined) lines.push(`# ${label}: tags were not collected`);
    else if (a.restoreCommand === undefined) lines.push(`# ${label}: no tags`);
    else lines.push(`# ${label}: ${a.tags.length} tag(s)`, a.restoreCommand);
  }
  return `${lines.join('\n')}\n`;
}
