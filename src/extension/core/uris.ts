// The virtual documents' addresses. The path is for people (the tab title, the Problems panel):
// `/Demo account/analytics-db (sg-0123).json`, `/prod/eu-west-1/orders.json`; the query holds
// what the extension reads back: `source=<source id>&group=<id>` or `&cluster=<id>`. Pure.

export const SCHEME = 'aurora-sg';

export interface VirtualDocRef {
  sourceId: string;
  kind: 'group' | 'cluster';
  id: string;
}

export interface VirtualDocAddress {
  path: string;
  query: string;
}

/**
 * One path segment from text read from AWS or a label: no control characters, a slash shown
 * as a division slash (so "0.0.0.0/0" still reads as itself), not too long.
 */
function segment(text: string): string {
  const printable = [...text].map((c) => (c.charCodeAt(0) < 32 || c === '\u007f' ? ' ' : c)).join('');
  const clean = printable.replace(/[/\\]/g, '\u2215').replace(/\s+/g, ' ').trim();
  return (clean.length > 80 ? `${clean.slice(0, 79)}…` : clean) || '_';
}

/** A source label as path segments: "prod / eu-west-1" and "workspace/evidence" read as folders. */
function folders(label: string): string {
  return label.split(/\s*[/\\]\s*/).filter(Boolean).map(segment).join('/');
}

/**
 * Where a group's or a cluster's document lives. `source` is the source's label ("Demo
 * account"); `name` the group's name, shown beside its id.
 */
export function virtualDocAddress(ref: VirtualDocRef, display: { source?: string; name?: string } = {}): VirtualDocAddress {
  const file = ref.kind === 'group' && display.name && display.name !== ref.id ? `${segment(display.name)} (${segment(ref.id)})` : segment(ref.id);
  const path = `/${folders(display.source ?? ref.sourceId)}/${file}.json`;
  const query = new URLSearchParams({ source: ref.sourceId, [ref.kind]: ref.id }).toString();
  return { path, query };
}

/** Before the query named them, the path held the ids: /<source id>/<group|cluster>/<id>.json (documents restored from then). */
const OLD_PATH = /^\/([^/]+)\/(group|cluster)\/([^/]+)\.json$/;

export function parseVirtualDoc(path: string, query: string): VirtualDocRef | undefined {
  const params = new URLSearchParams(query);
  const sourceId = params.get('source');
  if (sourceId) {
    const group = params.get('group');
    const cluster = params.get('cluster');
    if (group) return { sourceId, kind: 'group', id: group };
    if (cluster) return { sourceId, kind: 'cluster', id: cluster };
    return undefined;
  }
  const match = OLD_PATH.exec(path);
  if (!match) return undefined;
  try {
    return { sourceId: decodeURIComponent(match[1]), kind: match[2] as 'group' | 'cluster', id: decodeURIComponent(match[3]) };
  } catch {
    return undefined;
  }
}

/** Plans (and their scripts) are read-only documents of their own scheme, so menus can match it. */
export const PLAN_SCHEME = 'aurora-sg-plan';

/** The journal, as a readable document. */
export const JOURNAL_SCHEME = 'aurora-sg-journal';

/** Every scheme of the extension's read-only documents (activate.ts registers a provider for each). */
export const VIRTUAL_SCHEMES = [SCHEME, PLAN_SCHEME, JOURNAL_SCHEME] as const;

export type PlanView = 'plan' | 'script';

/** Everything a plan is rebuilt from: the finding, the fix and what the user chose for it. */
export interface PlanRef {
  sourceId: string;
  findingId: string;
  fix: string;
  allow?: string[];
  groupName?: string;
  view: PlanView;
  shell?: 'bash' | 'powershell';
}

/** `/Demo account/Revoke ingress tcp 5432 from 0.0.0.0∕0 on sg-0123.md`, the query holding the PlanRef. */
export function planDocAddress(ref: PlanRef, display: { source: string; title: string }): VirtualDocAddress {
  const extension = ref.view === 'plan' ? 'md' : ref.shell === 'powershell' ? 'ps1' : 'sh';
  return { path: `/${folders(display.source)}/${segment(display.title)}.${extension}`, query: planDocQuery(ref) };
}

export function planDocQuery(ref: PlanRef): string {
  const params = new URLSearchParams({ source: ref.sourceId, finding: ref.findingId, fix: ref.fix, view: ref.view });
  if (ref.allow?.length) params.set('allow', ref.allow.join(','));
  if (ref.groupName) params.set('group', ref.groupName);
  if (ref.shell) params.set('shell', ref.shell);
  return params.toString();
}

export function parsePlanDoc(query: string): PlanRef | undefined {
  const params = new URLSearchParams(query);
  const sourceId = params.get('source');
  const findingId = params.get('finding');
  const fix = params.get('fix');
  const view = params.get('view');
  if (!sourceId || !findingId || !fix || (view !== 'plan' && view !== 'script')) return undefined;
  const ref: PlanRef = { sourceId, findingId, fix, view };
  const allow = params.get('allow');
  if (allow) ref.allow = allow.split(',').filter(Boolean);
  const groupName = params.get('group');
  if (groupName) ref.groupName = groupName;
  const shell = params.get('shell');
  if (shell === 'bash' || shell === 'powershell') ref.shell = shell;
  return ref;
}
