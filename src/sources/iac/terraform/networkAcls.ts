// The network ACLs a Terraform file declares, as AWS will hold them: aws_network_acl with its
// ingress/egress blocks and subnet_ids, aws_network_acl_rule, aws_network_acl_association, and
// each declared VPC's default ACL. A VPC's default ACL is AWS's (allow everything both ways, IPv4
// and IPv6) unless aws_default_network_acl takes it over, and then it
// holds exactly the rules that resource declares (Terraform removes the others). An entry whose
// values only the plan knows leaves the ACLs unjudged (AURSG-009 assumes they admit), since
// guessing it either way could hide an exposure.

import type { NetworkAcl, NetworkAclEntry, Vpc } from '../../../model/types';
import { normaliseProtocol } from '../../../model/protocol';
import { awsDefaultAclEntries } from '../declared';
import { attribute, blocksOf, type HclBlock, type HclBody, type HclExpr } from '../hcl/ast';
import { evaluate, type EvaluateContext } from './evaluate';
import { toBool, toNumber, toText, type TfValue } from './values';

interface Declared { type: string; address: string; block: HclBlock }

export type AclsRead = { ok: true; acls: NetworkAcl[] } | { ok: false; why: string; at: HclBlock };

/** The VPC a reference such as aws_vpc.main.default_network_acl_id names. */
function vpcOf(expr: HclExpr | undefined): string | undefined {
  if (expr?.type !== 'traversal' || expr.parts[0] !== 'aws_vpc' || expr.parts.length < 2) return undefined;
  return `aws_vpc.${String(expr.parts[1])}`;
}

/** An argument's value: absent, known, or known only to the plan. */
type Argument = { kind: 'absent' } | { kind: 'known'; value: TfValue } | { kind: 'unknown' };

export class TerraformNetworkAcls {
  constructor(private readonly resources: readonly Declared[], private readonly ctx: EvaluateContext) {}

  private argument(body: HclBody, name: string): Argument {
    const expr = attribute(body, name)?.value;
    if (!expr) return { kind: 'absent' };
    const result = evaluate(expr, this.ctx);
    return result.ok ? { kind: 'known', value: result.value } : { kind: 'unknown' };
  }

  private text(body: HclBody, name: string): string | undefined {
    const a = this.argument(body, name);
    return a.kind === 'known' ? toText(a.value) : undefined;
  }

  private number(body: HclBody, name: string): number | undefined {
    const a = this.argument(body, name);
    return a.kind === 'known' ? toNumber(a.value) : undefined;
  }

  /** One entry of a block or rule resource; undefined when a value is unknown or missing. */
  private entry(body: HclBody, egress: boolean, names: { number: string; action: string }): NetworkAclEntry | undefined {
    const number = this.number(body, names.number);
    const action = this.text(body, names.action)?.toLowerCase();
    const protocol = normaliseProtocol(this.text(body, 'protocol'));
    const v4 = this.argument(body, 'cidr_block');
    const v6 = this.argument(body, 'ipv6_cidr_block');
    if (v4.kind === 'unknown' || v6.kind === 'unknown') return undefined;
    const cidr = (v4.kind === 'known' && toText(v4.value)) || (v6.kind === 'known' && toText(v6.value)) || undefined;
    if (number === undefined || (action !== 'allow' && action !== 'deny') || !protocol || !cidr) return undefined;
    const entry: NetworkAclEntry = { ruleNumber: number, egress, protocol, action, cidr };
    if (protocol === 'tcp' || protocol === 'udp') {
      const from = this.number(body, 'from_port');
      const to = this.number(body, 'to_port');
      if (from === undefined || to === undefined) return undefined;
      entry.fromPort = from;
      entry.toPort = to;
    }
    return entry;
  }

  private blockEntries(r: Declared): NetworkAclEntry[] | undefined {
    const entries: NetworkAclEntry[] = [];
    for (const [direction, egress] of [['ingress', false], ['egress', true]] as const) {
      for (const block of blocksOf(r.block.body, direction)) {
        const entry = this.entry(block.body, egress, { number: 'rule_no', action: 'action' });
        if (!entry) return undefined;
        entries.push(entry);
      }
    }
    return entries;
  }

  private subnets(body: HclBody): string[] | undefined {
    const a = this.argument(body, 'subnet_ids');
    if (a.kind === 'unknown') return undefined;
    return a.kind === 'known' && Array.isArray(a.value) ? a.value.filter((s): s is string => typeof s === 'string' && s !== '') : [];
  }

  read(vpcs: readonly Vpc[]): AclsRead {
    const acls = new Map<string, NetworkAcl>();
    const unknown = (r: Declared, what: string): AclsRead => ({ ok: false, why: `${r.address}: ${what} depends on values only the plan knows`, at: r.block });
    for (const r of this.resources) {
      if (r.type !== 'aws_network_acl' && r.type !== 'aws_default_network_acl') continue;
      const entries = this.blockEntries(r);
      if (!entries) return unknown(r, 'a rule');
      const isDefault = r.type === 'aws_default_network_acl';
      const vpcId = isDefault ? vpcOf(attribute(r.block.body, 'default_network_acl_id')?.value) : this.text(r.block.body, 'vpc_id');
      if (!vpcId) return unknown(r, 'its VPC');
      const subnetIds = this.subnets(r.block.body);
      if (!subnetIds) return unknown(r, 'subnet_ids');
      acls.set(r.address, { networkAclId: r.address, vpcId, isDefault, subnetIds, entries });
    }
    for (const r of this.resources) {
      const body = r.block.body;
      const acl = acls.get(this.text(body, 'network_acl_id') ?? '');
      if (r.type === 'aws_network_acl_rule') {
        if (!acl) return unknown(r, 'the ACL it belongs to');
        const egress = this.argument(body, 'egress');
        if (egress.kind === 'unknown') return unknown(r, 'the direction');
        const entry = this.entry(body, egress.kind === 'known' && toBool(egress.value) === true, { number: 'rule_number', action: 'rule_action' });
        if (!entry) return unknown(r, 'the rule');
        acl.entries.push(entry);
      }
      if (r.type === 'aws_network_acl_association') {
        const subnet = this.text(body, 'subnet_id');
        if (!acl || !subnet) return unknown(r, 'the association');
        acl.subnetIds.push(subnet);
      }
    }
    // A subnet is associated with one ACL: an explicit association moves it off the default.
    const explicit = new Set([...acls.values()].filter((a) => !a.isDefault).flatMap((a) => a.subnetIds));
    for (const acl of acls.values()) if (acl.isDefault) acl.subnetIds = acl.subnetIds.filter((s) => !explicit.has(s));
    for (const vpc of vpcs) {
      if ([...acls.values()].some((a) => a.isDefault && a.vpcId === vpc.vpcId)) continue;
      const entries = awsDefaultAclEntries();
      acls.set(`default:${vpc.vpcId}`, { networkAclId: `${vpc.vpcId}.default_network_acl_id`, vpcId: vpc.vpcId, isDefault: true, subnetIds: [], entries });
    }
    return { ok: true, acls: [...acls.values()] };
  }
}
