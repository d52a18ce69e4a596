/**
 * Display text shared by the formats people read (HTML and Markdown): one
 * timestamp format, commands split out of prose as code, titles for
 * reference links, OU names beside their ids. Values stay raw (unescaped)
 * here: each format escapes for its own context.
 */

/** A timestamp as every human format shows it: `2026-12-02 07:05:09 UTC`. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (!ISO_ONE.test(iso) || Number.isNaN(ms)) return iso;
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)} UTC`;
}

const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})/g;
const ISO_ONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** `text` with every ISO 8601 timestamp in it shown as formatTimestamp shows it. */
export function humanTimes(text: string): string {
  return text.includes('T') ? text.replace(ISO, (m) => formatTimestamp(m)) : text;
}

/**
 * `text` split into prose and code: even indices are prose, odd indices are
 * the contents of backtick code spans (CommonMark's rule: a run of n
 * backticks opens a span that the next run of exactly n backticks closes; an
 * unmatched run stays literal text). `"a \`x\` b"` → `["a ", "x", " b"]`.
 */
export function codeSegments(text: string): string[] {
  if (!text.includes('`')) return [text];
  const out: string[] = [];
  let prose = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('`', i);
    if (open < 0) break;
    let n = open;
    while (text[n] === '`') n++;
    const fence = text.slice(open, n);
    const close = findRun(text, n, fence.length);
    if (close < 0) {
      prose += text.slice(i, n);
      i = n;
      continue;
    }
    out.push(prose + text.slice(i, open), text.slice(n, close));
    prose = '';
    i = close + fence.length;
  }
  out.push(prose + text.slice(i));
  return out;
}

/** Index of the next run of exactly `len` backticks at or after `from`, or -1. */
function findRun(text: string, from: number, len: number): number {
  let i = text.indexOf('`', from);
  while (i >= 0) {
    let n = i;
    while (text[n] === '`') n++;
    if (n - i === len) return i;
    i = text.indexOf('`', n);
  }
  return -1;
}

const SERVICES: Readonly<Record<string, string>> = {
  organizations: 'AWS Organizations',
  iam: 'IAM',
  awscloudformation: 'AWS CloudFormation',
  sts: 'AWS STS',
  accounts: 'AWS Account Management',
  awsaccountbilling: 'AWS Billing',
  awscloudtrail: 'AWS CloudTrail',
  awssupport: 'AWS Support',
  cli: 'AWS CLI',
  controltower: 'AWS Control Tower',
  'cost-management': 'AWS Cost Management',
  ram: 'AWS RAM',
  savingsplans: 'Savings Plans',
  singlesignon: 'IAM Identity Center',
};
const GUIDES: Readonly<Record<string, string>> = {
  apireference: 'API Reference',
  userguide: 'User Guide',
  reference: 'Reference Guide',
  aboutv2: 'User Guide',
  user: 'User Guide',
};

/** `orgs_manage_accounts_leave-as-member` → `Manage accounts leave as member`. */
function pageWords(page: string): string {
  const words = page
    .replace(/\.html?$/i, '')
    .replace(/^orgs_/, '')
    .replace(/[_-]+/g, ' ')
    .trim();
  return words === '' ? page : words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A readable title for a reference URL (rule files list references as bare
 * URLs): AWS documentation pages by service, guide and page
 * (`LeaveOrganization — AWS Organizations API Reference`), anything else by
 * host and last path segment. The URL itself stays the link target.
 */
export function referenceTitle(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const parts = parsed.pathname.split('/').filter((p) => p !== '');
  const last = decodeURIComponent(parts[parts.length - 1] ?? '');
  if (parsed.hostname === 'docs.aws.amazon.com' && parts.length >= 3) {
    const service = SERVICES[parts[0]!.toLowerCase()] ?? parts[0]!;
    const guide = GUIDES[parts[2]!.toLowerCase()] ?? '';
    const page = last.startsWith('API_')
      ? last.replace(/^API_/, '').replace(/\.html?$/i, '')
      : pageWords(last);
    return `${page} \u2014 ${service}${guide === '' ? '' : ` ${guide}`}`;
  }
  return last === '' ? parsed.hostname : `${pageWords(last)} \u2014 ${parsed.hostname}`;
}

/** One level of an OU path as shown: its name when known (`Root` for the root), and its id. */
export interface PathLevel {
  id: string;
  name?: string;
}

/** The levels of `ouPath` with the names the report carries (organizationalUnits). */
export function pathLevels(
  ouPath: readonly string[],
  names: ReadonlyMap<string, string>,
): PathLevel[] {
  return ouPath.map((id) => {
    const name = names.get(id) ?? (id.startsWith('r-') ? 'Root' : undefined);
    return name === undefined ? { id } : { id, name };
  });
}

/** OU id → name, from the report's `organizationalUnits` (absent in older reports: no names). */
export function ouNames(report: {
  organizationalUnits?: readonly { id: string; name: string }[];
}): Map<string, string> {
  return new Map((report.organizationalUnits ?? []).map((ou) => [ou.id, ou.name]));
}
