// The network a CloudFormation template declares around its databases: VPCs, subnets, route
// tables, routes, their associations, internet gateways, network ACLs (networkAcls.ts) and DB subnet groups, so that the audit
// can judge whether a publicly accessible instance is reachable from the internet (AURSG-009).
// Logical ids stand in for ids; an internet gateway's is written `igw-<logical id>`, since the
// rules know a gateway's kind by its id.

import type { Inventory, Route, RouteTable, Subnet } from '../../../model/types';
import { child, type CfnNode } from './node';
import { putNetworkAcls } from '../declared';
import { TemplateNetworkAcls } from './networkAcls';
import { resolve, resolveString, type ResolveContext } from './resolve';

interface Declared { logicalId: string; type: string; properties?: CfnNode }

const TARGETS = ['GatewayId', 'NatGatewayId', 'EgressOnlyInternetGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'VpcEndpointId'];

export class TemplateNetwork {
  /** DB subnet group, by the value !Ref gives it -> its subnet ids. */
  private readonly subnetGroups = new Map<string, string[]>();

  constructor(private readonly resources: readonly Declared[], private readonly ctx: ResolveContext, private readonly refValues: Map<string, string>) {}

  /** The values !Ref gives these resources, before anything references them. */
  assignIds(): void {
    for (const r of this.resources) {
      if (r.type === 'AWS::EC2::InternetGateway') this.refValues.set(r.logicalId, `igw-${r.logicalId}`);
      if (['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::NetworkAcl'].includes(r.type)) this.refValues.set(r.logicalId, r.logicalId);
      if (r.type === 'AWS::RDS::DBSubnetGroup') {
        const name = this.text(r, 'DBSubnetGroupName');
        this.refValues.set(r.logicalId, (name ?? r.logicalId).toLowerCase());
      }
    }
  }

  private text(r: Declared, property: string): string | undefined {
    const node = child(r.properties, property);
    const value = node ? resolveString(node, this.ctx) : undefined;
    return value?.ok && value.value ? value.value : undefined;
  }

  private list(r: Declared, property: string): string[] {
    const node = child(r.properties, property);
    const value = node ? resolve(node, this.ctx) : undefined;
    if (!value?.ok) return [];
    return (Array.isArray(value.value) ? value.value : [value.value]).filter((v): v is string => typeof v === 'string' && v !== '');
  }

  /** Reads the network into the inventory; what leaves the network ACLs unjudged is returned, to be noted. */
  read(inventory: Inventory): { why: string; logicalId: string } | undefined {
    const tables = new Map<string, RouteTable>();
    for (const r of this.resources) {
      if (r.type === 'AWS::EC2::VPC') inventory.vpcs.push({ vpcId: r.logicalId, cidrBlocks: this.list(r, 'CidrBlock'), ipv6CidrBlocks: [] });
      if (r.type === 'AWS::EC2::Subnet') {
        const subnet: Subnet = { subnetId: r.logicalId, vpcId: this.text(r, 'VpcId') ?? '', ipv6CidrBlocks: this.list(r, 'Ipv6CidrBlock') };
        const cidr = this.text(r, 'CidrBlock');
        if (cidr) subnet.cidrBlock = cidr;
        inventory.subnets.push(subnet);
      }
      if (r.type === 'AWS::EC2::RouteTable') tables.set(r.logicalId, { routeTableId: r.logicalId, vpcId: this.text(r, 'VpcId') ?? '', main: false, subnetIds: [], routes: [] });
    }
    for (const r of this.resources) {
      const table = tables.get(this.text(r, 'RouteTableId') ?? '');
      if (r.type === 'AWS::EC2::Route' && table) {
        const destination = this.text(r, 'DestinationCidrBlock') ?? this.text(r, 'DestinationIpv6CidrBlock') ?? this.text(r, 'DestinationPrefixListId');
        const target = TARGETS.map((t) => this.text(r, t)).find((t) => t !== undefined);
        if (destination && target) table.routes.push({ destination, target } satisfies Route);
      }
      if (r.type === 'AWS::EC2::SubnetRouteTableAssociation' && table) {
        const subnet = this.text(r, 'SubnetId');
        if (subnet) table.subnetIds.push(subnet);
      }
      if (r.type === 'AWS::RDS::DBSubnetGroup') this.subnetGroups.set(this.refValues.get(r.logicalId) as string, this.list(r, 'SubnetIds'));
    }
    inventory.routeTables.push(...tables.values());
    inventory.coverage.subnets = inventory.subnets.length > 0;
    inventory.coverage.routeTables = tables.size > 0;
    inventory.coverage.vpcs = inventory.vpcs.length > 0;
    const acls = new TemplateNetworkAcls(this.resources, this.ctx).read(inventory.vpcs);
    if (!acls.ok) return acls;
    putNetworkAcls(inventory, acls.acls);
    return undefined;
  }

  /** The subnets of the DB subnet group a cluster or instance names. */
  subnetsOf(properties: CfnNode | undefined): string[] {
    const node = child(properties, 'DBSubnetGroupName');
    const name = node ? resolveString(node, this.ctx) : undefined;
    return name?.ok ? this.subnetGroups.get(name.value.toLowerCase()) ?? [] : [];
  }
}
