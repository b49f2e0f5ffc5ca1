// Loads one (profile, region) into the model: the calls of design.md section 5, every one
// paginated, batched where AWS allows it, and independent calls run side by side.
//
// The dependency levels (what the critical path is made of):
//   1. DescribeDBClusters; a region without Aurora clusters ends here, at one call (design 11:
//      most regions of most accounts of an organization are empty)
//   2. DescribeDBInstances | DescribeSecurityGroups | DescribeSecurityGroupRules |
//      DescribeNetworkInterfaces   (the groups are the clusters' own)
//   3. DescribeVpcs | DescribeSubnets | DescribeRouteTables | DescribeNetworkAcls (public instances) |
//      GetManagedPrefixListEntries | DescribeManagedPrefixLists (lists the groups reference),
//      and, rarely, groups an instance names that its cluster does not

import type { EC2Client, Filter } from '@aws-sdk/client-ec2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type {
  AwsDBCluster, AwsDBInstance, AwsManagedPrefixList, AwsNetworkAcl, AwsNetworkInterface, AwsPrefixListEntry, AwsRouteTable,
  AwsSecurityGroup, AwsSecurityGroupRule, AwsSubnet, AwsVpc,
} from '../model/awsShapes';
import {
  attachRuleIds, clusterFromAws, instanceFromAws, isAuroraEngine, linkClustersAndInstances, networkAclFromAws,
  networkInterfaceFromAws, parseArn, prefixListFromAws, routeTableFromAws, securityGroupFromAws,
  subnetFromAws, vpcFromAws, type ConvertContext,
} from '../model/fromAws';
import { createEmptyInventory, type Inventory } from '../model/types';
import { endpointOf, type ClientPool, type Service } from './clients';
import { credentialsLabel, namedProfile } from './credentialsKey';
import { toAwsError, type AwsError } from './errors';
import { abortError } from './retry';
import { ec2Sdk, rdsSdk } from './sdk';

/** The engines DescribeDB* are filtered to: Aurora only, the legacy MySQL 5.6 `aurora` included. */
export const AURORA_ENGINES = ['aurora', 'aurora-mysql', 'aurora-postgresql'];

/** EC2 accepts at most 200 values in one filter; bigger id lists are split into chunks of this size. */
export const FILTER_VALUES_MAX = 200;

/** The largest page each call allows (AWS API reference, MaxResults / MaxRecords ranges). */
export const PAGE_SIZE = {
  DescribeDBClusters: 100,
  DescribeDBInstances: 100,
  DescribeSecurityGroups: 1000,
  DescribeSecurityGroupRules: 1000,
  DescribeNetworkInterfaces: 1000,
  DescribeSubnets: 1000,
  DescribeRouteTables: 100,
  DescribeNetworkAcls: 1000,
  DescribeVpcs: 1000,
  GetManagedPrefixListEntries: 100,
  DescribeManagedPrefixLists: 100,
} as const;

/** What AWS returned, merged across pages, in the shapes the AWS CLI prints (for `collect`). */
export interface RawTargetData {
  dbClusters: AwsDBCluster[];
  dbInstances: AwsDBInstance[];
  securityGroups: AwsSecurityGroup[];
  securityGroupRules: AwsSecurityGroupRule[];
  networkInterfaces: AwsNetworkInterface[];
  subnets: AwsSubnet[];
  routeTables: AwsRouteTable[];
  networkAcls: AwsNetworkAcl[];
  vpcs: AwsVpc[];
  /** Prefix list id -> entries; absent for a list whose entries could not be read. */
  prefixListEntries: Record<string, AwsPrefixListEntry[]>;
  /** The referenced prefix lists' names (DescribeManagedPrefixLists). */
  prefixLists: AwsManagedPrefixList[];
}

export interface TargetLoadOptions {
  /** Only these clusters (and their instances and groups): the executor's re-read. */
  clusterIds?: string[];
  signal?: AbortSignal;
}

export interface TargetLoad { inventory: Inventory; raw: RawTargetData }

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Context for the calls of one target: which client, how to name errors, cancellation. */
class TargetCalls {
  constructor(
    readonly pool: ClientPool,
    readonly profile: string,
    readonly region: string,
    readonly signal: AbortSignal | undefined,
  ) {}

  ec2(): Promise<EC2Client> { return this.pool.ec2(this.profile, this.region); }
  rds(): Promise<RDSClient> { return this.pool.rds(this.profile, this.region); }

  /** Runs all pages of one paginated call, mapping errors to actionable messages that name the action. */
  async pages<P>(service: Service, action: string, iterate: () => Promise<AsyncIterable<P>>): Promise<P[]> {
    const pages: P[] = [];
    try {
      for await (const page of await iterate()) {
        if (this.signal?.aborted) throw abortError();
        pages.push(page);
      }
    } catch (error) {
      throw toAwsError(error, { profile: this.profile, region: this.region, action: `${service}:${action}`, endpoint: endpointOf(service, this.region, this.pool.options.endpointUrl) });
    }
    return pages;
  }

  /** One paginated EC2 call per chunk of filter values, the chunks side by side. */
  async chunkedEc2<P>(action: keyof typeof PAGE_SIZE, values: string[], run: (client: EC2Client, chunkValues: string[]) => AsyncIterable<P>): Promise<P[]> {
    if (values.length === 0) return [];
    const client = await this.ec2();
    const results = await Promise.all(chunk(unique(values), FILTER_VALUES_MAX).map((part) => this.pages('ec2', action, async () => run(client, part))));
    return results.flat();
  }
}

/**
 * A prefix list that cannot be read is a note, not a failed target; but cancellation,
 * throttling past every retry and a lost connection end the whole target (rethrown here).
 */
function unlessTargetFails(error: unknown): AwsError {
  const mapped = toAwsError(error);
  if (mapped.code === 'cancelled' || mapped.code === 'throttled' || mapped.code === 'unreachable') throw mapped;
  return mapped;
}

export async function loadTarget(pool: ClientPool, profile: string, region: string, options: TargetLoadOptions = {}): Promise<TargetLoad> {
  const ec2 = await ec2Sdk();
  const rds = await rdsSdk();
  const calls = new TargetCalls(pool, profile, region, options.signal);
  const rdsFilters = [
    { Name: 'engine', Values: AURORA_ENGINES },
    ...(options.clusterIds ? [{ Name: 'db-cluster-id', Values: options.clusterIds }] : []),
  ];

  // Level 1: the clusters. No cluster, nothing else to read.
  const clusterPages = await calls.pages('rds', 'DescribeDBClusters', async () => rds.paginateDescribeDBClusters({ client: await calls.rds(), pageSize: PAGE_SIZE.DescribeDBClusters }, { Filters: rdsFilters }));
  // Filtered by engine already; checked again because emulators and old APIs may ignore the filter.
  const dbClusters = clusterPages.flatMap((p) => p.DBClusters ?? []).filter((c) => isAuroraEngine(c.Engine)) as AwsDBCluster[];
  if (dbClusters.length === 0) {
    const empty: RawTargetData = { dbClusters, dbInstances: [], securityGroups: [], securityGroupRules: [], networkInterfaces: [], subnets: [], routeTables: [], networkAcls: [], vpcs: [], prefixListEntries: {}, prefixLists: [] };
    return { inventory: inventoryFromRaw(empty, profile, region), raw: empty };
  }
  const filter = (name: string, values: string[]): Filter[] => [{ Name: name, Values: values }];
  const clusterGroupIds = unique(dbClusters.flatMap((c) => (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId)).filter((id): id is string => !!id));

  // Level 2: the instances, and the clusters' groups with their rules and who else uses them.
  // Groups by filter, not GroupIds: GroupIds fails the whole batch with InvalidGroup.NotFound when one group is gone.
  const groupsOf = (ids: string[]) => Promise.all([
    calls.chunkedEc2('DescribeSecurityGroups', ids, (client, part) => ec2.paginateDescribeSecurityGroups({ client, pageSize: PAGE_SIZE.DescribeSecurityGroups }, { Filters: filter('group-id', part) })),
    calls.chunkedEc2('DescribeSecurityGroupRules', ids, (client, part) => ec2.paginateDescribeSecurityGroupRules({ client, pageSize: PAGE_SIZE.DescribeSecurityGroupRules }, { Filters: filter('group-id', part) })),
    // AURSG-010: who else uses these groups.
    calls.chunkedEc2('DescribeNetworkInterfaces', ids, (client, part) => ec2.paginateDescribeNetworkInterfaces({ client, pageSize: PAGE_SIZE.DescribeNetworkInterfaces }, { Filters: filter('group-id', part) })),
  ]);
  const [instancePages, [groupPages, rulePages, eniPages]] = await Promise.all([
    calls.pages('rds', 'DescribeDBInstances', async () => rds.paginateDescribeDBInstances({ client: await calls.rds(), pageSize: PAGE_SIZE.DescribeDBInstances }, { Filters: rdsFilters })),
    groupsOf(clusterGroupIds),
  ]);
  const dbInstances = instancePages.flatMap((p) => p.DBInstances ?? []).filter((i) => isAuroraEngine(i.Engine)) as AwsDBInstance[];
  const securityGroups = groupPages.flatMap((p) => p.SecurityGroups ?? []) as AwsSecurityGroup[];
  const securityGroupRules = rulePages.flatMap((p) => p.SecurityGroupRules ?? []) as AwsSecurityGroupRule[];
  const networkInterfaces = eniPages.flatMap((p) => p.NetworkInterfaces ?? []) as AwsNetworkInterface[];

  const publicInstances = dbInstances.filter((i) => i.PubliclyAccessible === true);
  const publicSubnetIds = unique(publicInstances.flatMap((i) => (i.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier)).filter((s): s is string => !!s));
  const publicVpcIds = unique(publicInstances.map((i) => i.DBSubnetGroup?.VpcId).filter((v): v is string => !!v));
  const vpcIds = unique([...dbInstances.map((i) => i.DBSubnetGroup?.VpcId), ...securityGroups.map((g) => g.VpcId)].filter((v): v is string => !!v));
  // Aurora instances carry their cluster's groups; one that names another group is read too (rare).
  const extraGroupIds = unique(dbInstances.flatMap((i) => (i.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId))
    .filter((id): id is string => !!id && !clusterGroupIds.includes(id)));
  const prefixListEntries: Record<string, AwsPrefixListEntry[]> = {};
  const prefixListNotes: string[] = [];
  const prefixListsOf = (groups: AwsSecurityGroup[]) => {
    const ids = unique(groups.flatMap((g) => [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])])
      .flatMap((p) => (p.PrefixListIds ?? []).map((pl) => pl.PrefixListId)).filter((id): id is string => !!id && !(id in prefixListEntries)));
    return Promise.all([
      // Names only, for display; a list shared from another account may not be described.
      calls.chunkedEc2('DescribeManagedPrefixLists', ids, (client, part) => ec2.paginateDescribeManagedPrefixLists({ client, pageSize: PAGE_SIZE.DescribeManagedPrefixLists }, { Filters: filter('prefix-list-id', part) }))
        .catch((error: unknown) => {
          prefixListNotes.push(`Prefix list names could not be read: ${unlessTargetFails(error).message}`);
          return [];
        }),
      ...ids.map(async (id) => {
        try {
          const client = await calls.ec2();
          const pages = await calls.pages('ec2', 'GetManagedPrefixListEntries', async () => ec2.paginateGetManagedPrefixListEntries({ client, pageSize: PAGE_SIZE.GetManagedPrefixListEntries }, { PrefixListId: id }));
          prefixListEntries[id] = pages.flatMap((p) => p.Entries ?? []);
        } catch (error) {
          // An unreadable list (another account's, no permission) stays unresolved, and says so.
          prefixListNotes.push(`Prefix list ${id} could not be read: ${unlessTargetFails(error).message}`);
        }
      }),
    ]).then(([names]) => names.flatMap((p) => p.PrefixLists ?? []) as AwsManagedPrefixList[]);
  };

  // Level 3: the network of the instances (AURSG-009: only publicly accessible ones can be reached
  // from the internet; route tables and ACLs by VPC, since a subnet without an explicit association
  // uses its VPC's main table and default ACL), the VPCs (AURSG-004 and the egress fix), the referenced prefix lists.
  const [subnetPages, routeTablePages, aclPages, vpcPages, prefixLists, [extraGroupPages, extraRulePages, extraEniPages]] = await Promise.all([
    calls.chunkedEc2('DescribeSubnets', publicSubnetIds, (client, ids) => ec2.paginateDescribeSubnets({ client, pageSize: PAGE_SIZE.DescribeSubnets }, { Filters: filter('subnet-id', ids) })),
    calls.chunkedEc2('DescribeRouteTables', publicVpcIds, (client, ids) => ec2.paginateDescribeRouteTables({ client, pageSize: PAGE_SIZE.DescribeRouteTables }, { Filters: filter('vpc-id', ids) })),
    // The same VPCs: a subnet without an explicit association uses its VPC's default ACL.
    calls.chunkedEc2('DescribeNetworkAcls', publicVpcIds, (client, ids) => ec2.paginateDescribeNetworkAcls({ client, pageSize: PAGE_SIZE.DescribeNetworkAcls }, { Filters: filter('vpc-id', ids) })),
    calls.chunkedEc2('DescribeVpcs', vpcIds, (client, ids) => ec2.paginateDescribeVpcs({ client, pageSize: PAGE_SIZE.DescribeVpcs }, { Filters: filter('vpc-id', ids) })),
    prefixListsOf(securityGroups),
    groupsOf(extraGroupIds),
  ]);
  const extraGroups = extraGroupPages.flatMap((p) => p.SecurityGroups ?? []) as AwsSecurityGroup[];
  securityGroups.push(...extraGroups);
  securityGroupRules.push(...(extraRulePages.flatMap((p) => p.SecurityGroupRules ?? []) as AwsSecurityGroupRule[]));
  const seenInterfaces = new Set(networkInterfaces.map((n) => n.NetworkInterfaceId));
  networkInterfaces.push(...(extraEniPages.flatMap((p) => p.NetworkInterfaces ?? []) as AwsNetworkInterface[]).filter((n) => !seenInterfaces.has(n.NetworkInterfaceId)));
  const vpcs = vpcPages.flatMap((p) => p.Vpcs ?? []) as AwsVpc[];
  // The rare extra groups' own prefix lists and VPCs: one more level, only when there are any.
  if (extraGroups.length) {
    const loadedVpcs = new Set(vpcs.map((v) => v.VpcId));
    const missingVpcIds = unique(extraGroups.map((g) => g.VpcId).filter((v): v is string => !!v && !loadedVpcs.has(v)));
    const [morePrefixLists, moreVpcPages] = await Promise.all([
      prefixListsOf(extraGroups),
      calls.chunkedEc2('DescribeVpcs', missingVpcIds, (client, ids) => ec2.paginateDescribeVpcs({ client, pageSize: PAGE_SIZE.DescribeVpcs }, { Filters: filter('vpc-id', ids) })),
    ]);
    prefixLists.push(...morePrefixLists);
    vpcs.push(...(moreVpcPages.flatMap((p) => p.Vpcs ?? []) as AwsVpc[]));
  }

  const raw: RawTargetData = {
    dbClusters,
    dbInstances,
    securityGroups,
    securityGroupRules,
    networkInterfaces,
    subnets: subnetPages.flatMap((p) => p.Subnets ?? []) as AwsSubnet[],
    routeTables: routeTablePages.flatMap((p) => p.RouteTables ?? []) as AwsRouteTable[],
    networkAcls: aclPages.flatMap((p) => p.NetworkAcls ?? []) as AwsNetworkAcl[],
    vpcs,
    prefixListEntries,
    prefixLists,
  };
  const inventory = inventoryFromRaw(raw, profile, region);
  for (const message of prefixListNotes) inventory.notes.push({ level: 'warning', message });
  return { inventory, raw };
}

/**
 * Builds the model from what AWS returned, with the same converters the evidence reader uses.
 * `profile` is the credentials key: the target names it as its profile only when it is a named
 * profile, so scripts and runs made from it never pass the environment's credentials as --profile.
 */
export function inventoryFromRaw(raw: RawTargetData, profile: string, region: string): Inventory {
  // As the evidence reader does: clusters' ARNs, then instances', then the groups' owner.
  const accountId = raw.dbClusters.map((c) => parseArn(c.DBClusterArn).accountId).find(Boolean)
    ?? raw.dbInstances.map((i) => parseArn(i.DBInstanceArn).accountId).find(Boolean)
    ?? raw.securityGroups.map((g) => g.OwnerId).find(Boolean);
  const name = namedProfile(profile);
  const inventory = createEmptyInventory({
    kind: 'live', label: `${credentialsLabel(profile)} / ${region}`, ...(name ? { profile: name } : {}), region, ...(accountId ? { accountId } : {}),
  });
  const ctx: ConvertContext = { notes: inventory.notes };
  inventory.clusters = raw.dbClusters.map((c, i) => clusterFromAws(c, ['DBClusters', i], ctx)).filter((c) => !!c);
  inventory.instances = raw.dbInstances.map((d, i) => instanceFromAws(d, ['DBInstances', i], ctx)).filter((d) => !!d);
  linkClustersAndInstances(inventory.clusters, inventory.instances, raw.dbClusters);
  inventory.securityGroups = raw.securityGroups.map((g, i) => securityGroupFromAws(g, ['SecurityGroups', i], ctx)).filter((g) => !!g);
  // A cluster learns its VPC from its instances; without them, from its groups.
  const groupVpc = new Map(inventory.securityGroups.map((g) => [g.groupId, g.vpcId]));
  for (const cluster of inventory.clusters) cluster.vpcId ??= cluster.securityGroupIds.map((id) => groupVpc.get(id)).find((v) => v);
  attachRuleIds(inventory.securityGroups, raw.securityGroupRules);
  inventory.networkInterfaces = raw.networkInterfaces.map(networkInterfaceFromAws).filter((n) => !!n);
  inventory.subnets = raw.subnets.map(subnetFromAws).filter((s) => !!s);
  inventory.routeTables = raw.routeTables.map(routeTableFromAws).filter((r) => !!r);
  inventory.networkAcls = raw.networkAcls.map((a, i) => networkAclFromAws(a, ['NetworkAcls', i], ctx)).filter((a) => !!a);
  inventory.vpcs = raw.vpcs.map(vpcFromAws).filter((v) => !!v);
  const referenced = unique(raw.securityGroups.flatMap((g) => [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])])
    .flatMap((p) => (p.PrefixListIds ?? []).map((pl) => pl.PrefixListId)).filter((id): id is string => !!id));
  const names = new Map(raw.prefixLists.map((pl) => [pl.PrefixListId, pl]));
  inventory.prefixLists = referenced.map((id) => prefixListFromAws(id, raw.prefixListEntries[id], names.get(id)));
  // Everything the rules need was asked for: subnets, routes and ACLs of every public instance, the ENIs of every group.
  inventory.coverage = { securityGroupRuleIds: true, subnets: true, routeTables: true, networkInterfaces: true, vpcs: true, networkAcls: true };
  const missing = unique(raw.dbClusters.flatMap((c) => (c.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId)))
    .filter((id): id is string => !!id && !raw.securityGroups.some((g) => g.GroupId === id));
  for (const id of missing) inventory.notes.push({ level: 'warning', message: `Security group ${id} is attached to a cluster but DescribeSecurityGroups did not return it (deleted, or in another account).` });
  return inventory;
}
