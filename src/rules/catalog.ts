// The rule catalog: what each finding means, how bad it is, why, and how it can be fixed.
// Severities follow design.md section 3.

import type { FixKind, RuleId, Severity } from '../model/types';

export interface RuleReference { title: string; url: string }

export interface RuleInfo {
  id: RuleId;
  severity: Severity;
  title: string;
  summary: string;
  /** Markdown: one paragraph on why it matters. */
  why: string;
  references: RuleReference[];
  /** The fixes a finding of this rule can offer, best first. */
  fixes: FixKind[];
}

const REF = {
  auroraSecurityGroups: { title: 'Amazon Aurora: Controlling access with security groups', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.RDSSecurityGroups.html' },
  sgRules: { title: 'Amazon VPC: Security group rules', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html' },
  ec2Controls: { title: 'AWS Security Hub: Amazon EC2 controls (EC2.2, EC2.18, EC2.19)', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html' },
  rdsControls: { title: 'AWS Security Hub: Amazon RDS controls (RDS.2)', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html' },
  cisFoundations: { title: 'CIS Amazon Web Services Foundations Benchmark (networking section)', url: 'https://www.cisecurity.org/benchmark/amazon_web_services' },
  prefixLists: { title: 'Amazon VPC: Managed prefix lists', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html' },
  defaultSg: { title: 'Amazon VPC: Default security groups for your VPCs', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html' },
  auroraVpc: { title: 'Amazon Aurora: Working with a DB cluster in a VPC (hiding a DB cluster from the internet)', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html' },
  routeTables: { title: 'Amazon VPC: Route tables', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html' },
  rfc1918: { title: 'RFC 1918: Address Allocation for Private Internets', url: 'https://www.rfc-editor.org/rfc/rfc1918' },
  networkAcls: { title: 'Amazon VPC: Control subnet traffic with network access control lists', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html' },
  ephemeralPorts: { title: 'Amazon VPC: Network ACL rules and ephemeral ports', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html#nacl-ephemeral-ports' },
} satisfies Record<string, RuleReference>;

export const RULES: Record<RuleId, RuleInfo> = {
  'AURSG-001': {
    id: 'AURSG-001',
    severity: 'critical',
    title: 'Database port open to anywhere',
    summary: 'An inbound rule lets any address (0.0.0.0/0, ::/0, or sources that together cover every address) reach the cluster port.',
    why: 'A security group is the only network filter in front of an Aurora cluster. A rule that admits **every address** on the database port leaves nothing but the database password between the internet (or the whole network the cluster can be reached from) and your data, and database ports are scanned constantly. Sources that together cover all addresses, such as `0.0.0.0/1` plus `128.0.0.0/1`, or a prefix list holding `0.0.0.0/0`, are the same exposure in disguise.',
    references: [REF.auroraSecurityGroups, REF.ec2Controls, REF.sgRules],
    fixes: ['revoke', 'restrict', 'dedicated-sg'],
  },
  'AURSG-002': {
    id: 'AURSG-002',
    severity: 'critical',
    title: 'All traffic allowed from anywhere',
    summary: 'An inbound rule allows every protocol or every TCP port (0-65535 or 1-65535) from any address.',
    why: 'Allowing **all traffic** from anywhere opens the database port and every other port of every network interface that uses the group. CIS and AWS Security Hub both fail it: an "all ports" rule includes the database port, remote administration ports, and whatever is added to the group\'s interfaces later.',
    references: [REF.cisFoundations, REF.ec2Controls, REF.sgRules],
    fixes: ['revoke', 'restrict', 'dedicated-sg'],
  },
  'AURSG-003': {
    id: 'AURSG-003',
    severity: 'high',
    title: 'Database port open to a public address range',
    summary: 'An inbound rule lets a public (internet-routable) address range that is not an approved source reach the cluster port.',
    why: 'A public CIDR on the database port means hosts outside your networks can open connections to the cluster. Sometimes that is intended (an office or a partner), but every such range should be a deliberate, listed decision: add it to the **approved sources** setting if it is one, or narrow or remove the rule. A prefix list whose entries cannot be read is reported here too, because what it admits cannot be verified.',
    references: [REF.auroraSecurityGroups, REF.prefixLists, REF.sgRules],
    fixes: ['restrict', 'revoke', 'dedicated-sg'],
  },
  'AURSG-004': {
    id: 'AURSG-004',
    severity: 'medium',
    title: 'Database port open to a broad private range',
    summary: 'An inbound rule lets a private range wider than one VPC (IPv4 shorter than /16, IPv6 shorter than /56 by default) reach the cluster port.',
    why: 'A private range such as `10.0.0.0/8` usually spans many VPCs, on-premises networks and peered accounts, so every workload in them can reach the database. Least privilege means the application\'s subnets or, better, the application\'s security group. The thresholds are settable (`broadCidrThresholds`).',
    references: [REF.auroraSecurityGroups, REF.rfc1918, REF.sgRules],
    fixes: ['restrict', 'revoke', 'dedicated-sg'],
  },
  'AURSG-005': {
    id: 'AURSG-005',
    severity: 'low',
    title: 'Rule opens more ports than the database port',
    summary: 'A rule that reaches the cluster port also opens other ports (a port range or all traffic), whatever its source.',
    why: 'An Aurora cluster listens on one port. A range or an all-traffic rule on its group admits the source to ports the database does not need, and to anything else that later uses the same group. A rule for exactly the cluster port says what it is for and cannot drift.',
    references: [REF.auroraSecurityGroups, REF.sgRules],
    fixes: ['restrict', 'dedicated-sg', 'revoke'],
  },
  'AURSG-006': {
    id: 'AURSG-006',
    severity: 'medium',
    title: 'Database source not in the approved sources',
    summary: 'A source that reaches the cluster port is not in the approved sources you configured (CIDRs, security group ids, prefix list ids).',
    why: 'You listed the sources allowed to reach your databases; this rule admits one that is not on the list. It may be a forgotten temporary rule, a change made outside your process, or a source that should be added to the list.',
    references: [REF.auroraSecurityGroups],
    fixes: ['restrict', 'revoke', 'dedicated-sg'],
  },
  'AURSG-007': {
    id: 'AURSG-007',
    severity: 'medium',
    title: 'Cluster uses the VPC default security group',
    summary: 'The cluster is attached to its VPC\'s `default` security group.',
    why: 'Every resource created without an explicit group lands in the VPC\'s **default** group, and the default group admits all traffic from its own members, so the database is reachable from unrelated resources. CIS and AWS Security Hub (EC2.2) ask that the default group have no rules; the CIS Aurora guidance asks for a dedicated group with only the inbound rules the database needs.',
    references: [REF.defaultSg, REF.ec2Controls, REF.cisFoundations],
    fixes: ['dedicated-sg'],
  },
  'AURSG-008': {
    id: 'AURSG-008',
    severity: 'low',
    title: 'Unrestricted outbound traffic',
    summary: 'An outbound rule allows all traffic to 0.0.0.0/0 or ::/0 (the AWS default).',
    why: 'A database rarely needs to open connections to the internet. Unrestricted egress is what a compromised database engine or a malicious stored procedure would use to send data out. CIS asks to restrict outbound traffic where possible; restricting it to the VPC keeps replication and AWS endpoints in the VPC working.',
    references: [REF.sgRules, REF.cisFoundations],
    fixes: ['egress'],
  },
  'AURSG-009': {
    id: 'AURSG-009',
    severity: 'critical',
    title: 'Database instance reachable from the internet',
    summary: 'The instance is publicly accessible, has an address of the family, its subnet routes that family to an internet gateway, the cluster\'s security groups together open the port to anywhere, and the subnet\'s network ACL lets most of the internet through both ways.',
    why: 'This is the whole path from the internet to the database, layer by layer as AWS applies it: the instance has a public address (`PubliclyAccessible`, and an IPv6 address only when its `NetworkType` is `DUAL`), its subnet\'s route table sends the family to an active **internet gateway**, the union of the cluster\'s security groups admits every address on the cluster port, and the subnet\'s network ACL admits the connection and its replies for at least half of the family\'s addresses. Together, almost anyone on the internet can open a connection. Making the instance private removes the public address; restricting the rules closes the port. Instances of one cluster can differ, so each is reported.',
    references: [REF.auroraVpc, REF.rdsControls, REF.routeTables, REF.networkAcls],
    fixes: ['private', 'revoke', 'restrict', 'dedicated-sg'],
  },
  'AURSG-010': {
    id: 'AURSG-010',
    severity: 'info',
    title: 'Security group shared with other resources',
    summary: 'The security group is also attached to other clusters or network interfaces, so changing it changes them too.',
    why: 'A group shared between the database and other resources couples their access: a rule added for an application server also opens the database, and tightening the group for the database can break the other resources. The CIS Aurora guidance recommends a **dedicated** security group for the database.',
    references: [REF.auroraSecurityGroups, REF.cisFoundations],
    fixes: ['dedicated-sg'],
  },
  'AURSG-011': {
    id: 'AURSG-011',
    severity: 'medium',
    title: 'Exposure stopped only by a network ACL',
    summary: 'The instance is publicly accessible and internet-routed and the cluster\'s security groups open the port to anywhere; only the subnet\'s network ACL keeps (most of) the internet out.',
    why: 'Every layer but one is open: the instance has a public address, its subnet routes to an internet gateway, and the security groups admit every address on the cluster port. What still stops the internet is the subnet\'s **network ACL**: one stateless list of numbered rules, shared by everything in the subnet and often edited for other reasons. One new allow rule placed before the deny, or a subnet moved to another ACL, and the database is open. The message names what the ACL still lets through. Close a second layer: make the instance private or restrict the security group rules.',
    references: [REF.networkAcls, REF.ephemeralPorts, REF.auroraVpc],
    fixes: ['private', 'restrict', 'revoke', 'dedicated-sg'],
  },
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RULES, value);
}
