// A CloudFormation template tree into the model: security groups (with their inline and
// standalone rules), Aurora clusters and their instances. Logical ids stand in for the
// physical ids AWS assigns at deploy time.

import type { Cluster, Direction, Instance, Inventory, Rule, RuleSource, SecurityGroup } from '../../../model/types';
import { buildRules, DECLARED_STATUS, declaredClusterPort, isAuroraEngine, portNumber } from '../declared';
import type { NoteSink } from '../notes';
import type { LineIndex } from '../../textPositions';
import { child, entry, type CfnEntry, type CfnNode, type Span } from './node';
import { TemplateNetwork } from './network';
import type { CfnRuleContainer, CloudFormationOrigins } from './origins';
import { resolve, resolveString, type ResolveContext } from './resolve';

const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const INGRESS = 'AWS::EC2::SecurityGroupIngress';
const EGRESS = 'AWS::EC2::SecurityGroupEgress';
const DB_CLUSTER = 'AWS::RDS::DBCluster';
const DB_INSTANCE = 'AWS::RDS::DBInstance';
/** The types this reader turns into the model; a template of none of them has nothing to audit. */
const AUDITED = new Set([SECURITY_GROUP, INGRESS, EGRESS, DB_CLUSTER, DB_INSTANCE]);

interface Resource { logicalId: string; type: string; properties?: CfnNode; entry: CfnEntry; span: Span }

/** The source property names of an ingress or egress entry, and the model kind each gives. */
const SOURCE_PROPERTIES: Record<Direction, [string, RuleSource['kind']][]> = {
  ingress: [['CidrIp', 'cidr4'], ['CidrIpv6', 'cidr6'], ['SourcePrefixListId', 'prefixList'], ['SourceSecurityGroupId', 'group'], ['SourceSecurityGroupName', 'group']],
  egress: [['CidrIp', 'cidr4'], ['CidrIpv6', 'cidr6'], ['DestinationPrefixListId', 'prefixList'], ['DestinationSecurityGroupId', 'group']],
};

export class TemplateReader {
  private readonly resources: Resource[] = [];
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly ctx: ResolveContext;
  private readonly refValues = new Map<string, string>();
  private readonly network: TemplateNetwork;
  private readonly clusterProperties = new Map<string, CfnNode | undefined>();

  constructor(
    private readonly root: CfnNode,
    private readonly inventory: Inventory,
    private readonly lines: LineIndex,
    private readonly notes: NoteSink,
    private readonly origins: CloudFormationOrigins,
  ) {
    const parameters = new Map<string, CfnNode>();
    const parameterMap = child(root, 'Parameters');
    if (parameterMap?.kind === 'map') {
      for (const p of parameterMap.entries) {
        parameters.set(p.key, p.value);
        const type = child(p.value, 'Type');
        origins.parameters.set(p.key, type?.kind === 'scalar' && typeof type.value === 'string' ? type.value : undefined);
      }
    }
    const resourceTypes = new Map<string, string>();
    const resourceMap = child(root, 'Resources');
    if (resourceMap?.kind === 'map') {
      for (const e of resourceMap.entries) {
        const typeNode = child(e.value, 'Type');
        const type = typeNode?.kind === 'scalar' && typeof typeNode.value === 'string' ? typeNode.value : '';
        resourceTypes.set(e.key, type);
        const properties = child(e.value, 'Properties');
        const resource: Resource = { logicalId: e.key, type, properties, entry: e, span: { start: e.keySpan.start, end: e.value.span.end } };
        this.resources.push(resource);
        origins.resources.set(e.key, resource);
      }
    }
    this.ctx = { parameters, mappings: child(root, 'Mappings'), refValues: this.refValues, resourceTypes, resourceProperties: (id) => origins.resources.get(id)?.properties };
    this.network = new TemplateNetwork(this.resources, this.ctx, this.refValues);
  }

  read(): void {
    if (this.root.kind !== 'map' || child(this.root, 'Resources')?.kind !== 'map') {
      this.notes.add('info', 'no CloudFormation Resources section; nothing to audit.');
      return;
    }
    // Ids first: every !Ref between resources resolves whatever their order in the file.
    this.network.assignIds();
    for (const r of this.resources) {
      if (r.type === SECURITY_GROUP) this.refValues.set(r.logicalId, r.logicalId);
      if (r.type === DB_CLUSTER) this.refValues.set(r.logicalId, this.physicalId(r, 'DBClusterIdentifier'));
      if (r.type === DB_INSTANCE) this.refValues.set(r.logicalId, this.physicalId(r, 'DBInstanceIdentifier'));
    }
    for (const r of this.resources) if (r.type === SECURITY_GROUP) this.readGroup(r);
    for (const r of this.resources) if (r.type === INGRESS || r.type === EGRESS) this.readStandaloneRule(r);
    const aclProblem = this.network.read(this.inventory);
    if (aclProblem) {
      const span = this.resources.find((r) => r.logicalId === aclProblem.logicalId)?.entry.keySpan;
      this.notes.add('info', `The network ACLs are not judged (${aclProblem.why}): a public instance's exposure assumes they let traffic through.`, span?.start, span?.end);
    }
    for (const r of this.resources) if (r.type === DB_CLUSTER) this.readCluster(r);
    for (const r of this.resources) if (r.type === DB_INSTANCE) this.readInstance(r);
    this.inventory.securityGroups.push(...this.groups.values());
    this.inventory.clusters.push(...this.clusters.values());
    if (!this.resources.some((r) => AUDITED.has(r.type))) {
      const types = [...new Set(this.resources.map((r) => r.type || '(no Type)'))];
      this.notes.add('info', `no security group, ingress or egress rule, Aurora cluster or instance is declared (${this.resources.length} resource${this.resources.length === 1 ? '' : 's'} of ${types.length === 1 ? 'type' : 'types'} ${types.slice(0, 5).join(', ')}${types.length > 5 ? ', ...' : ''}); nothing to audit.`);
    }
  }

  /** The identifier AWS will use when the template names one (stored lowercase by RDS), else the logical id. */
  private physicalId(r: Resource, property: string): string {
    const node = child(r.properties, property);
    const value = node ? resolveString(node, this.ctx) : undefined;
    return value?.ok && value.value ? value.value.toLowerCase() : r.logicalId;
  }

  private where(node: CfnNode | CfnEntry | undefined, fallback: Span): Span {
    if (!node) return fallback;
    if ('key' in node) return { start: node.keySpan.start, end: node.value.span.end };
    return node.span;
  }

  private warn(message: string, span: Span): void {
    this.notes.add('warning', message, span.start, span.end);
  }

  private readGroup(r: Resource): void {
    const props = r.properties;
    const group: SecurityGroup = {
      groupId: r.logicalId,
      groupName: r.logicalId,
      description: '',
      rules: [],
      location: this.lines.range(r.span.start, r.span.end),
    };
    const name = this.optionalString(r, 'GroupName');
    if (name) group.groupName = name;
    group.description = this.optionalString(r, 'GroupDescription') ?? '';
    const vpcId = this.optionalString(r, 'VpcId');
    if (vpcId) group.vpcId = vpcId;
    const tags = child(props, 'Tags');
    if (tags?.kind === 'list') {
      for (const tag of tags.items) {
        const key = child(tag, 'Key');
        const value = child(tag, 'Value');
        const k = key ? resolveString(key, this.ctx) : undefined;
        const v = value ? resolveString(value, this.ctx) : undefined;
        if (k?.ok) (group.tags ??= {})[k.value] = v?.ok ? v.value : '';
      }
    }
    this.groups.set(r.logicalId, group);
    this.origins.groups.set(group, r);
    this.readInlineRules(r, group, 'ingress', 'SecurityGroupIngress');
    const declaredEgress = this.readInlineRules(r, group, 'egress', 'SecurityGroupEgress');
    if (!declaredEgress) {
      // AWS gives every new VPC group an allow-all egress rule, removed only when the
      // group declares egress rules of its own (standalone egress resources keep it).
      const rule: Rule = {
        groupId: group.groupId,
        direction: 'egress',
        protocol: 'all',
        source: { kind: 'cidr4', value: '0.0.0.0/0' },
        location: this.lines.range(r.entry.keySpan.start, r.entry.keySpan.end),
      };
      group.rules.push(rule);
      this.origins.rules.set(rule, { resource: r, container: { kind: 'implicit' } });
    }
  }

  /** Reads SecurityGroupIngress/Egress; returns whether the group declares any entry there. */
  private readInlineRules(r: Resource, group: SecurityGroup, direction: Direction, property: string): boolean {
    const e = entry(r.properties, property);
    if (!e) return false;
    const list = e.value;
    if (list.kind !== 'list') {
      const why = list.kind === 'fn' ? resolve(list, this.ctx) : undefined;
      this.warn(`${r.logicalId} ${property}: ${why && !why.ok ? why.why : 'expected a list of rules'}; its rules were skipped.`, this.where(e, r.span));
      return true;
    }
    list.items.forEach((item, i) => {
      const container: CfnRuleContainer | undefined = item.kind === 'map' ? { kind: 'inline', property: e, item, index: i } : undefined;
      this.readRuleEntry(`${r.logicalId} ${property}[${i}]`, group.groupId, direction, item, item.span, group, r, container);
    });
    return list.items.length > 0;
  }

  private readStandaloneRule(r: Resource): void {
    const direction: Direction = r.type === INGRESS ? 'ingress' : 'egress';
    const target = this.targetGroup(r);
    if (!target) return;
    if (r.properties) {
      const container: CfnRuleContainer | undefined = r.properties.kind === 'map' ? { kind: 'standalone', item: r.properties } : undefined;
      this.readRuleEntry(r.logicalId, target.groupId, direction, r.properties, r.span, target, r, container);
    }
  }

  /** The group a standalone rule belongs to: declared here, or declared elsewhere and known by id. */
  private targetGroup(r: Resource): SecurityGroup | undefined {
    const byId = child(r.properties, 'GroupId');
    const byName = child(r.properties, 'GroupName');
    const node = byId ?? byName;
    if (!node) {
      this.warn(`${r.logicalId}: no GroupId; the rule was skipped.`, r.span);
      return undefined;
    }
    const value = resolveString(node, this.ctx);
    if (!value.ok) {
      this.warn(`${r.logicalId} ${byId ? 'GroupId' : 'GroupName'}: ${value.why}; the rule was skipped.`, node.span);
      return undefined;
    }
    const declared = this.groups.get(value.value)
      ?? (byId ? undefined : [...this.groups.values()].find((g) => g.groupName === value.value));
    if (declared) return declared;
    const external: SecurityGroup = {
      groupId: value.value,
      groupName: value.value,
      description: '',
      rules: [],
    };
    this.groups.set(value.value, external);
    this.notes.add('info', `${r.logicalId} adds a rule to ${value.value}, a group declared outside this template; only the rules declared here are audited.`, r.span.start, r.span.end);
    return external;
  }

  private readRuleEntry(
    label: string, groupId: string, direction: Direction, item: CfnNode, span: Span, group: SecurityGroup,
    resource: Resource, container: CfnRuleContainer | undefined,
  ): void {
    if (item.kind !== 'map') {
      const why = item.kind === 'fn' ? resolve(item, this.ctx) : undefined;
      this.warn(`${label}: ${why && !why.ok ? why.why : 'expected a rule (a map)'}; the rule was skipped.`, item.span);
      return;
    }
    const skip = (property: string, why: string, at: Span) => this.warn(`${label} ${property}: ${why}; the rule was skipped.`, at);
    const value = (property: string): { ok: true; value?: string } | { ok: false } => {
      const node = child(item, property);
      if (!node) return { ok: true };
      const r = resolveString(node, this.ctx);
      if (!r.ok) { skip(property, r.why, node.span); return { ok: false }; }
      return { ok: true, value: r.value };
    };
    const protocol = value('IpProtocol');
    if (!protocol.ok) return;
    if (protocol.value === undefined) { skip('IpProtocol', 'missing', span); return; }
    const from = value('FromPort');
    const to = value('ToPort');
    if (!from.ok || !to.ok) return;
    const fromPort = portNumber(from.value);
    const toPort = portNumber(to.value);
    if (from.value !== undefined && fromPort === undefined) { skip('FromPort', `${JSON.stringify(from.value)} is not a port`, span); return; }
    if (to.value !== undefined && toPort === undefined) { skip('ToPort', `${JSON.stringify(to.value)} is not a port`, span); return; }
    const sources: RuleSource[] = [];
    const sourceEntries: CfnEntry[] = [];
    for (const [property, kind] of SOURCE_PROPERTIES[direction]) {
      const v = value(property);
      if (!v.ok) return;
      if (v.value === undefined) continue;
      const source: RuleSource = { kind, value: property === 'SourceSecurityGroupName' ? this.groupIdByName(v.value) : v.value };
      if (kind === 'group' && direction === 'ingress') {
        const owner = value('SourceSecurityGroupOwnerId');
        if (!owner.ok) return;
        if (owner.value) source.ownerId = owner.value;
      }
      sources.push(source);
      sourceEntries.push(entry(item, property) as CfnEntry);
    }
    const description = value('Description');
    if (!description.ok) return;
    const built = buildRules({
      groupId, direction, protocol: protocol.value, fromPort, toPort, sources,
      description: description.value, location: this.lines.range(span.start, span.end),
    });
    if (!built.ok) { this.warn(`${label}: ${built.why}; the rule was skipped.`, span); return; }
    const spanOf = (e: CfnEntry | undefined) => e && this.lines.range(e.keySpan.start, e.value.span.end);
    const protocolEntry = entry(item, 'IpProtocol');
    const portEntries = [entry(item, 'FromPort'), entry(item, 'ToPort')].filter((e): e is CfnEntry => e !== undefined);
    const ports = portEntries.length ? this.lines.range(portEntries[0]!.keySpan.start, portEntries[portEntries.length - 1]!.value.span.end) : undefined;
    built.rules.forEach((rule, i) => {
      if (container) this.origins.rules.set(rule, { resource, container, source: sourceEntries[i] });
      const source = sourceEntries[i];
      rule.parts = {
        ...(source ? { source: this.lines.range(source.value.span.start, source.value.span.end) } : {}),
        ...(protocolEntry ? { protocol: spanOf(protocolEntry)! } : {}),
        ...(ports ? { ports } : {}),
      };
    });
    group.rules.push(...built.rules);
  }

  private groupIdByName(name: string): string {
    return [...this.groups.values()].find((g) => g.groupName === name)?.groupId ?? name;
  }

  private optionalString(r: Resource, property: string): string | undefined {
    const node = child(r.properties, property);
    if (!node) return undefined;
    const value = resolveString(node, this.ctx);
    return value.ok ? value.value : undefined;
  }

  private readCluster(r: Resource): void {
    const engineNode = child(r.properties, 'Engine');
    if (!engineNode) { this.warn(`${r.logicalId}: no Engine; the cluster was skipped.`, r.span); return; }
    const engine = resolveString(engineNode, this.ctx);
    if (!engine.ok) { this.warn(`${r.logicalId} Engine: ${engine.why}; the cluster was skipped.`, engineNode.span); return; }
    if (!isAuroraEngine(engine.value)) {
      this.notes.add('info', `${r.logicalId} is a ${engine.value} cluster, not Aurora; it was not audited.`, r.span.start, r.span.end);
      return;
    }
    const portNode = child(r.properties, 'Port');
    const port = declaredClusterPort(engine.value, portNode && resolveString(portNode, this.ctx));
    if (!port.ok) {
      this.warn(`${r.logicalId} Port: ${port.why}; the cluster was skipped, since its rules cannot be judged without its port.`, portNode!.span);
      return;
    }
    const cluster: Cluster = {
      clusterId: this.refValues.get(r.logicalId) ?? r.logicalId,
      engine: engine.value,
      status: DECLARED_STATUS,
      port: port.port,
      securityGroupIds: this.clusterGroupIds(r),
      memberInstanceIds: [],
      location: this.lines.range(r.span.start, r.span.end),
    };
    const version = this.optionalString(r, 'EngineVersion');
    if (version) cluster.engineVersion = version;
    const subnetGroup = this.optionalString(r, 'DBSubnetGroupName');
    if (subnetGroup) cluster.dbSubnetGroup = subnetGroup;
    const networkType = this.optionalString(r, 'NetworkType');
    if (networkType) cluster.networkType = networkType;
    this.clusterProperties.set(cluster.clusterId, r.properties);
    this.clusters.set(r.logicalId, cluster);
  }

  private clusterGroupIds(r: Resource): string[] {
    const node = child(r.properties, 'VpcSecurityGroupIds');
    if (!node) {
      this.warn(`${r.logicalId} declares no VpcSecurityGroupIds, so AWS attaches its VPC's default security group, which this file does not describe.`, r.entry.keySpan);
      return [];
    }
    const items = node.kind === 'list' ? node.items : [node];
    const ids: string[] = [];
    for (const item of items) {
      const value = resolve(item, this.ctx);
      if (!value.ok) { this.warn(`${r.logicalId} VpcSecurityGroupIds: ${value.why}; that group is not audited with the cluster.`, item.span); continue; }
      const values = Array.isArray(value.value) ? value.value : [value.value];
      for (const v of values) if (typeof v === 'string' && v) ids.push(v);
    }
    return ids;
  }

  private readInstance(r: Resource): void {
    const clusterNode = child(r.properties, 'DBClusterIdentifier');
    const engineName = this.optionalString(r, 'Engine');
    let cluster: Cluster | undefined;
    let clusterId: string | undefined;
    if (clusterNode) {
      const value = resolveString(clusterNode, this.ctx);
      if (!value.ok) { this.warn(`${r.logicalId} DBClusterIdentifier: ${value.why}; the instance was skipped.`, clusterNode.span); return; }
      clusterId = value.value;
      cluster = [...this.clusters.values()].find((c) => c.clusterId === value.value || c.clusterId === value.value.toLowerCase());
    }
    // Only Aurora members are in scope; a stand-alone RDS instance is not.
    if (!cluster && !(engineName && isAuroraEngine(engineName) && clusterId)) return;
    const instance: Instance = {
      instanceId: this.refValues.get(r.logicalId) ?? r.logicalId,
      engine: engineName ?? cluster?.engine ?? 'unknown',
      status: DECLARED_STATUS,
      publiclyAccessible: this.publiclyAccessible(r),
      // An instance is in a subnet of its own DB subnet group, else of its cluster's.
      subnetIds: this.network.subnetsOf(r.properties).length ? this.network.subnetsOf(r.properties) : cluster ? this.network.subnetsOf(this.clusterProperties.get(cluster.clusterId)) : [],
      securityGroupIds: cluster ? [...cluster.securityGroupIds] : [],
      location: this.lines.range(r.span.start, r.span.end),
    };
    instance.clusterId = cluster?.clusterId ?? clusterId;
    const vpcId = this.inventory.subnets.find((s) => s.subnetId === instance.subnetIds[0])?.vpcId;
    if (vpcId) instance.vpcId = vpcId;
    if (cluster?.networkType) instance.networkType = cluster.networkType;
    const instanceClass = this.optionalString(r, 'DBInstanceClass');
    if (instanceClass) instance.instanceClass = instanceClass;
    if (cluster) cluster.memberInstanceIds.push(instance.instanceId);
    const publicFlag = entry(r.properties, 'PubliclyAccessible');
    if (publicFlag) instance.parts = { publiclyAccessible: this.lines.range(publicFlag.keySpan.start, publicFlag.value.span.end) };
    this.inventory.instances.push(instance);
    this.origins.instances.set(instance, r);
  }

  private publiclyAccessible(r: Resource): boolean {
    const node = child(r.properties, 'PubliclyAccessible');
    if (!node) return false;
    const value = resolveString(node, this.ctx);
    if (!value.ok) {
      this.warn(`${r.logicalId} PubliclyAccessible: ${value.why}; the instance is treated as private.`, node.span);
      return false;
    }
    return value.value.toLowerCase() === 'true';
  }
}
