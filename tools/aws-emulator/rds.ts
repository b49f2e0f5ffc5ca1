// The RDS actions the product makes, on one region's state (AWS query protocol).

import type { Handler, HandlerContext } from './ec2';
import { AwsError, invalidParameterValue } from './errors';
import { type Filter, applyFilters, paginate } from './paginate';
import { type Json, type RegionState, clusterVpcId } from './state';

function page<T>(action: string, items: T[], input: Json, ctx: HandlerContext) {
  return paginate(items, {
    max: input.MaxRecords as number | undefined, token: input.Marker as string | undefined, pageSize: ctx.pageSize,
    range: [20, 100], maxName: 'MaxRecords', tokenName: 'marker', action,
  });
}

function withMarker(output: Json, next: string | undefined): Json {
  if (next !== undefined) output.Marker = next;
  return output;
}

const unknownFilter = (name: string) => invalidParameterValue(`Unrecognized filter name: ${name}.`);

function clusterNotFound(id: string): AwsError {
  return new AwsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
}

function instanceNotFound(id: string): AwsError {
  return new AwsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
}

/** A cluster or instance named by identifier or ARN, as RDS accepts both. */
function matches(record: Json, idKey: string, arnKey: string, wanted: string): boolean {
  return record[idKey] === wanted || record[arnKey] === wanted;
}

const describeDBClusters: Handler = (state, input, ctx) => {
  let clusters = state.clusters;
  const id = input.DBClusterIdentifier as string | undefined;
  if (id) {
    clusters = clusters.filter((c) => matches(c, 'DBClusterIdentifier', 'DBClusterArn', id));
    if (!clusters.length) throw clusterNotFound(id);
  }
  clusters = applyFilters(clusters, input.Filters as Filter[] | undefined, {
    engine: (c) => [c.Engine as string],
    'db-cluster-id': (c) => [c.DBClusterIdentifier as string, c.DBClusterArn as string],
  }, unknownFilter);
  const { page: items, next } = page('DescribeDBClusters', clusters, input, ctx);
  return withMarker({ DBClusters: items }, next);
};

const describeDBInstances: Handler = (state, input, ctx) => {
  let instances = state.instances;
  const id = input.DBInstanceIdentifier as string | undefined;
  if (id) {
    instances = instances.filter((i) => matches(i, 'DBInstanceIdentifier', 'DBInstanceArn', id));
    if (!instances.length) throw instanceNotFound(id);
  }
  instances = applyFilters(instances, input.Filters as Filter[] | undefined, {
    engine: (i) => [i.Engine as string],
    'db-instance-id': (i) => [i.DBInstanceIdentifier as string, i.DBInstanceArn as string],
    'db-cluster-id': (i) => {
      const clusterId = i.DBClusterIdentifier as string | undefined;
      const cluster = state.clusters.find((c) => c.DBClusterIdentifier === clusterId);
      return [clusterId, cluster?.DBClusterArn as string | undefined];
    },
    'dbi-resource-id': (i) => [i.DbiResourceId as string],
  }, unknownFilter);
  const { page: items, next } = page('DescribeDBInstances', instances, input, ctx);
  return withMarker({ DBInstances: items }, next);
};

const describeDBSubnetGroups: Handler = (state, input, ctx) => {
  let groups = state.subnetGroups;
  const name = input.DBSubnetGroupName as string | undefined;
  if (name) {
    groups = groups.filter((g) => g.DBSubnetGroupName === name);
    if (!groups.length) throw new AwsError('DBSubnetGroupNotFoundFault', `DB subnet group '${name}' does not exist.`, 404);
  }
  const { page: items, next } = page('DescribeDBSubnetGroups', groups, input, ctx);
  return withMarker({ DBSubnetGroups: items }, next);
};

/** Rejects parameters the emulator does not act on, rather than pretending to apply them. */
function onlyParameters(input: Json, allowed: string[], action: string): void {
  const extra = Object.keys(input).filter((k) => !allowed.includes(k));
  if (extra.length) throw invalidParameterValue(`The emulator does not support ${extra.join(', ')} on ${action}.`);
}

/** Checks that each group exists and sits in the VPC of the database. */
function checkGroups(state: RegionState, ids: string[], vpcId: string | undefined): void {
  if (!ids.length) throw invalidParameterValue('At least one VPC security group is required.');
  for (const id of ids) {
    const group = state.groups.find((g) => g.GroupId === id);
    if (!group) throw invalidParameterValue(`Invalid security group , groupId= ${id}, groupName=.`);
    if (vpcId && group.VpcId && group.VpcId !== vpcId) {
      throw new AwsError('InvalidParameterCombination', `The DB instance and EC2 security group are in different VPCs. The DB instance is in ${vpcId} and the EC2 security group is in ${String(group.VpcId)}`);
    }
  }
}

function memberships(ids: string[]): Json[] {
  return [...new Set(ids)].map((id) => ({ VpcSecurityGroupId: id, Status: 'active' }));
}

const modifyDBCluster: Handler = (state, input) => {
  onlyParameters(input, ['DBClusterIdentifier', 'VpcSecurityGroupIds', 'ApplyImmediately'], 'ModifyDBCluster');
  const id = input.DBClusterIdentifier as string | undefined;
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter DBClusterIdentifier');
  const cluster = state.clusters.find((c) => matches(c, 'DBClusterIdentifier', 'DBClusterArn', id));
  if (!cluster) throw clusterNotFound(id);
  const ids = input.VpcSecurityGroupIds as string[] | undefined;
  if (ids !== undefined) {
    checkGroups(state, ids, clusterVpcId(state, cluster));
    cluster.VpcSecurityGroups = memberships(ids);
    // The cluster's instances and their network interfaces follow the cluster's groups.
    const clusterId = cluster.DBClusterIdentifier as string;
    for (const instance of state.instances) {
      if (instance.DBClusterIdentifier === clusterId) instance.VpcSecurityGroups = memberships(ids);
    }
    for (const eni of state.networkInterfaces) {
      if (state.eniCluster[eni.NetworkInterfaceId as string] === clusterId) {
        eni.Groups = [...new Set(ids)].map((groupId) => ({
          GroupId: groupId, GroupName: state.groups.find((g) => g.GroupId === groupId)?.GroupName,
        }));
      }
    }
  }
  return { DBCluster: cluster };
};

const modifyDBInstance: Handler = (state, input) => {
  onlyParameters(input, ['DBInstanceIdentifier', 'VpcSecurityGroupIds', 'PubliclyAccessible', 'ApplyImmediately'], 'ModifyDBInstance');
  const id = input.DBInstanceIdentifier as string | undefined;
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter DBInstanceIdentifier');
  const instance = state.instances.find((i) => matches(i, 'DBInstanceIdentifier', 'DBInstanceArn', id));
  if (!instance) throw instanceNotFound(id);
  const ids = input.VpcSecurityGroupIds as string[] | undefined;
  if (ids !== undefined) {
    if (instance.DBClusterIdentifier) {
      throw new AwsError('InvalidParameterCombination', 'The specified DB Instance is a member of a cluster. Modify vpc security group for the DB Cluster using the ModifyDbCluster API');
    }
    checkGroups(state, ids, (instance.DBSubnetGroup as Json | undefined)?.VpcId as string | undefined);
    instance.VpcSecurityGroups = memberships(ids);
  }
  if (input.PubliclyAccessible !== undefined) instance.PubliclyAccessible = input.PubliclyAccessible;
  return { DBInstance: instance };
};

export const RDS_HANDLERS: Record<string, Handler> = {
  DescribeDBClusters: describeDBClusters,
  DescribeDBInstances: describeDBInstances,
  DescribeDBSubnetGroups: describeDBSubnetGroups,
  ModifyDBCluster: modifyDBCluster,
  ModifyDBInstance: modifyDBInstance,
};
