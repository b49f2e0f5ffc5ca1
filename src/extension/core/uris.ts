// The virtual documents' addresses: aurora-sg:/<source id>/<group or cluster>.json. Pure.

export const SCHEME = 'aurora-sg';

export interface VirtualDocRef {
  sourceId: string;
  kind: 'group' | 'cluster';
  id: string;
}

/** Path of the virtual document; the file name (the tab title) is the group or cluster id. */
export function virtualDocPath(ref: VirtualDocRef): string {
  return `/${encodeURIComponent(ref.sourceId)}/${ref.kind}/${encodeURIComponent(ref.id)}.json`;
}

export function parseVirtualDocPath(path: string): VirtualDocRef | undefined {
  const match = /^\/([^/]+)\/(group|cluster)\/([^/]+)\.json$/.exec(path);
  if (!match) return undefined;
  try {
    return { sourceId: decodeURIComponent(match[1]), kind: match[2] as 'group' | 'cluster', id: decodeURIComponent(match[3]) };
  } catch {
    return undefined;
  }
}
