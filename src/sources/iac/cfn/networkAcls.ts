// The network ACLs a CloudFormation template declares, as AWS will hold them:
// AWS::EC2::NetworkAcl, its AWS::EC2::NetworkAclEntry resources and
// AWS::EC2::SubnetNetworkAclAssociation, and each declared VPC's default ACL: AWS's own
// (allow everything both ways at rule 100, IPv4 and IPv6) plus the entries a template adds to it
// through !GetAtt Vpc.DefaultNetworkAcl. An entry whose values are known only after deployment
// leaves the ACLs unjudged (AURSG-009 assumes they admit), since guessing could hide an exposure.

import type { NetworkAcl, NetworkAclEntry, Vpc } from '../../../model/types';
import { normaliseProtocol } from '../../../model/protocol';
import { awsDefaultAclEntries } from '../declared';
import { child, type CfnNode } from './node';
import { defaultAclId, resolve, resolveString, type ResolveContext } from './resolve';

interface Declared { logicalId: string; type: string; properties?: CfnNode }

export type AclsRead = { ok: true; acls: NetworkAcl[] } | { ok: false; why: string; logicalId: string };

export class TemplateNetworkAcls {
  constructor(private readonly resources: readonly Declared[], private readonly ctx: ResolveContext) {}

  /** A property's value: undefined when absent, null when it cannot be known from the template. */
  private value(properties: CfnNode | undefined, name: string): string | number | boolean | undefined | null {
    const node = child(properties, name);
    if (!node) return undefined;
    const resolved = resolve(node, this.ctx);
    if (!resolved.ok || Array.isArray(resolved.value)) return null;
    return resolved.value ?? undefined;
  }

  private text(r: Declared, name: string): string | undefined {
    const node = child(r.properties, name);
    const value = node ? resolveString(node, this.ctx) : undefined;
    return value?.ok && value.value ? value.value : undefined;
  }

  private entry(r: Declared): NetworkAclEntry | undefined {
    const number = Number(this.value(r.properties, 'RuleNumber'));
    const action = String(this.value(r.properties, 'RuleAction') ?? '').toLowerCase();
    const protocol = normaliseProtocol(this.value(r.properties, 'Protocol') as string | number | undefined ?? undefined);
    const egressValue = this.value(r.properties, 'Egress');
    const v4 = this.value(r.properties, 'CidrBlock');
    const v6 = this.value(r.properties, 'Ipv6CidrBlock');
    if (egressValue === null || v4 === null || v6 === null) return undefined;
    const cidr = typeof v4 === 'string' && v4 ? v4 : typeof v6 === 'string' && v6 ? v6 : undefined;
    if (!Number.isInteger(number) || (action !== 'allow' && action !== 'deny') || !protocol || !cidr) return undefined;
    const entry: NetworkAclEntry = { ruleNumber: number, egress: egressValue === true || egressValue === 'true', protocol, action, cidr };
    if (protocol === 'tcp' || protocol === 'udp') {
      const range = child(r.properties, 'PortRange');
      const from = Number(this.value(range, 'From'));
      const to = Number(this.value(range, 'To'));
      if (!Number.isInteger(from) || !Number.isInteger(to)) return undefined;
      entry.fromPort = from;
      entry.toPort = to;
    }
    return entry;
  }

  read(vpcs: readonly Vpc[]): AclsRead {
    const acls = new Map<string, NetworkAcl>();
    for (const vpc of vpcs) {
      const entries = awsDefaultAclEntries();
      acls.set(defaultAclId(vpc.vpcId), { networkAclId: defaultAclId(vpc.vpcId), vpcId: vpc.vpcId, isDefault: true, subnetIds: [], entries });
    }
    const unknown = (r: Declared, what: string): AclsRead => ({ ok: false, why: `${r.logicalId}: ${what} is known only after deployment`, logicalId: r.logicalId });
    for (const r of this.resources) {
      if (r.type !== 'AWS::EC2::NetworkAcl') continue;
      const vpcId = this.text(r, 'VpcId');
      if (!vpcId) return unknown(r, 'its VPC');
      acls.set(r.logicalId, { networkAclId: r.logicalId, vpcId, isDefault: false, subnetIds: [], entries: [] });
    }
    for (const r of this.resources) {
      if (r.type !== 'AWS::EC2::NetworkAclEntry' && r.type !== 'AWS::EC2::SubnetNetworkAclAssociation') continue;
      const acl = acls.get(this.text(r, 'NetworkAclId') ?? '');
      if (!acl) return unknown(r, 'the ACL it belongs to');
      if (r.type === 'AWS::EC2::SubnetNetworkAclAssociation') {
        const subnet = this.text(r, 'SubnetId');
        if (!subnet) return unknown(r, 'the subnet');
        acl.subnetIds.push(subnet);
        continue;
      }
      const entry = this.entry(r);
      if (!entry) return unknown(r, 'the entry');
      acl.entries.push(entry);
    }
    return { ok: true, acls: [...acls.values()] };
  }
}
