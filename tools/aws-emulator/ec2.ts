// The EC2 actions the product makes, on one region's state. Inputs and outputs use the SDK's
// member names (wire.ts maps them to and from the EC2 query protocol).

import ipaddr from 'ipaddr.js';
import type { AwsIpPermission, AwsUserIdGroupPair } from '../../src/model/awsShapes';
import { AwsError, invalidParameterValue } from './errors';
import { type Filter, applyFilters, paginate, tagPairs } from './paginate';
import {
  type Json, type RegionState, type StoredRule, describeGroup, describeRule, draftsFromPermissions, newId, rulesByGroup,
  normaliseProtocol, protocolHasPorts, ruleIdentity,
} from './state';

export interface HandlerContext {
  pageSize: number;
  /** Regions DescribeRegions reports. */
  regions: string[];
}

export type Handler = (state: RegionState, input: Json, ctx: HandlerContext) => Json;

const unknownFilter = (name: string) => invalidParameterValue(`The filter '${name}' is invalid`);

function page<T>(action: string, items: T[], input: Json, ctx: HandlerContext, range: [number, number] = [5, 1000]) {
  return paginate(items, {
    max: input.MaxResults as number | undefined, token: input.NextToken as string | undefined, pageSize: ctx.pageSize,
    range, maxName: 'maxResults', tokenName: 'nextToken', action,
  });
}

function withToken(output: Json, next: string | undefined): Json {
  if (next !== undefined) output.NextToken = next;
  return output;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function requireIds<T extends Json>(items: T[], ids: string[], key: string, notFound: (id: string) => AwsError): T[] {
  if (ids.length === 0) return items;
  for (const id of ids) if (!items.some((item) => item[key] === id)) throw notFound(id);
  return items.filter((item) => ids.includes(item[key] as string));
}

// ---------------------------------------------------------------------------------------
// Security groups

function groupNotFound(id: string): AwsError {
  return new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
}

function defaultVpcId(state: RegionState): string | undefined {
  return state.vpcs.find((v) => v.IsDefault === true)?.VpcId as string | undefined;
}

/** Finds the group a call names, by id or (default VPC only, as AWS) by name. */
function findGroup(state: RegionState, input: Json): Json {
  const id = input.GroupId as string | undefined;
  if (id) {
    if (!/^sg-[0-9a-f]+$/.test(id)) throw new AwsError('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
    const group = state.groups.find((g) => g.GroupId === id);
    if (!group) throw groupNotFound(id);
    return group;
  }
  const name = input.GroupName as string | undefined;
  if (name) {
    const vpc = defaultVpcId(state);
    const group = state.groups.find((g) => g.GroupName === name && g.VpcId === vpc);
    if (!group) {
      throw new AwsError('InvalidGroup.NotFound', vpc
        ? `The security group '${name}' does not exist in default VPC '${vpc}'`
        : `You have specified a security group name '${name}' but there is no default VPC; use the group id instead`);
    }
    return group;
  }
  throw new AwsError('MissingParameter', 'The request must contain the parameter groupId');
}

const describeSecurityGroups: Handler = (state, input, ctx) => {
  let groups = state.groups;
  const ids = strings(input.GroupIds);
  groups = requireIds(groups, ids, 'GroupId', groupNotFound);
  const names = strings(input.GroupNames);
  if (names.length) {
    const vpc = defaultVpcId(state);
    for (const name of names) {
      if (!groups.some((g) => g.GroupName === name && g.VpcId === vpc)) {
        throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc ?? 'none'}'`);
      }
    }
    groups = groups.filter((g) => names.includes(g.GroupName as string) && g.VpcId === vpc);
  }
  groups = applyFilters(groups, input.Filters as Filter[] | undefined, {
    'group-id': (g) => [g.GroupId as string],
    'group-name': (g) => [g.GroupName as string],
    'vpc-id': (g) => [g.VpcId as string],
    description: (g) => [g.Description as string],
    'owner-id': (g) => [g.OwnerId as string],
    'tag-key': (g) => ((g.Tags as Json[] | undefined) ?? []).map((t) => t.Key as string),
    'tag:': (g) => tagPairs(g),
  }, unknownFilter);
  const { page: items, next } = page('DescribeSecurityGroups', groups, input, ctx);
  const byGroup = rulesByGroup(state);
  return withToken({ SecurityGroups: items.map((g) => describeGroup(state, g, byGroup)) }, next);
};

const describeSecurityGroupRules: Handler = (state, input, ctx) => {
  let rules = state.rules;
  const ids = strings(input.SecurityGroupRuleIds);
  for (const id of ids) {
    if (!rules.some((r) => r.id === id)) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
  }
  if (ids.length) rules = rules.filter((r) => ids.includes(r.id));
  rules = applyFilters(rules, input.Filters as Filter[] | undefined, {
    'group-id': (r) => [r.groupId],
    'security-group-rule-id': (r) => [r.id],
    'tag-key': (r) => r.tags.map((t) => t.Key),
    'tag:': (r) => r.tags.map((t) => JSON.stringify([t.Key, t.Value])),
  }, unknownFilter);
  const { page: items, next } = page('DescribeSecurityGroupRules', rules, input, ctx);
  return withToken({ SecurityGroupRules: items.map((r) => describeRule(state, r)) }, next);
};

function knownVpcIds(state: RegionState): Set<string> {
  const ids = [
    ...state.vpcs.map((v) => v.VpcId), ...state.groups.map((g) => g.VpcId), ...state.subnets.map((s) => s.VpcId),
    ...state.subnetGroups.map((g) => g.VpcId),
  ];
  return new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''));
}

function tagsFor(input: Json, resourceType: string): Json[] {
  const specs = (input.TagSpecifications as Json[] | undefined) ?? [];
  return specs.filter((s) => s.ResourceType === resourceType).flatMap((s) => (s.Tags as Json[] | undefined) ?? []);
}

const createSecurityGroup: Handler = (state, input) => {
  const name = input.GroupName as string | undefined;
  const description = input.Description as string | undefined;
  if (!name) throw new AwsError('MissingParameter', 'The request must contain the parameter groupName');
  if (description === undefined || description === '') throw new AwsError('MissingParameter', 'The request must contain the parameter groupDescription');
  if (name.length > 255) throw invalidParameterValue(`Value (${name}) for parameter groupName is invalid. Group name is longer than 255 characters.`);
  if (description.length > 255) throw invalidParameterValue('Value for parameter GroupDescription is invalid. Character limit of 255 exceeded.');
  if (/^sg-/i.test(name)) throw invalidParameterValue(`Value (${name}) for parameter groupName is invalid. Group names may not be in the format sg-*.`);
  let vpcId = input.VpcId as string | undefined;
  if (!vpcId) {
    vpcId = defaultVpcId(state);
    if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
  } else if (!knownVpcIds(state).has(vpcId)) {
    throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  }
  if (state.groups.some((g) => g.GroupName === name && g.VpcId === vpcId)) {
    throw new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
  }
  const groupId = newId(state, 'sg');
  const tags = tagsFor(input, 'security-group');
  const arn = `arn:aws:ec2:${state.region}:${state.accountId}:security-group/${groupId}`;
  state.groups.push({
    Description: description, GroupName: name, OwnerId: state.accountId, GroupId: groupId, Tags: tags, VpcId: vpcId,
    SecurityGroupArn: arn,
  });
  // A new group allows all outbound traffic, as on AWS.
  state.rules.push({ id: newId(state, 'sgr'), groupId, egress: true, protocol: '-1', kind: 'cidr4', value: '0.0.0.0/0', tags: [] });
  return { GroupId: groupId, Tags: tags, SecurityGroupArn: arn };
};

/** The IpPermissions of a call, including the legacy top-level CidrIp/IpProtocol/ports form. */
function permissionsOf(state: RegionState, input: Json, group: Json): AwsIpPermission[] {
  const permissions = [...((input.IpPermissions as AwsIpPermission[] | undefined) ?? [])];
  const cidr = input.CidrIp as string | undefined;
  const sourceName = input.SourceSecurityGroupName as string | undefined;
  if (cidr !== undefined || sourceName !== undefined || input.IpProtocol !== undefined) {
    if (permissions.length) throw new AwsError('InvalidParameterCombination', 'The parameter IpPermissions cannot be used with the parameters CidrIp, IpProtocol, FromPort, ToPort or SourceSecurityGroupName');
    const permission: AwsIpPermission = { IpProtocol: (input.IpProtocol as string | undefined) ?? '-1' };
    if (input.FromPort !== undefined) permission.FromPort = input.FromPort as number;
    if (input.ToPort !== undefined) permission.ToPort = input.ToPort as number;
    if (cidr !== undefined) permission.IpRanges = [{ CidrIp: cidr }];
    if (sourceName !== undefined) {
      const source = state.groups.find((g) => g.GroupName === sourceName && g.VpcId === group.VpcId);
      if (!source) throw new AwsError('InvalidGroup.NotFound', `The security group '${sourceName}' does not exist`);
      permission.UserIdGroupPairs = [{ GroupId: source.GroupId as string, UserId: (input.SourceSecurityGroupOwnerId as string | undefined) ?? state.accountId }];
      if (input.IpProtocol === undefined) { permission.IpProtocol = '-1'; }
    }
    permissions.push(permission);
  }
  return permissions;
}

function validCidr(cidr: string, kind: 'ipv4' | 'ipv6'): boolean {
  if (!/\/\d{1,3}$/.test(cidr)) return false;
  try {
    const [address] = ipaddr.parseCIDR(cidr);
    return address.kind() === kind && (kind === 'ipv6' || ipaddr.IPv4.isValidFourPartDecimal(cidr.split('/')[0]));
  } catch {
    return false;
  }
}

/** Checks a permission as AWS does before storing it; throws AWS's error for the first problem. */
function validatePermission(state: RegionState, permission: AwsIpPermission): void {
  const protocol = normaliseProtocol(permission.IpProtocol);
  const known = ['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(protocol) || (/^\d+$/.test(protocol) && Number(protocol) <= 255);
  if (!known) throw invalidParameterValue(`Invalid value '${permission.IpProtocol ?? ''}' for IP protocol. Unknown protocol.`);
  if (protocol === 'tcp' || protocol === 'udp') {
    const { FromPort: from, ToPort: to } = permission;
    if (from === undefined || to === undefined) throw invalidParameterValue('Invalid value \'Must specify both from and to ports with TCP/UDP.\' for portRange.');
    if (from < 0 || to > 65535 || from > to) throw invalidParameterValue(`Invalid value '${from}-${to}' for portRange. Must be between 0 and 65535, from port less than or equal to to port.`);
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const { FromPort: type, ToPort: code } = permission;
    if (type !== undefined && (type < -1 || type > 255)) throw invalidParameterValue(`Invalid value '${type}' for ICMP type.`);
    if (code !== undefined && (code < -1 || code > 255)) throw invalidParameterValue(`Invalid value '${code}' for ICMP code.`);
  }
  const descriptions = [
    ...(permission.IpRanges ?? []), ...(permission.Ipv6Ranges ?? []), ...(permission.PrefixListIds ?? []), ...(permission.UserIdGroupPairs ?? []),
  ].map((s) => s.Description);
  for (const description of descriptions) {
    if (description !== undefined && description.length > 255) throw invalidParameterValue('Invalid rule description. Character limit of 255 exceeded.');
  }
  for (const range of permission.IpRanges ?? []) {
    if (!validCidr(range.CidrIp ?? '', 'ipv4')) throw invalidParameterValue(`CIDR block ${range.CidrIp ?? ''} is malformed`);
  }
  for (const range of permission.Ipv6Ranges ?? []) {
    if (!validCidr(range.CidrIpv6 ?? '', 'ipv6')) throw invalidParameterValue(`CIDR block ${range.CidrIpv6 ?? ''} is malformed`);
  }
  for (const pl of permission.PrefixListIds ?? []) {
    if (!/^pl-[0-9a-f]+$/.test(pl.PrefixListId ?? '')) throw new AwsError('InvalidPrefixListId.Malformed', `The prefix list ID '${pl.PrefixListId ?? ''}' is malformed`);
  }
  for (const pair of permission.UserIdGroupPairs ?? []) {
    const sameAccount = !pair.UserId || pair.UserId === state.accountId;
    if (pair.GroupId && sameAccount && !state.groups.some((g) => g.GroupId === pair.GroupId)) throw groupNotFound(pair.GroupId);
    if (!pair.GroupId && pair.GroupName && !state.groups.some((g) => g.GroupName === pair.GroupName)) throw groupNotFound(pair.GroupName);
    if (!pair.GroupId && !pair.GroupName) throw new AwsError('MissingParameter', 'A group pair must contain a GroupId or GroupName');
  }
}

/** Resolves group pairs named by GroupName to ids and fills in the owner, as AWS stores them. */
function resolvePairs(state: RegionState, permission: AwsIpPermission): AwsIpPermission {
  if (!permission.UserIdGroupPairs?.length) return permission;
  const pairs: AwsUserIdGroupPair[] = permission.UserIdGroupPairs.map((pair) => {
    const groupId = pair.GroupId ?? (state.groups.find((g) => g.GroupName === pair.GroupName)?.GroupId as string);
    const resolved: AwsUserIdGroupPair = { GroupId: groupId, UserId: pair.UserId ?? state.accountId };
    if (pair.VpcId) resolved.VpcId = pair.VpcId;
    if (pair.VpcPeeringConnectionId) resolved.VpcPeeringConnectionId = pair.VpcPeeringConnectionId;
    if (pair.Description !== undefined) resolved.Description = pair.Description;
    return resolved;
  });
  return { ...permission, UserIdGroupPairs: pairs };
}

function describeRuleText(rule: Omit<StoredRule, 'id' | 'tags'>): string {
  const protocol = rule.protocol === '-1' ? 'ALL' : rule.protocol.toUpperCase();
  const ports = protocolHasPorts(rule.protocol) ? `, from port: ${rule.fromPort ?? -1}, to port: ${rule.toPort ?? -1}` : '';
  return `peer: ${rule.value}, ${protocol}${ports}, ALLOW`;
}

function authorize(egress: boolean): Handler {
  return (state, input) => {
    const group = findGroup(state, input);
    const groupId = group.GroupId as string;
    const permissions = permissionsOf(state, input, group);
    if (!permissions.length) throw new AwsError('MissingParameter', 'No permissions were specified: IpPermissions is required');
    permissions.forEach((p) => validatePermission(state, p));
    const drafts = draftsFromPermissions(groupId, egress, permissions.map((p) => resolvePairs(state, p)));
    const seen = new Set<string>();
    for (const draft of drafts) {
      const key = ruleIdentity(draft);
      if (seen.has(key) || state.rules.some((r) => ruleIdentity(r) === key)) {
        throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRuleText(draft)}" already exists`);
      }
      seen.add(key);
    }
    const tags = tagsFor(input, 'security-group-rule') as StoredRule['tags'];
    const added = drafts.map((draft) => ({ ...draft, id: newId(state, 'sgr'), tags: [...tags] }));
    state.rules.push(...added);
    return { Return: true, SecurityGroupRules: added.map((r) => describeRule(state, r)) };
  };
}

function revokedShape(rule: StoredRule): Json {
  const out: Json = {
    SecurityGroupRuleId: rule.id, GroupId: rule.groupId, IsEgress: rule.egress, IpProtocol: rule.protocol,
    FromPort: rule.fromPort ?? -1, ToPort: rule.toPort ?? -1,
  };
  if (rule.kind === 'cidr4') out.CidrIpv4 = rule.value;
  else if (rule.kind === 'cidr6') out.CidrIpv6 = rule.value;
  else if (rule.kind === 'prefixList') out.PrefixListId = rule.value;
  else out.ReferencedGroupId = rule.value;
  if (rule.description !== undefined) out.Description = rule.description;
  return out;
}

function revoke(egress: boolean): Handler {
  return (state, input) => {
    const group = findGroup(state, input);
    const groupId = group.GroupId as string;
    const ids = strings(input.SecurityGroupRuleIds);
    const permissions = permissionsOf(state, input, group);
    if (ids.length && permissions.length) {
      throw new AwsError('InvalidParameterCombination', 'You may specify either SecurityGroupRuleIds or IpPermissions, not both');
    }
    if (!ids.length && !permissions.length) throw new AwsError('MissingParameter', 'Either SecurityGroupRuleIds or IpPermissions is required');
    const toRemove: StoredRule[] = [];
    const unknown: AwsIpPermission[] = [];
    if (ids.length) {
      for (const id of ids) {
        const rule = state.rules.find((r) => r.id === id && r.groupId === groupId && r.egress === egress);
        if (!rule) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
        toRemove.push(rule);
      }
    } else {
      for (const permission of permissions) {
        validatePermission(state, permission);
        for (const draft of draftsFromPermissions(groupId, egress, [resolvePairs(state, permission)])) {
          const rule = state.rules.find((r) => ruleIdentity(r) === ruleIdentity(draft));
          if (rule) toRemove.push(rule);
          else if (!unknown.includes(permission)) unknown.push(permission);
        }
      }
      // Outside the default VPC, AWS refuses a revoke that names a rule the group does not have.
      if (unknown.length && group.VpcId !== defaultVpcId(state)) {
        throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
      }
    }
    state.rules = state.rules.filter((r) => !toRemove.includes(r));
    const output: Json = { Return: true, RevokedSecurityGroupRules: toRemove.map(revokedShape) };
    if (unknown.length) output.UnknownIpPermissions = unknown;
    return output;
  };
}

const deleteSecurityGroup: Handler = (state, input) => {
  const group = findGroup(state, input);
  const groupId = group.GroupId as string;
  if (group.GroupName === 'default') {
    throw new AwsError('CannotDelete', `the specified group: "${groupId}" name: "default" cannot be deleted by a user`);
  }
  const inUse = (records: Json[], listKey: string, idKey: string) =>
    records.some((r) => ((r[listKey] as Json[] | undefined) ?? []).some((m) => m[idKey] === groupId));
  const referenced = state.rules.some((r) => r.kind === 'group' && r.value === groupId && r.groupId !== groupId);
  if (inUse(state.clusters, 'VpcSecurityGroups', 'VpcSecurityGroupId') || inUse(state.instances, 'VpcSecurityGroups', 'VpcSecurityGroupId')
    || inUse(state.networkInterfaces, 'Groups', 'GroupId') || referenced) {
    throw new AwsError('DependencyViolation', `resource ${groupId} has a dependent object`);
  }
  state.groups = state.groups.filter((g) => g !== group);
  state.rules = state.rules.filter((r) => r.groupId !== groupId);
  return { Return: true, GroupId: groupId };
};

// ---------------------------------------------------------------------------------------
// Network and prefix lists (read-only)

const describeManagedPrefixLists: Handler = (state, input, ctx) => {
  let lists = requireIds(state.prefixLists, strings(input.PrefixListIds), 'PrefixListId',
    (id) => new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`));
  lists = applyFilters(lists, input.Filters as Filter[] | undefined, {
    'prefix-list-id': (pl) => [pl.PrefixListId as string],
    'prefix-list-name': (pl) => [pl.PrefixListName as string],
    'owner-id': (pl) => [pl.OwnerId as string],
  }, unknownFilter);
  const { page: items, next } = page('DescribeManagedPrefixLists', lists, input, ctx, [1, 100]);
  return withToken({ PrefixLists: items }, next);
};

const getManagedPrefixListEntries: Handler = (state, input, ctx) => {
  const id = input.PrefixListId as string | undefined;
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter PrefixListId');
  const entries = state.prefixListEntries[id];
  if (!entries && !state.prefixLists.some((pl) => pl.PrefixListId === id)) {
    throw new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`);
  }
  const { page: items, next } = page(`GetManagedPrefixListEntries:${id}`, entries ?? [], input, ctx, [1, 100]);
  return withToken({ Entries: items }, next);
};

const describeSubnets: Handler = (state, input, ctx) => {
  let subnets = requireIds(state.subnets, strings(input.SubnetIds), 'SubnetId',
    (id) => new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`));
  subnets = applyFilters(subnets, input.Filters as Filter[] | undefined, {
    'subnet-id': (s) => [s.SubnetId as string],
    'vpc-id': (s) => [s.VpcId as string],
    'availability-zone': (s) => [s.AvailabilityZone as string],
    'cidr-block': (s) => [s.CidrBlock as string],
    'tag:': (s) => tagPairs(s),
  }, unknownFilter);
  const { page: items, next } = page('DescribeSubnets', subnets, input, ctx);
  return withToken({ Subnets: items }, next);
};

const describeRouteTables: Handler = (state, input, ctx) => {
  let tables = requireIds(state.routeTables, strings(input.RouteTableIds), 'RouteTableId',
    (id) => new AwsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`));
  const associations = (t: Json) => (t.Associations as Json[] | undefined) ?? [];
  tables = applyFilters(tables, input.Filters as Filter[] | undefined, {
    'route-table-id': (t) => [t.RouteTableId as string],
    'vpc-id': (t) => [t.VpcId as string],
    'association.subnet-id': (t) => associations(t).map((a) => a.SubnetId as string | undefined),
    'association.main': (t) => associations(t).map((a) => (a.Main === true ? 'true' : 'false')),
    'tag:': (t) => tagPairs(t),
  }, unknownFilter);
  const { page: items, next } = page('DescribeRouteTables', tables, input, ctx, [5, 100]);
  return withToken({ RouteTables: items }, next);
};

const describeNetworkAcls: Handler = (state, input, ctx) => {
  let acls = requireIds(state.networkAcls, strings(input.NetworkAclIds), 'NetworkAclId',
    (id) => new AwsError('InvalidNetworkAclID.NotFound', `The networkAcl ID '${id}' does not exist`));
  const associations = (a: Json) => (a.Associations as Json[] | undefined) ?? [];
  acls = applyFilters(acls, input.Filters as Filter[] | undefined, {
    'network-acl-id': (a) => [a.NetworkAclId as string],
    'vpc-id': (a) => [a.VpcId as string],
    default: (a) => [a.IsDefault === true ? 'true' : 'false'],
    'owner-id': (a) => [a.OwnerId as string | undefined],
    'association.subnet-id': (a) => associations(a).map((x) => x.SubnetId as string | undefined),
    'association.network-acl-id': (a) => associations(a).map((x) => x.NetworkAclId as string | undefined),
    'association.association-id': (a) => associations(a).map((x) => x.NetworkAclAssociationId as string | undefined),
    'tag:': (a) => tagPairs(a),
  }, unknownFilter);
  const { page: items, next } = page('DescribeNetworkAcls', acls, input, ctx);
  return withToken({ NetworkAcls: items }, next);
};

const describeNetworkInterfaces: Handler = (state, input, ctx) => {
  let enis = requireIds(state.networkInterfaces, strings(input.NetworkInterfaceIds), 'NetworkInterfaceId',
    (id) => new AwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`));
  enis = applyFilters(enis, input.Filters as Filter[] | undefined, {
    'network-interface-id': (e) => [e.NetworkInterfaceId as string],
    'group-id': (e) => ((e.Groups as Json[] | undefined) ?? []).map((g) => g.GroupId as string),
    'group-name': (e) => ((e.Groups as Json[] | undefined) ?? []).map((g) => g.GroupName as string),
    'vpc-id': (e) => [e.VpcId as string],
    'subnet-id': (e) => [e.SubnetId as string],
    'requester-id': (e) => [e.RequesterId as string | undefined],
    'requester-managed': (e) => [String(e.RequesterManaged === true)],
    description: (e) => [e.Description as string | undefined],
    'interface-type': (e) => [e.InterfaceType as string | undefined],
    'tag:': (e) => tagPairs(e, 'TagSet'),
  }, unknownFilter);
  const { page: items, next } = page('DescribeNetworkInterfaces', enis, input, ctx);
  return withToken({ NetworkInterfaces: items }, next);
};

const describeVpcs: Handler = (state, input, ctx) => {
  let vpcs = requireIds(state.vpcs, strings(input.VpcIds), 'VpcId',
    (id) => new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`));
  vpcs = applyFilters(vpcs, input.Filters as Filter[] | undefined, {
    'vpc-id': (v) => [v.VpcId as string],
    'is-default': (v) => [String(v.IsDefault === true)],
    'cidr-block': (v) => [v.CidrBlock as string],
    'tag:': (v) => tagPairs(v),
  }, unknownFilter);
  const { page: items, next } = page('DescribeVpcs', vpcs, input, ctx);
  return withToken({ Vpcs: items }, next);
};

const describeRegions: Handler = (_state, input, ctx) => {
  let regions = ctx.regions.map((name) => ({ RegionName: name, Endpoint: `ec2.${name}.amazonaws.com`, OptInStatus: 'opt-in-not-required' }));
  const names = strings(input.RegionNames);
  for (const name of names) {
    if (!ctx.regions.includes(name)) throw invalidParameterValue(`Invalid region: ${name}`);
  }
  if (names.length) regions = regions.filter((r) => names.includes(r.RegionName));
  regions = applyFilters(regions, input.Filters as Filter[] | undefined, {
    'region-name': (r) => [r.RegionName],
    endpoint: (r) => [r.Endpoint],
    'opt-in-status': (r) => [r.OptInStatus],
  }, unknownFilter);
  return { Regions: regions };
};

export const EC2_HANDLERS: Record<string, Handler> = {
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  CreateSecurityGroup: createSecurityGroup,
  AuthorizeSecurityGroupIngress: authorize(false),
  AuthorizeSecurityGroupEgress: authorize(true),
  RevokeSecurityGroupIngress: revoke(false),
  RevokeSecurityGroupEgress: revoke(true),
  DeleteSecurityGroup: deleteSecurityGroup,
  DescribeManagedPrefixLists: describeManagedPrefixLists,
  GetManagedPrefixListEntries: getManagedPrefixListEntries,
  DescribeSubnets: describeSubnets,
  DescribeRouteTables: describeRouteTables,
  DescribeNetworkAcls: describeNetworkAcls,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeVpcs: describeVpcs,
  DescribeRegions: describeRegions,
};
