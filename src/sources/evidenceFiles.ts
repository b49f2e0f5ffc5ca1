// The files an evidence folder may hold: the saved output of the seed's test plan
// (`aws ... --output json > FILE`). Each names the AWS CLI command that writes it, the
// list it holds, and what cannot be judged without it.

import * as path from 'node:path';

export interface EvidenceFileSpec {
  name: string;
  /** The AWS CLI command that writes it. */
  command: string;
  /** The top-level array the command prints. */
  listKey: string;
  /** What is narrowed when the file is missing (undefined: nothing, or handled specially). */
  narrows?: string;
}

export const EVIDENCE_FILE_SPECS: readonly EvidenceFileSpec[] = [
  { name: 'describe-db-clusters.json', command: 'aws rds describe-db-clusters', listKey: 'DBClusters' },
  { name: 'describe-db-instances.json', command: 'aws rds describe-db-instances', listKey: 'DBInstances',
    narrows: 'AURSG-009 (publicly accessible instances) cannot be judged' },
  { name: 'describe-security-groups.json', command: 'aws ec2 describe-security-groups', listKey: 'SecurityGroups',
    narrows: 'no security group rule can be judged' },
  { name: 'describe-security-group-rules.json', command: 'aws ec2 describe-security-group-rules', listKey: 'SecurityGroupRules',
    narrows: 'rules carry no sgr- ids, so revoke plans name the rule by --ip-permissions instead' },
  { name: 'describe-subnets.json', command: 'aws ec2 describe-subnets', listKey: 'Subnets',
    narrows: 'AURSG-009 cannot tell which VPC main route table serves a subnet without an explicit association' },
  { name: 'describe-route-tables.json', command: 'aws ec2 describe-route-tables', listKey: 'RouteTables',
    narrows: 'AURSG-009 (a route to an internet gateway) cannot be judged' },
  { name: 'describe-network-acls.json', command: 'aws ec2 describe-network-acls', listKey: 'NetworkAcls',
    narrows: 'network ACLs are not judged: AURSG-009 assumes they admit everything, the worst case, and AURSG-011 cannot be told from it' },
  { name: 'describe-network-interfaces.json', command: 'aws ec2 describe-network-interfaces', listKey: 'NetworkInterfaces',
    narrows: 'AURSG-010 (a group shared with other network interfaces) cannot be judged' },
  { name: 'describe-vpcs.json', command: 'aws ec2 describe-vpcs', listKey: 'Vpcs',
    narrows: 'sources inside the VPC\'s own blocks (its IPv6 /56 above all) cannot be told from public ranges, and the egress fix cannot propose the VPC CIDR as the new destination' },
  { name: 'describe-managed-prefix-lists.json', command: 'aws ec2 describe-managed-prefix-lists', listKey: 'PrefixLists' },
];

/** The fixed file names; prefix-list entries come one file per list (see PREFIX_LIST_ENTRIES_FILE). */
export const EVIDENCE_FILES: readonly string[] = EVIDENCE_FILE_SPECS.map((spec) => spec.name);

/** `get-managed-prefix-list-entries.pl-0123abcd.json`: the output of `aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-0123abcd`. */
export const PREFIX_LIST_ENTRIES_FILE = /^get-managed-prefix-list-entries\.(pl-[0-9a-zA-Z]+)\.json$/;

export function prefixListEntriesFileName(prefixListId: string): string {
  return `get-managed-prefix-list-entries.${prefixListId}.json`;
}

export function isEvidenceFile(filePath: string): boolean {
  const base = path.basename(filePath);
  return EVIDENCE_FILES.includes(base) || PREFIX_LIST_ENTRIES_FILE.test(base);
}

export function specOf(name: string): EvidenceFileSpec | undefined {
  return EVIDENCE_FILE_SPECS.find((spec) => spec.name === name);
}
