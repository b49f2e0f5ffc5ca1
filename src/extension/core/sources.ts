// What a source is and how its id is spelled: the demo, an evidence folder, a live (profile,
// region), an IaC file. Pure.

import { credentialsLabel } from '../../aws/credentialsKey';

export type SourceKind = 'demo' | 'evidence' | 'live' | 'iac';

export interface SourceDescriptor {
  id: string;
  kind: SourceKind;
  label: string;
  /** evidence/demo: the folder; iac: the file. */
  path?: string;
  profile?: string;
  region?: string;
}

export const sourceIds = {
  demo: 'demo',
  evidence: (folder: string) => `evidence:${folder}`,
  live: (profile: string, region: string) => `live:${region}:${profile}`,
  iac: (file: string) => `iac:${file}`,
};

/** Rebuilds a fetchable source from its id (a document restored after a reload names only the id). */
export function descriptorFromId(id: string, demoFolder: string): SourceDescriptor | undefined {
  if (id === sourceIds.demo) return { id, kind: 'demo', label: 'Demo account', path: demoFolder };
  if (id.startsWith('evidence:')) return evidenceDescriptor(id.slice('evidence:'.length));
  const live = /^live:([^:]+):(.+)$/.exec(id);
  return live ? liveDescriptor(live[2], live[1]) : undefined;
}

export function liveDescriptor(profile: string, region: string): SourceDescriptor {
  return { id: sourceIds.live(profile, region), kind: 'live', label: `${credentialsLabel(profile)} / ${region}`, profile, region };
}

export function evidenceDescriptor(folder: string, label = folder): SourceDescriptor {
  return { id: sourceIds.evidence(folder), kind: 'evidence', label, path: folder };
}
