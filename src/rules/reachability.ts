// AURSG-009 and AURSG-011: whether the internet can reach an instance, judged layer by layer as
// AWS applies them (design.md section 10): the instance has an address of the family (public,
// and IPv6 only when its NetworkType is DUAL), its subnet's route table sends destinations that
// together cover the family to an active internet gateway, the union of the cluster's groups
// admits every address on the port, and the subnet's network ACL lets the connection in and
// its replies out. At least half of the family through the ACL is the internet (AURSG-009);
// less, and the ACL alone is what keeps the internet out (AURSG-011).

import type { Cluster, Instance, NetworkAcl, ReachabilityHop, Route, RouteTable, Rule, SecurityGroup } from '../model/types';
import { type AclPassage, aclPassage, EPHEMERAL_PORTS } from './acl';
import { coversFamily, formatCidr, parseCidrCached, type Family, type ParsedCidr } from './cidr';
import { addFinding, addNote, type AuditContext } from './context';
import { describeGroups, describePortList, describeRule, listSome, showId } from './describe';
import { type AddressSet, FAMILY_SIZE, holdsHalf, size, toCidrBlocks, wholeFamily } from './intervals';
import type { OpenToAnywhere } from './judgeGroup';

interface NetworkIndex {
  routeTableBySubnet: Map<string, RouteTable>;
  mainRouteTableByVpc: Map<string, RouteTable>;
  vpcBySubnet: Map<string, string>;
  aclBySubnet: Map<string, NetworkAcl>;
  defaultAclByVpc: Map<string, NetworkAcl>;
}

const indexes = new WeakMap<AuditContext, NetworkIndex>();

function networkIndex(ctx: AuditContext): NetworkIndex {
  let index = indexes.get(ctx);
  if (!index) {
    index = { routeTableBySubnet: new Map(), mainRouteTableByVpc: new Map(), vpcBySubnet: new Map(), aclBySubnet: new Map(), defaultAclByVpc: new Map() };
    const { inventory } = ctx;
    for (const table of Array.isArray(inventory.routeTables) ? inventory.routeTables : []) {
      for (const subnetId of Array.isArray(table.subnetIds) ? table.subnetIds : []) index.routeTableBySubnet.set(subnetId, table);
      if (table.main) index.mainRouteTableByVpc.set(table.vpcId, table);
    }
    for (const subnet of Array.isArray(inventory.subnets) ? inventory.subnets : []) index.vpcBySubnet.set(subnet.subnetId, subnet.vpcId);
    for (const acl of Array.isArray(inventory.networkAcls) ? inventory.networkAcls : []) {
      for (const subnetId of Array.isArray(acl.subnetIds) ? acl.subnetIds : []) index.aclBySubnet.set(subnetId, acl);
      if (acl.isDefault) index.defaultAclByVpc.set(acl.vpcId, acl);
    }
    indexes.set(ctx, index);
  }
  return index;
}

type RouteVerdict =
  | { kind: 'internet'; table: RouteTable; routes: Route[] }
  | { kind: 'private' }
  | { kind: 'unknown'; why: string };

/** A route that takes inbound internet traffic: to an internet gateway, and not a blackhole (a detached or deleted gateway). */
function isInternetRoute(route: Route): boolean {
  return typeof route.target === 'string' && route.target.startsWith('igw-') && (route.state === undefined || route.state === 'active');
}

/**
 * Whether the subnet's route table (its explicit association, else its VPC's main table) sends
 * destinations that together cover the family to an active internet gateway. An egress-only
 * gateway (eigw-) never admits inbound traffic; 0.0.0.0/1 + 128.0.0.0/1 is a default route.
 */
function subnetRoute(ctx: AuditContext, subnetId: string, fallbackVpcId: string | undefined, family: Family): RouteVerdict {
  if (!ctx.inventory.coverage?.routeTables) return { kind: 'unknown', why: 'route tables were not collected' };
  const index = networkIndex(ctx);
  let table = index.routeTableBySubnet.get(subnetId);
  if (!table) {
    const vpcId = index.vpcBySubnet.get(subnetId) ?? fallbackVpcId;
    table = vpcId ? index.mainRouteTableByVpc.get(vpcId) : undefined;
    if (!table) {
      return { kind: 'unknown', why: vpcId
        ? `subnet ${showId(subnetId)} has no route table association and no main route table of ${showId(vpcId)} is in the inventory`
        : `the VPC of subnet ${showId(subnetId)} is not known (subnets were not collected)` };
    }
  }
  const routes: Route[] = [];
  const destinations: ParsedCidr[] = [];
  for (const route of Array.isArray(table.routes) ? table.routes : []) {
    if (!route || !isInternetRoute(route)) continue;
    const destination = parseCidrCached(String(route.destination));
    if (!destination || destination.family !== family) continue;
    routes.push(route);
    destinations.push(destination);
  }
  return coversFamily(destinations, family) ? { kind: 'internet', table, routes } : { kind: 'private' };
}

type AclVerdict =
  | { kind: 'judged'; acl: NetworkAcl; passage: AclPassage }
  | { kind: 'unjudged'; why: string };

const passages = new WeakMap<NetworkAcl, Map<string, AclPassage>>();

function passageOf(acl: NetworkAcl, family: Family, port: number): AclPassage {
  let byKey = passages.get(acl);
  if (!byKey) { byKey = new Map(); passages.set(acl, byKey); }
  const key = `${family}:${port}`;
  let passage = byKey.get(key);
  if (!passage) { passage = aclPassage(acl, family, port); byKey.set(key, passage); }
  return passage;
}

/** The subnet's network ACL (explicit association, else its VPC's default ACL) and what it lets through. */
function subnetAcl(ctx: AuditContext, subnetId: string, vpcId: string | undefined, family: Family, port: number): AclVerdict {
  if (!ctx.inventory.coverage?.networkAcls) return { kind: 'unjudged', why: 'network ACLs were not collected' };
  const index = networkIndex(ctx);
  const acl = index.aclBySubnet.get(subnetId) ?? (vpcId ? index.defaultAclByVpc.get(vpcId) : undefined);
  if (!acl) return { kind: 'unjudged', why: `no network ACL of subnet ${showId(subnetId)} (nor a default ACL of its VPC) is in the inventory` };
  return { kind: 'judged', acl, passage: passageOf(acl, family, port) };
}

/**
 * The families an instance has addresses of: NetworkType IPV4 (or absent) only IPv4, IPV6 (RDS's
 * IPv6-only mode) only IPv6, DUAL both; a value AWS does not define, both (the worst case).
 */
export function familiesOf(instance: Pick<Instance, 'networkType'>): Family[] {
  const type = typeof instance.networkType === 'string' ? instance.networkType.toUpperCase() : 'IPV4';
  return type === 'IPV4' ? [4] : type === 'IPV6' ? [6] : [4, 6];
}

interface Exposure {
  family: Family;
  subnetId: string;
  vpcId: string | undefined;
  route: Extract<RouteVerdict, { kind: 'internet' }>;
  acl: AclVerdict;
  /** The clients that get through every layer: the ACL's passing set, or everyone when it was not judged. */
  passing: AddressSet;
  internet: boolean;
}

/** AURSG-009 or AURSG-011 for each publicly accessible instance of the cluster. */
export function judgeInstances(ctx: AuditContext, cluster: Cluster, open: OpenToAnywhere): void {
  for (const instance of ctx.instancesByCluster.get(cluster.clusterId) ?? []) {
    if (instance.publiclyAccessible !== true) continue;
    judgeInstance(ctx, cluster, instance, open);
  }
}

function judgeInstance(ctx: AuditContext, cluster: Cluster, instance: Instance, open: OpenToAnywhere): void {
  const unknowns: string[] = [];
  const exposures: Exposure[] = [];
  const subnetIds = Array.isArray(instance.subnetIds) ? instance.subnetIds : [];
  const vpcId = instance.vpcId ?? cluster.vpcId;
  for (const family of familiesOf(instance)) {
    if (open[family].length === 0) continue;
    if (subnetIds.length === 0) { unknowns.push('its subnets are not known'); continue; }
    // Any subnet of the DB subnet group may hold the instance (and does after a failover): the worst one counts.
    for (const subnetId of subnetIds) {
      const route = subnetRoute(ctx, subnetId, vpcId, family);
      if (route.kind === 'unknown') { unknowns.push(route.why); continue; }
      if (route.kind === 'private') continue;
      const subnetVpc = networkIndex(ctx).vpcBySubnet.get(subnetId) ?? route.table.vpcId ?? vpcId;
      const acl = subnetAcl(ctx, subnetId, subnetVpc, family, cluster.port);
      const passing = acl.kind === 'judged' ? acl.passage.passing : wholeFamily(family);
      exposures.push({ family, subnetId, vpcId: subnetVpc, route, acl, passing, internet: holdsHalf(passing, family) });
    }
  }
  if (exposures.length === 0) {
    if (unknowns.length) {
      addNote(ctx, 'warning', `AURSG-009 could not be judged for instance ${showId(instance.instanceId)} of cluster ${showId(cluster.clusterId)}: `
        + `it is publicly accessible and the cluster's security groups open ${describePortList([cluster.port])} to any address, but ${[...new Set(unknowns)].join('; ')}.`,
        instance.location);
    }
    return;
  }
  for (const exposure of exposures) {
    if (exposure.acl.kind === 'unjudged') {
      addNote(ctx, 'info', `Network ACLs were not judged for instance ${showId(instance.instanceId)} of cluster ${showId(cluster.clusterId)} (${exposure.acl.why}): they are assumed to let everything through, the worst case.`, instance.location);
    }
  }
  const reachable = exposures.filter((e) => e.internet);
  const shown = worstPerFamily(reachable.length ? reachable : exposures);
  const rules = unique(shown.flatMap((e) => open[e.family]));
  const primary = shown[0]!;
  const group = ctx.groupsById.get(rules[0]!.groupId);
  const path = pathOf(ctx, cluster, instance, shown, open);
  const families = shown.map((e) => `IPv${e.family}`).join(' and ');
  const message = reachable.length
    ? `Instance ${showId(instance.instanceId)} of cluster ${showId(cluster.clusterId)} is reachable from the internet on port ${cluster.port} over ${families}: ${path.map((h) => h.text).join(' → ')}.`
    : `Only network ACL ${showId((primary.acl as Extract<AclVerdict, { kind: 'judged' }>).acl.networkAclId)} keeps the internet from port ${cluster.port} of instance ${showId(instance.instanceId)} (cluster ${showId(cluster.clusterId)}); ${stillPasses(primary, cluster.port)} Every other layer is open over ${families}: ${path.map((h) => h.text).join(' → ')}.`;
  addFinding(ctx, {
    ruleId: reachable.length ? 'AURSG-009' : 'AURSG-011',
    cluster, group, instance, rule: rules[0], relatedRules: rules.slice(1),
    location: instance.location ?? rules[0]!.location,
    message, path,
  });
}

/** Per family, the exposure that lets the most addresses through (the first one on a tie). */
function worstPerFamily(exposures: Exposure[]): Exposure[] {
  const best = new Map<Family, Exposure>();
  for (const exposure of exposures) {
    const current = best.get(exposure.family);
    if (!current || size(exposure.passing) > size(current.passing)) best.set(exposure.family, exposure);
  }
  return [...best.values()].sort((a, b) => a.family - b.family);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** "100%", "99.6%", "under 0.01%" of the family. */
function shareText(set: AddressSet, family: Family): string {
  const basisPoints = Number((size(set) * 10000n) / FAMILY_SIZE[family]);
  if (basisPoints === 0 && set.length) return 'under 0.01%';
  return `${basisPoints % 100 === 0 ? basisPoints / 100 : (basisPoints / 100).toFixed(2).replace(/0$/, '')}%`;
}

const LISTED_BLOCKS = 5;

function blocksText(set: AddressSet, family: Family): string {
  const blocks = toCidrBlocks(set, family, LISTED_BLOCKS + 1);
  const texts = blocks.slice(0, LISTED_BLOCKS).map((b) => formatCidr(family, b.network, b.prefix));
  return blocks.length > LISTED_BLOCKS ? `${texts.join(', ')} and more` : texts.join(', ');
}

/** What a blocking ACL still lets through, for AURSG-011's message. */
function stillPasses(exposure: Exposure, port: number): string {
  if (exposure.acl.kind !== 'judged') return '';
  const { passage } = exposure.acl;
  const family = exposure.family;
  if (exposure.passing.length) {
    return `it still lets ${blocksText(exposure.passing, family)} through (${shareText(exposure.passing, family)} of IPv${family} addresses).`;
  }
  if (passage.inbound.length) {
    return `its inbound entries admit ${blocksText(passage.inbound, family)} on tcp ${port}, but its outbound entries do not let the replies to the clients' ephemeral ports (${EPHEMERAL_PORTS.from}-${EPHEMERAL_PORTS.to}) out.`;
  }
  return `it admits no IPv${family} address on tcp ${port}.`;
}

/** The way from the internet to the instance, one hop per layer (for the tooltip, the diagnostic and the message). */
function pathOf(ctx: AuditContext, cluster: Cluster, instance: Instance, exposures: Exposure[], open: OpenToAnywhere): ReachabilityHop[] {
  const hops: ReachabilityHop[] = [];
  hops.push({ kind: 'internet', text: `the internet (${exposures.map((e) => `IPv${e.family}`).join(' and ')})` });
  for (const e of exposures) {
    const destinations = listSome(e.route.routes.map((r) => showId(String(r.destination))));
    const gateways = unique(e.route.routes.map((r) => showId(r.target))).join(', ');
    hops.push({ kind: 'route', text: `route table ${showId(e.route.table.routeTableId)} of subnet ${showId(e.subnetId)} sends ${destinations} to internet gateway ${gateways}` });
  }
  for (const e of exposures) {
    if (e.acl.kind === 'unjudged') {
      hops.push({ kind: 'acl', text: `network ACL not judged (${e.acl.why}): assumed to let everything through` });
      continue;
    }
    const acl = e.acl.acl;
    const name = `network ACL ${showId(acl.networkAclId)}${acl.isDefault && !acl.subnetIds.includes(e.subnetId) ? ' (the VPC\'s default)' : ''}`;
    hops.push({ kind: 'acl', text: `${name} lets ${shareText(e.passing, e.family)} of IPv${e.family} addresses through on tcp ${cluster.port} and back` });
  }
  for (const e of exposures) {
    const rules = open[e.family];
    const groups = unique(rules.map((r) => r.groupId)).map((id) => ctx.groupsById.get(id)).filter((g): g is SecurityGroup => !!g);
    const ruleTexts = listSome(rules.map((r) => ruleWithGroup(r, groups.length > 1)));
    const who = groups.length ? describeGroups(groups) : 'a cluster security group';
    hops.push({ kind: 'groups', text: `${who} ${groups.length > 1 ? 'together admit' : 'admits'} every IPv${e.family} address (${ruleTexts})` });
  }
  const network = instance.networkType ? `, NetworkType ${showId(instance.networkType)}` : '';
  hops.push({ kind: 'instance', text: `instance ${showId(instance.instanceId)} (publicly accessible${network})` });
  return hops;
}

function ruleWithGroup(rule: Rule, several: boolean): string {
  return several ? `${describeRule(rule)} in ${showId(rule.groupId)}` : describeRule(rule);
}
