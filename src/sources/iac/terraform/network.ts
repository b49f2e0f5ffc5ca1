// The network a Terraform file declares around its databases: VPCs, subnets, route tables and
// their routes and associations, internet gateways, network ACLs (networkAcls.ts) and DB subnet groups. With them the audit
// can judge whether a publicly accessible instance is reachable from the internet (AURSG-009),
// as it does for a live account. Addresses stand in for ids; an internet gateway's is written
// `igw-<address>`, since the rules know a gateway's kind by its id.

import type { Inventory, Route, RouteTable, Subnet, Vpc } from '../../../model/types';
import { attribute, blocksOf, type HclBlock, type HclBody, type HclExpr } from '../hcl/ast';
import { evaluate, evaluateString, type EvaluateContext } from './evaluate';
import { putNetworkAcls } from '../declared';
import { TerraformNetworkAcls } from './networkAcls';

interface Declared { type: string; address: string; block: HclBlock }

const TARGETS = ['gateway_id', 'nat_gateway_id', 'egress_only_gateway_id', 'transit_gateway_id', 'vpc_peering_connection_id', 'network_interface_id', 'vpc_endpoint_id'];

/** The id a reference to a resource stands for, read from the reference itself (default_route_table_id is computed). */
function referencedAddress(expr: HclExpr | undefined): string | undefined {
  if (expr?.type !== 'traversal' || expr.parts.length < 2) return undefined;
  return `${String(expr.parts[0])}.${String(expr.parts[1])}`;
}

export class TerraformNetwork {
  /** DB subnet group, by address and by name -> its subnet ids. */
  private readonly subnetGroups = new Map<string, string[]>();

  constructor(private readonly resources: readonly Declared[], private readonly ctx: EvaluateContext, private readonly resourceIds: Map<string, string>) {}

  /** Ids that must be known before anything references them. */
  assignIds(): void {
    for (const r of this.resources) if (r.type === 'aws_internet_gateway') this.resourceIds.set(r.address, `igw-${r.address}`);
  }

  private text(body: HclBody, name: string): string | undefined {
    const expr = attribute(body, name)?.value;
    const value = expr ? evaluateString(expr, this.ctx) : undefined;
    return value?.ok && value.value ? value.value : undefined;
  }

  private list(body: HclBody, name: string): string[] {
    const expr = attribute(body, name)?.value;
    const value = expr ? evaluate(expr, this.ctx) : undefined;
    if (!value?.ok) return [];
    const items = Array.isArray(value.value) ? value.value : [value.value];
    return items.filter((v): v is string => typeof v === 'string' && v !== '');
  }

  private route(body: HclBody, destinationNames: [string, string]): Route | undefined {
    const destination = this.text(body, destinationNames[0]) ?? this.text(body, destinationNames[1]) ?? this.text(body, 'destination_prefix_list_id');
    const target = TARGETS.map((t) => this.text(body, t)).find((t) => t !== undefined);
    return destination && target ? { destination, target } : undefined;
  }

  /** Reads the network into the inventory; what leaves the network ACLs unjudged is returned, to be noted. */
  read(inventory: Inventory): { why: string; at: HclBlock } | undefined {
    const tables = new Map<string, RouteTable>();
    for (const r of this.resources) {
      const body = r.block.body;
      switch (r.type) {
        case 'aws_vpc': {
          const vpc: Vpc = { vpcId: r.address, cidrBlocks: this.list(body, 'cidr_block'), ipv6CidrBlocks: this.list(body, 'ipv6_cidr_block') };
          inventory.vpcs.push(vpc);
          break;
        }
        case 'aws_subnet': {
          const subnet: Subnet = { subnetId: r.address, vpcId: this.text(body, 'vpc_id') ?? '', ipv6CidrBlocks: this.list(body, 'ipv6_cidr_block') };
          const cidr = this.text(body, 'cidr_block');
          if (cidr) subnet.cidrBlock = cidr;
          inventory.subnets.push(subnet);
          break;
        }
        case 'aws_route_table':
        case 'aws_default_route_table': {
          // The default route table of a VPC is its main table.
          const main = r.type === 'aws_default_route_table';
          const vpcId = main ? referencedAddress(attribute(body, 'default_route_table_id')?.value) ?? '' : this.text(body, 'vpc_id') ?? '';
          const routes: Route[] = [];
          for (const block of blocksOf(body, 'route')) {
            const route = this.route(block.body, ['cidr_block', 'ipv6_cidr_block']);
            if (route) routes.push(route);
          }
          tables.set(r.address, { routeTableId: r.address, vpcId, main, subnetIds: [], routes });
          break;
        }
        default:
          break;
      }
    }
    for (const r of this.resources) {
      const body = r.block.body;
      const table = tables.get(this.text(body, 'route_table_id') ?? '');
      if (r.type === 'aws_route' && table) {
        const route = this.route(body, ['destination_cidr_block', 'destination_ipv6_cidr_block']);
        if (route) table.routes.push(route);
      }
      if (r.type === 'aws_route_table_association' && table) {
        const subnet = this.text(body, 'subnet_id');
        if (subnet) table.subnetIds.push(subnet);
      }
      if (r.type === 'aws_main_route_table_association' && table) table.main = true;
      if (r.type === 'aws_db_subnet_group') {
        const subnets = this.list(body, 'subnet_ids');
        this.subnetGroups.set(r.address, subnets);
        const name = this.text(body, 'name');
        if (name) this.subnetGroups.set(name.toLowerCase(), subnets);
      }
    }
    inventory.routeTables.push(...tables.values());
    inventory.coverage.subnets = inventory.subnets.length > 0;
    inventory.coverage.routeTables = tables.size > 0;
    inventory.coverage.vpcs = inventory.vpcs.length > 0;
    const acls = new TerraformNetworkAcls(this.resources, this.ctx).read(inventory.vpcs);
    if (!acls.ok) return acls;
    putNetworkAcls(inventory, acls.acls);
    return undefined;
  }

  /** The subnets of the DB subnet group a cluster or instance names (by reference or by name). */
  subnetsOf(body: HclBody): string[] {
    const expr = attribute(body, 'db_subnet_group_name')?.value;
    if (!expr) return [];
    const address = referencedAddress(expr);
    if (address?.startsWith('aws_db_subnet_group.') && this.subnetGroups.has(address)) return this.subnetGroups.get(address) as string[];
    const name = evaluateString(expr, this.ctx);
    return name.ok ? this.subnetGroups.get(name.value.toLowerCase()) ?? [] : [];
  }
}
