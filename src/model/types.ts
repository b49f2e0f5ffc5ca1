// The product's vocabulary. Pure data: no vscode, no @aws-sdk. Every layer speaks these types.

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Worst first: the order reports and trees sort by. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Higher is worse: critical 4 ... info 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export type RuleId =
  | 'AURSG-001' | 'AURSG-002' | 'AURSG-003' | 'AURSG-004' | 'AURSG-005'
  | 'AURSG-006' | 'AURSG-007' | 'AURSG-008' | 'AURSG-009' | 'AURSG-010'
  | 'AURSG-011';

export type Direction = 'ingress' | 'egress';

/**
 * Normalised protocol. `all` is AWS's `-1`. Protocols without a name stay as their
 * IANA number in decimal (e.g. `"50"`), which AWS treats as "every port".
 */
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all' | `${number}`;

export type SourceKind = 'cidr4' | 'cidr6' | 'prefixList' | 'group';

/** Where a rule lets traffic come from (ingress) or go to (egress). One per rule. */
export interface RuleSource {
  kind: SourceKind;
  /** A CIDR, a prefix list id (pl-...) or a security group id (sg-...). */
  value: string;
  /** For group references: the account that owns the referenced group. */
  ownerId?: string;
  /** For group references across a peering: the peer VPC. */
  vpcId?: string;
}

/** Zero-based line and character, as editors count; SARIF adds one to each. */
export interface Position { line: number; character: number }

/** A span inside a file an inventory was read from (an evidence file or IaC). */
export interface SourceRange {
  file: string;
  start: Position;
  end: Position;
}

/**
 * Where the parts of a declaration are written, inside its location (IaC files): a squiggle goes
 * on the part a finding is about (the CIDR, the ports, the protocol, the public flag), not on the
 * whole block.
 */
export interface PartLocations {
  source?: SourceRange;
  ports?: SourceRange;
  protocol?: SourceRange;
  publiclyAccessible?: SourceRange;
}

/**
 * One rule: one permission and one source, the way DescribeSecurityGroupRules reports
 * them. An `IpPermissions` entry with three sources becomes three rules.
 */
export interface Rule {
  groupId: string;
  /** sgr-... when known (live AWS, or an evidence folder with describe-security-group-rules.json). */
  ruleId?: string;
  direction: Direction;
  protocol: Protocol;
  /**
   * Exactly as AWS holds them, kept for exact backouts. Undefined for protocol `all`.
   * For icmp/icmpv6 these are the ICMP type and code, never ports.
   */
  fromPort?: number;
  toPort?: number;
  source: RuleSource;
  description?: string;
  location?: SourceRange;
  parts?: PartLocations;
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId?: string;
  ownerId?: string;
  rules: Rule[];
  tags?: Record<string, string>;
  location?: SourceRange;
}

export interface Cluster {
  clusterId: string;
  arn?: string;
  /** aurora-mysql, aurora-postgresql, or the legacy aurora. */
  engine: string;
  engineVersion?: string;
  status: string;
  /** The port the cluster really listens on (DBCluster.Port). */
  port: number;
  securityGroupIds: string[];
  memberInstanceIds: string[];
  dbSubnetGroup?: string;
  vpcId?: string;
  endpoint?: string;
  /** DBCluster.NetworkType (IPV4 or DUAL): what its instances have unless they say otherwise. */
  networkType?: string;
  location?: SourceRange;
}

export interface Instance {
  instanceId: string;
  clusterId?: string;
  engine: string;
  status: string;
  instanceClass?: string;
  publiclyAccessible: boolean;
  isWriter?: boolean;
  subnetIds: string[];
  vpcId?: string;
  securityGroupIds: string[];
  endpointAddress?: string;
  port?: number;
  /**
   * DBInstance.NetworkType: `IPV4` (or absent) has only IPv4 addresses, so it is reached only
   * over IPv4; `DUAL` has both; `IPV6` only IPv6. Kept as AWS spells it.
   */
  networkType?: string;
  location?: SourceRange;
  parts?: PartLocations;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  cidrBlock?: string;
  ipv6CidrBlocks: string[];
}

export interface Route {
  /** A CIDR (v4 or v6) or a prefix list id. */
  destination: string;
  /** igw-..., nat-..., eigw-..., local, pcx-..., tgw-..., eni-..., vgw-... */
  target: string;
  state?: string;
}

export interface RouteTable {
  routeTableId: string;
  vpcId: string;
  /** True for the VPC's main route table: it serves every subnet with no explicit association. */
  main: boolean;
  subnetIds: string[];
  routes: Route[];
}

/** One numbered rule of a network ACL, in one direction. */
export interface NetworkAclEntry {
  ruleNumber: number;
  /** Outbound (from the subnet) when true, inbound when false. */
  egress: boolean;
  /** Normalised like a security group rule's: `all` is AWS's `-1`. */
  protocol: Protocol;
  action: 'allow' | 'deny';
  /** CidrBlock (IPv4) or Ipv6CidrBlock: an entry matches one family only. */
  cidr: string;
  /** For tcp and udp, the port range (PortRange.From/To); absent means every port. */
  fromPort?: number;
  toPort?: number;
}

/** A network ACL: stateless, evaluated in rule-number order, first match wins, the rest denied. */
export interface NetworkAcl {
  networkAclId: string;
  vpcId: string;
  /** The VPC's default ACL serves every subnet that has no explicit association. */
  isDefault: boolean;
  subnetIds: string[];
  entries: NetworkAclEntry[];
}

export interface NetworkInterface {
  networkInterfaceId: string;
  groupIds: string[];
  vpcId?: string;
  subnetId?: string;
  description?: string;
  /** e.g. amazon-rds, amazon-elb; absent for interfaces the account created itself. */
  requesterId?: string;
  interfaceType?: string;
  /** The EC2 instance it is attached to, if any. */
  attachedInstanceId?: string;
}

export interface PrefixList {
  prefixListId: string;
  name?: string;
  /** The entries' CIDRs; undefined when they could not be read (the list is then "unresolved"). */
  entries?: string[];
}

export interface Vpc {
  vpcId: string;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
}

export type InventoryKind = 'live' | 'evidence' | 'iac';

/**
 * A role assumed in a member account of an organization (design 11): how a live target of that
 * account was read, and how its fixes run (the SDK and the generated AWS CLI script assume it too).
 */
export interface AssumedRole {
  /** arn:aws:iam::ACCOUNT:role/NAME; its account is the target's. */
  roleArn: string;
  /** The profile the role is assumed from (the organization profile); absent: the environment's credentials. */
  sourceProfile?: string;
  externalId?: string;
  /** The role session name, which CloudTrail shows: `aurora-sg`. */
  sessionName: string;
}

/** What an inventory is of: a (profile, region) of a live account, an evidence folder, or IaC files. */
export interface Target {
  kind: InventoryKind;
  /** Human label: "prod / eu-west-1", "samples/demo-account". */
  label: string;
  profile?: string;
  region?: string;
  accountId?: string;
  /** The account's name in its organization, when it came from one. */
  accountName?: string;
  /** A member account read through a role (then `profile` is absent: the role's source is in here). */
  assumedRole?: AssumedRole;
  /** For evidence and IaC: the folder or file. */
  path?: string;
}

/** What the inventory holds beyond clusters, instances and groups; missing parts narrow what can be judged. */
export interface Coverage {
  securityGroupRuleIds: boolean;
  subnets: boolean;
  routeTables: boolean;
  networkInterfaces: boolean;
  vpcs: boolean;
  networkAcls: boolean;
}

export interface InventoryNote {
  level: 'info' | 'warning' | 'error';
  message: string;
  file?: string;
  location?: SourceRange;
}

export interface Inventory {
  target: Target;
  clusters: Cluster[];
  instances: Instance[];
  securityGroups: SecurityGroup[];
  prefixLists: PrefixList[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  networkInterfaces: NetworkInterface[];
  vpcs: Vpc[];
  networkAcls: NetworkAcl[];
  coverage: Coverage;
  notes: InventoryNote[];
  /**
   * Groups not attached to any cluster are judged against the database ports
   * (settings plus the clusters' ports) when this is set: a bare
   * describe-security-groups.json or an IaC file carries no cluster.
   */
  judgeUnattachedGroups?: boolean;
  /** IaC files: where each resource is declared and the inline suppressions the file writes. */
  iac?: IacDeclarations;
}

/** What an IaC reader knows beyond the model, for suppressions by resource address and in comments. */
export interface IacDeclarations {
  /** Each resource by its address (aws_security_group.db, module.x.aws_security_group.y) or logical id, and where it is declared. */
  resources: { address: string; location: SourceRange }[];
  /** `aurora-sg:ignore AURSG-00x reason` comments, each with the resource or rule it stands above. */
  suppressions: InlineSuppression[];
}

/** An inline suppression: findings of its rule ids located in its subject (or about the group it declares) are suppressed. */
export interface InlineSuppression {
  ruleIds: RuleId[];
  reason: string;
  /** The resource or rule under the comment. */
  subject: SourceRange;
  /** The comment. */
  comment: SourceRange;
  /** The address of the resource under the comment, when it is one (a group: its findings from rules declared elsewhere too). */
  address?: string;
}

export type FixKind = 'revoke' | 'restrict' | 'dedicated-sg' | 'private' | 'egress';

export const FIX_KINDS: readonly FixKind[] = ['revoke', 'restrict', 'dedicated-sg', 'private', 'egress'];

export interface Finding {
  /** Stable across runs and machines: a hash of what the finding is about, not of when or where it ran. */
  id: string;
  ruleId: RuleId;
  severity: Severity;
  title: string;
  message: string;
  target: Pick<Target, 'kind' | 'label' | 'profile' | 'region' | 'accountId' | 'accountName' | 'assumedRole'>;
  clusterId?: string;
  instanceId?: string;
  groupId?: string;
  /** The offending rule, when the finding is about one. */
  rule?: Rule;
  /** Other rules that together make the finding (e.g. 0.0.0.0/1 + 128.0.0.0/1). */
  relatedRules?: Rule[];
  fixes: FixKind[];
  suppressed?: { reason: string };
  location?: SourceRange;
  /** AURSG-009 and AURSG-011: the way from the internet to the instance, layer by layer. */
  path?: ReachabilityHop[];
}

/** One layer of the way from the internet to an instance, as the tree and diagnostics show it. */
export interface ReachabilityHop {
  kind: 'internet' | 'route' | 'acl' | 'groups' | 'instance';
  /** One line for people, e.g. "route table rtb-1 sends 0.0.0.0/0 to internet gateway igw-1". */
  text: string;
}

export function createEmptyInventory(target: Target): Inventory {
  return {
    target,
    clusters: [],
    instances: [],
    securityGroups: [],
    prefixLists: [],
    subnets: [],
    routeTables: [],
    networkInterfaces: [],
    vpcs: [],
    networkAcls: [],
    coverage: { securityGroupRuleIds: false, subnets: false, routeTables: false, networkInterfaces: false, vpcs: false, networkAcls: false },
    notes: [],
  };
}
