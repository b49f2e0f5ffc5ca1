// A Terraform file into the model: aws_security_group and aws_default_security_group (inline
// ingress/egress blocks, lists and dynamic blocks), the standalone rule resources,
// aws_rds_cluster and aws_rds_cluster_instance. Resource addresses (aws_security_group.db)
// stand in for the ids AWS assigns at apply time. Module calls are named, not followed.

import type { Cluster, Direction, Instance, Inventory, RuleSource, SecurityGroup } from '../../../model/types';
import { attribute, blocksOf, type HclBlock, type HclBody, type HclExpr, type HclSpan } from '../hcl/ast';
import { buildRules, DECLARED_STATUS, declaredClusterPort, isAuroraEngine, portNumber } from '../declared';
import type { NoteSink } from '../notes';
import type { LineIndex } from '../../textPositions';
import { evaluate, evaluateString, type EvaluateContext } from './evaluate';
import { TerraformNetwork } from './network';
import type { FieldRef, RuleContainer, TerraformOrigins, TfResourceOrigin } from './origins';
import { elementsOf, newObject, toNumber, type TfValue } from './values';

interface Resource extends TfResourceOrigin { name: string }

/** The fields of one rule: an ingress/egress block, an object in `ingress = [...]`, or a rule resource. */
type Fields = (name: string) => FieldRef | undefined;

type Scope = ReadonlyMap<string, TfValue>;

/** List-valued source attributes of inline rules and aws_security_group_rule, and the kind each gives. */
export const LIST_SOURCES: [string, RuleSource['kind']][] = [
  ['cidr_blocks', 'cidr4'], ['ipv6_cidr_blocks', 'cidr6'], ['prefix_list_ids', 'prefixList'], ['security_groups', 'group'],
];

/** Single-valued sources of aws_vpc_security_group_ingress_rule / _egress_rule and aws_security_group_rule. */
export const SINGLE_SOURCES: [string, RuleSource['kind']][] = [
  ['cidr_ipv4', 'cidr4'], ['cidr_ipv6', 'cidr6'], ['prefix_list_id', 'prefixList'],
  ['referenced_security_group_id', 'group'], ['source_security_group_id', 'group'],
];

export const GROUP_TYPES = new Set(['aws_security_group', 'aws_default_security_group']);

export class TerraformReader {
  private readonly resources: Resource[] = [];
  private readonly byAddress = new Map<string, Resource>();
  private readonly modules: HclBlock[] = [];
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly resourceIds = new Map<string, string>();
  private readonly clusterBlocks = new Map<string, HclBlock>();
  private readonly ctx: EvaluateContext;
  private readonly network: TerraformNetwork;

  constructor(
    body: HclBody,
    private readonly inventory: Inventory,
    private readonly lines: LineIndex,
    private readonly notes: NoteSink,
    source: string,
    private readonly origins: TerraformOrigins,
    declaredElsewhere: readonly HclBody[] = [],
    variableValues: readonly HclBody[] = [],
  ) {
    const variables = new Map<string, HclExpr | undefined>();
    const locals = new Map<string, HclExpr>();
    /** Resources of the module's other files: their arguments answer references, they are not audited. */
    const elsewhere = new Map<string, HclBlock>();
    for (const block of body.blocks) {
      if (block.type === 'variable' && block.labels.length === 1) {
        variables.set(block.labels[0] as string, attribute(block.body, 'default')?.value);
        const type = attribute(block.body, 'type')?.value;
        origins.variableTypes.set(block.labels[0] as string, type && source.slice(type.span.start, type.span.end));
      }
      if (block.type === 'locals') for (const a of block.body.attributes) locals.set(a.name, a.value);
      if (block.type === 'module' && block.labels.length === 1) this.modules.push(block);
      if (block.type === 'resource' && block.labels.length === 2) {
        const [type, name] = block.labels as [string, string];
        const resource: Resource = { type, name, address: `${type}.${name}`, block };
        this.resources.push(resource);
        this.byAddress.set(resource.address, resource);
        origins.resources.set(resource.address, resource);
      }
    }
    // The module's other files, after this one: what this file declares itself comes first.
    for (const other of declaredElsewhere) {
      for (const block of other.blocks) {
        const name = block.labels[0];
        if (block.type === 'variable' && block.labels.length === 1 && !variables.has(name as string)) {
          variables.set(name as string, attribute(block.body, 'default')?.value);
          const type = attribute(block.body, 'type')?.value;
          origins.variableTypes.set(name as string, type && source.slice(type.span.start, type.span.end));
        }
        if (block.type === 'locals') for (const a of block.body.attributes) if (!locals.has(a.name)) locals.set(a.name, a.value);
        if (block.type === 'resource' && block.labels.length === 2) {
          const address = `${block.labels[0]}.${block.labels[1]}`;
          if (!this.byAddress.has(address) && !elsewhere.has(address)) elsewhere.set(address, block);
        }
      }
    }
    // terraform.tfvars and *.auto.tfvars set the declared variables, over their defaults, the later file winning.
    for (const values of variableValues) {
      for (const a of values.attributes) if (variables.has(a.name)) variables.set(a.name, a.value);
    }
    this.ctx = {
      source, variables, locals, resourceIds: this.resourceIds,
      resourceArguments: (address) => {
        const block = this.byAddress.get(address)?.block ?? elsewhere.get(address);
        return block && new Map(block.body.attributes.map((a) => [a.name, a.value]));
      },
    };
    origins.context = this.ctx;
    this.network = new TerraformNetwork(this.resources, this.ctx, this.resourceIds);
  }

  read(): void {
    for (const module of this.modules) this.noteModule(module);
    const created = this.resources.filter((r) => this.isCreated(r));
    // Ids first, so references resolve whatever the order of the file.
    this.network.assignIds();
    for (const r of created) {
      if (r.type === 'aws_rds_cluster') this.resourceIds.set(r.address, this.identifier(r, 'cluster_identifier'));
      if (r.type === 'aws_rds_cluster_instance') this.resourceIds.set(r.address, this.identifier(r, 'identifier'));
    }
    for (const r of created) if (GROUP_TYPES.has(r.type)) this.readGroup(r);
    for (const r of created) {
      if (r.type === 'aws_security_group_rule') this.readRuleResource(r);
      if (r.type === 'aws_vpc_security_group_ingress_rule') this.readVpcRule(r, 'ingress');
      if (r.type === 'aws_vpc_security_group_egress_rule') this.readVpcRule(r, 'egress');
    }
    const aclProblem = this.network.read(this.inventory);
    if (aclProblem) {
      this.notes.add('info', `The network ACLs are not judged (${aclProblem.why}): a public instance's exposure assumes they let traffic through.`, aclProblem.at.span.start, aclProblem.at.typeSpan.end);
    }
    for (const r of created) if (r.type === 'aws_rds_cluster') this.readCluster(r);
    for (const r of created) if (r.type === 'aws_rds_cluster_instance') this.readInstance(r);
    this.inventory.securityGroups.push(...this.groups.values());
    this.inventory.clusters.push(...this.clusters.values());
  }

  private noteModule(block: HclBlock): void {
    const name = block.labels[0] as string;
    const source = attribute(block.body, 'source')?.value;
    const where = source ? evaluateString(source, this.ctx) : undefined;
    const from = where?.ok ? ` (source ${JSON.stringify(where.value)})` : '';
    const header = { start: block.span.start, end: (block.labelSpans[0] ?? block.typeSpan).end };
    // A plan holds every module's resources by address: the way to audit them.
    this.notes.add('warning', `module.${name}${from} is not followed: its resources are not audited. To audit them, audit the plan: terraform plan -out=tfplan && terraform show -json tfplan > plan.json, then aurora-sg audit --iac plan.json (or open plan.json).`, header.start, header.end);
  }

  /** `count = 0` (or an empty for_each) means the resource is not created: nothing of it is judged. */
  private isCreated(r: Resource): boolean {
    const count = attribute(r.block.body, 'count')?.value;
    const forEach = attribute(r.block.body, 'for_each')?.value;
    const value = count ? evaluate(count, this.ctx) : forEach ? evaluate(forEach, this.ctx) : undefined;
    if (!value?.ok) return true;
    const none = count ? toNumber(value.value) === 0 : elementsOf(value.value)?.length === 0;
    if (none) this.notes.add('info', `${r.address} is not created (${count ? 'count is 0' : 'for_each is empty'}); it was not audited.`, r.block.span.start, r.block.typeSpan.end);
    return !none;
  }

  private identifier(r: Resource, name: string): string {
    const expr = attribute(r.block.body, name)?.value;
    const value = expr ? evaluateString(expr, this.ctx) : undefined;
    // RDS stores identifiers in lowercase.
    return value?.ok && value.value ? value.value.toLowerCase() : r.address;
  }

  private warn(message: string, at: HclSpan): void {
    this.notes.add('warning', message, at.start, at.end);
  }

  private range(at: HclSpan) {
    return this.lines.range(at.start, at.end);
  }

  private scoped(scope: Scope | undefined): EvaluateContext {
    return scope ? { ...this.ctx, scope } : this.ctx;
  }

  private optionalString(body: HclBody, name: string): string | undefined {
    const expr = attribute(body, name)?.value;
    if (!expr) return undefined;
    const value = evaluateString(expr, this.ctx);
    return value.ok ? value.value : undefined;
  }

  private readGroup(r: Resource): void {
    const body = r.block.body;
    const isDefault = r.type === 'aws_default_security_group';
    const group: SecurityGroup = {
      groupId: r.address,
      // aws_default_security_group adopts the VPC's group named "default", whatever the file calls it.
      groupName: isDefault ? 'default' : this.optionalString(body, 'name') ?? this.optionalString(body, 'name_prefix') ?? r.address,
      // The provider's default description, and AWS's for the default group.
      description: isDefault ? 'default VPC security group' : this.optionalString(body, 'description') ?? 'Managed by Terraform',
      rules: [],
      location: this.range(r.block.span),
    };
    const vpcId = this.optionalString(body, 'vpc_id');
    if (vpcId) group.vpcId = vpcId;
    const tags = attribute(body, 'tags')?.value;
    if (tags) {
      const value = evaluate(tags, this.ctx);
      if (value.ok && value.value !== null && typeof value.value === 'object' && !Array.isArray(value.value)) {
        // fromEntries defines own properties: a hostile "__proto__" key stays a plain key.
        const entries = Object.entries(value.value).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
        if (entries.length) group.tags = Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
      }
    }
    this.groups.set(group.groupId, group);
    this.origins.groups.set(group, r);
    // Unlike CloudFormation, Terraform removes AWS's default allow-all egress rule (and, for the
    // default group, every rule it does not declare): a group with no egress blocks has no egress.
    for (const direction of ['ingress', 'egress'] as const) {
      blocksOf(body, direction).forEach((block, i) => {
        this.readRule(`${r.address} ${direction}[${i}]`, group, direction, fieldsOfBody(block.body), block.span, r, { kind: 'block', block });
      });
      const listed = attribute(body, direction);
      if (listed) {
        if (listed.value.type !== 'tuple') {
          const why = evaluate(listed.value, this.ctx);
          this.warn(`${r.address} ${direction}: ${why.ok ? 'expected a list of rules' : why.why}; those rules were skipped.`, listed.span);
        } else {
          listed.value.items.forEach((item, i) => {
            if (item.type !== 'object') { this.warn(`${r.address} ${direction}[${i}]: expected a rule object; the rule was skipped.`, item.span); return; }
            this.readRule(`${r.address} ${direction}[${i}]`, group, direction, fieldsOfObject(item), item.span, r, { kind: 'object', object: item, list: listed, index: i });
          });
        }
      }
      for (const dynamic of blocksOf(body, 'dynamic').filter((b) => b.labels[0] === direction)) this.readDynamic(r, group, direction, dynamic);
    }
  }

  /** `dynamic "ingress" { for_each = ...; content { ... } }`: one rule per element, when for_each is known. */
  private readDynamic(r: Resource, group: SecurityGroup, direction: Direction, dynamic: HclBlock): void {
    const forEach = attribute(dynamic.body, 'for_each')?.value;
    const content = blocksOf(dynamic.body, 'content')[0];
    const value = forEach ? evaluate(forEach, this.ctx) : undefined;
    const elements = value?.ok ? elementsOf(value.value) : undefined;
    if (!forEach || !content || !value?.ok || !elements) {
      const why = !forEach ? 'it has no for_each' : !content ? 'it has no content block' : !value?.ok ? value?.why : 'for_each is not a list or a map';
      this.warn(`${r.address}: a dynamic "${direction}" block makes its rules from for_each at plan time (${why}); they were not audited.`, dynamic.span);
      return;
    }
    const iteratorName = attribute(dynamic.body, 'iterator')?.value;
    const iterator = iteratorName?.type === 'traversal' && iteratorName.parts.length === 1 ? String(iteratorName.parts[0]) : direction;
    for (const element of elements) {
      // for_each over a list or set: each.key is the value itself, as Terraform sets it for sets.
      const key = Array.isArray(value.value) ? element.value : element.key;
      const scope = new Map<string, TfValue>([[iterator, newObject([['key', key], ['value', element.value]])]]);
      const label = `${r.address} dynamic "${direction}"[${typeof key === 'string' ? JSON.stringify(key) : String(element.key)}]`;
      this.readRule(label, group, direction, fieldsOfBody(content.body), content.span, r, { kind: 'dynamic', block: dynamic }, scope);
    }
  }

  /** The group a standalone rule resource belongs to: declared in this file or elsewhere (known by address or id). */
  private targetGroup(r: Resource): SecurityGroup | undefined {
    const expr = attribute(r.block.body, 'security_group_id')?.value;
    if (!expr) { this.warn(`${r.address}: no security_group_id; the rule was skipped.`, r.block.span); return undefined; }
    const value = evaluateString(expr, this.ctx);
    if (!value.ok) { this.warn(`${r.address} security_group_id: ${value.why}; the rule was skipped.`, expr.span); return undefined; }
    const declared = this.groups.get(value.value);
    if (declared) return declared;
    const external: SecurityGroup = { groupId: value.value, groupName: value.value, description: '', rules: [] };
    this.groups.set(value.value, external);
    this.notes.add('info', `${r.address} adds a rule to ${value.value}, a group not declared in this file; only the rules declared here are audited.`, r.block.span.start, r.block.span.end);
    return external;
  }

  private readRuleResource(r: Resource): void {
    const typeExpr = attribute(r.block.body, 'type')?.value;
    const type = typeExpr ? evaluateString(typeExpr, this.ctx) : undefined;
    if (!type?.ok || (type.value !== 'ingress' && type.value !== 'egress')) {
      const why = type && !type.ok ? type.why : 'type must be "ingress" or "egress"';
      this.warn(`${r.address} type: ${why}; the rule was skipped.`, typeExpr?.span ?? r.block.span);
      return;
    }
    const group = this.targetGroup(r);
    if (group) this.readRule(r.address, group, type.value, fieldsOfBody(r.block.body), r.block.span, r, { kind: 'resource', block: r.block });
  }

  private readVpcRule(r: Resource, direction: Direction): void {
    const group = this.targetGroup(r);
    if (group) this.readRule(r.address, group, direction, fieldsOfBody(r.block.body), r.block.span, r, { kind: 'resource', block: r.block });
  }

  private readRule(
    label: string, group: SecurityGroup, direction: Direction, fields: Fields, at: HclSpan,
    resource: Resource, container: RuleContainer, scope?: Scope,
  ): void {
    const ctx = this.scoped(scope);
    const skip = (name: string, why: string, where: HclSpan) => this.warn(`${label} ${name}: ${why}; the rule was skipped.`, where);
    const single = (name: string): { ok: true; value?: string } | { ok: false } => {
      const expr = fields(name)?.value;
      if (!expr || (expr.type === 'literal' && expr.value === null)) return { ok: true };
      const value = evaluateString(expr, ctx);
      if (!value.ok) { skip(name, value.why, expr.span); return { ok: false }; }
      return { ok: true, value: value.value };
    };
    const protocolName = fields('ip_protocol') ? 'ip_protocol' : 'protocol';
    const protocol = single(protocolName);
    if (!protocol.ok) return;
    if (protocol.value === undefined) { skip(protocolName, 'missing', at); return; }
    const from = single('from_port');
    const to = single('to_port');
    if (!from.ok || !to.ok) return;
    const fromPort = portNumber(from.value);
    const toPort = portNumber(to.value);
    if (from.value !== undefined && fromPort === undefined) { skip('from_port', `${JSON.stringify(from.value)} is not a port`, at); return; }
    if (to.value !== undefined && toPort === undefined) { skip('to_port', `${JSON.stringify(to.value)} is not a port`, at); return; }

    const sources: RuleSource[] = [];
    const sourceOrigins: { field: FieldRef; element?: HclExpr; index?: number }[] = [];
    let skippedSources = false;
    for (const [name, kind] of LIST_SOURCES) {
      const field = fields(name);
      if (!field) continue;
      const expr = field.value;
      const items = expr.type === 'tuple' ? expr.items : [expr];
      items.forEach((item, index) => {
        const value = evaluate(item, ctx);
        if (!value.ok) {
          this.warn(`${label} ${name}: ${value.why}; ${expr.type === 'tuple' ? 'that source was' : 'those sources were'} not audited.`, item.span);
          skippedSources = true;
          return;
        }
        for (const v of flatStrings(value.value)) {
          sources.push({ kind, value: v });
          sourceOrigins.push(expr.type === 'tuple' ? { field, element: item, index } : { field });
        }
      });
    }
    for (const [name, kind] of SINGLE_SOURCES) {
      const value = single(name);
      if (!value.ok) { skippedSources = true; continue; }
      if (value.value !== undefined) { sources.push({ kind, value: value.value }); sourceOrigins.push({ field: fields(name) as FieldRef }); }
    }
    const self = single('self');
    if (self.ok && self.value === 'true') { sources.push({ kind: 'group', value: group.groupId }); sourceOrigins.push({ field: fields('self') as FieldRef }); }
    if (!self.ok) skippedSources = true;
    if (sources.length === 0 && skippedSources) return;
    const description = single('description');
    const built = buildRules({
      groupId: group.groupId, direction, protocol: protocol.value, fromPort, toPort, sources,
      description: description.ok ? description.value : undefined, location: this.range(at),
    });
    if (!built.ok) { this.warn(`${label}: ${built.why}; the rule was skipped.`, at); return; }
    const protocolField = fields(protocolName);
    const portFields = [fields('from_port'), fields('to_port')].filter((f): f is FieldRef => f !== undefined);
    const ports = portFields.length ? this.range({ start: portFields[0]!.span.start, end: portFields[portFields.length - 1]!.span.end }) : undefined;
    built.rules.forEach((rule, i) => {
      const origin = sourceOrigins[i] as { field: FieldRef; element?: HclExpr };
      this.origins.rules.set(rule, { resource, container, source: origin, fields });
      rule.parts = {
        source: this.range((origin.element ?? origin.field.value).span),
        ...(protocolField ? { protocol: this.range(protocolField.value.span) } : {}),
        ...(ports ? { ports } : {}),
      };
    });
    group.rules.push(...built.rules);
  }

  private readCluster(r: Resource): void {
    const body = r.block.body;
    const engineExpr = attribute(body, 'engine')?.value;
    if (!engineExpr) { this.warn(`${r.address}: no engine; the cluster was skipped.`, r.block.typeSpan); return; }
    const engine = evaluateString(engineExpr, this.ctx);
    if (!engine.ok) { this.warn(`${r.address} engine: ${engine.why}; the cluster was skipped.`, engineExpr.span); return; }
    if (!isAuroraEngine(engine.value)) {
      this.notes.add('info', `${r.address} is a ${engine.value} cluster, not Aurora; it was not audited.`, r.block.span.start, r.block.span.end);
      return;
    }
    const portExpr = attribute(body, 'port')?.value;
    const port = declaredClusterPort(engine.value, portExpr && evaluateString(portExpr, this.ctx));
    if (!port.ok) {
      this.warn(`${r.address} port: ${port.why}; the cluster was skipped, since its rules cannot be judged without its port.`, portExpr!.span);
      return;
    }
    const cluster: Cluster = {
      clusterId: this.resourceIds.get(r.address) ?? r.address,
      engine: engine.value,
      status: DECLARED_STATUS,
      port: port.port,
      securityGroupIds: this.clusterGroupIds(r),
      memberInstanceIds: [],
      location: this.range(r.block.span),
    };
    const version = this.optionalString(body, 'engine_version');
    if (version) cluster.engineVersion = version;
    const subnetGroup = this.optionalString(body, 'db_subnet_group_name');
    if (subnetGroup) cluster.dbSubnetGroup = subnetGroup;
    const networkType = this.optionalString(body, 'network_type');
    if (networkType) cluster.networkType = networkType;
    this.clusters.set(r.address, cluster);
    this.clusterBlocks.set(cluster.clusterId, r.block);
  }

  private clusterGroupIds(r: Resource): string[] {
    const expr = attribute(r.block.body, 'vpc_security_group_ids')?.value;
    if (!expr) return this.defaultGroupOf(r);
    const items = expr.type === 'tuple' ? expr.items : [expr];
    const ids: string[] = [];
    for (const item of items) {
      const value = evaluate(item, this.ctx);
      if (!value.ok) { this.warn(`${r.address} vpc_security_group_ids: ${value.why}; that group is not audited with the cluster.`, item.span); continue; }
      ids.push(...flatStrings(value.value));
    }
    return ids;
  }

  /** A cluster that names no groups gets its VPC's default group: the file's aws_default_security_group, when it declares one. */
  private defaultGroupOf(r: Resource): string[] {
    const declared = [...this.groups.values()].filter((g) => this.byAddress.get(g.groupId)?.type === 'aws_default_security_group');
    if (declared.length === 1) {
      const group = declared[0] as SecurityGroup;
      this.notes.add('info', `${r.address} declares no vpc_security_group_ids, so AWS attaches its VPC's default security group: ${group.groupId}.`, r.block.typeSpan.start, r.block.typeSpan.end);
      return [group.groupId];
    }
    const why = declared.length > 1
      ? `, one of the ${declared.length} aws_default_security_group resources of this file (which one depends on the cluster's VPC, which the file does not link), so none of them is judged with it`
      : ', which this file does not describe';
    this.warn(`${r.address} declares no vpc_security_group_ids, so AWS attaches its VPC's default security group${why}.`, r.block.typeSpan);
    return [];
  }

  private readInstance(r: Resource): void {
    const body = r.block.body;
    const clusterExpr = attribute(body, 'cluster_identifier')?.value;
    if (!clusterExpr) { this.warn(`${r.address}: no cluster_identifier; the instance was skipped.`, r.block.typeSpan); return; }
    const clusterRef = evaluateString(clusterExpr, this.ctx);
    if (!clusterRef.ok) { this.warn(`${r.address} cluster_identifier: ${clusterRef.why}; the instance was skipped.`, clusterExpr.span); return; }
    const cluster = [...this.clusters.values()].find((c) => c.clusterId === clusterRef.value || c.clusterId === clusterRef.value.toLowerCase());
    const engine = this.optionalString(body, 'engine');
    // Only members of Aurora clusters are in scope: of a cluster read here, or with an Aurora engine of their own.
    if (!cluster && !(engine && isAuroraEngine(engine))) return;
    const instance: Instance = {
      instanceId: this.resourceIds.get(r.address) ?? r.address,
      clusterId: cluster?.clusterId ?? clusterRef.value,
      engine: engine ?? cluster?.engine ?? 'unknown',
      status: DECLARED_STATUS,
      publiclyAccessible: this.publiclyAccessible(r),
      // An instance is in a subnet of its own DB subnet group, else of its cluster's.
      subnetIds: this.network.subnetsOf(body).length ? this.network.subnetsOf(body) : cluster ? this.network.subnetsOf((this.clusterBlocks.get(cluster.clusterId) as HclBlock).body) : [],
      securityGroupIds: cluster ? [...cluster.securityGroupIds] : [],
      location: this.range(r.block.span),
    };
    const vpcId = this.inventory.subnets.find((s) => s.subnetId === instance.subnetIds[0])?.vpcId;
    if (vpcId) instance.vpcId = vpcId;
    if (cluster?.networkType) instance.networkType = cluster.networkType;
    const instanceClass = this.optionalString(body, 'instance_class');
    if (instanceClass) instance.instanceClass = instanceClass;
    if (cluster) cluster.memberInstanceIds.push(instance.instanceId);
    const publicFlag = attribute(r.block.body, 'publicly_accessible');
    if (publicFlag) instance.parts = { publiclyAccessible: this.range(publicFlag.span) };
    this.inventory.instances.push(instance);
    this.origins.instances.set(instance, r);
  }

  private publiclyAccessible(r: Resource): boolean {
    const expr = attribute(r.block.body, 'publicly_accessible')?.value;
    if (!expr) return false;
    const value = evaluateString(expr, this.ctx);
    if (!value.ok) {
      this.warn(`${r.address} publicly_accessible: ${value.why}; the instance is treated as private.`, expr.span);
      return false;
    }
    return value.value === 'true';
  }
}

function fieldsOfBody(body: HclBody): Fields {
  return (name) => attribute(body, name);
}

function fieldsOfObject(object: Extract<HclExpr, { type: 'object' }>): Fields {
  return (name) => {
    const item = object.items.find((i) => i.key === name);
    return item && { name, nameSpan: item.keySpan, value: item.value, span: item.span };
  };
}

function flatStrings(value: TfValue): string[] {
  if (Array.isArray(value)) return value.flatMap(flatStrings);
  if (value === null || value === '') return [];
  if (typeof value === 'object') return [];
  return [String(value)];
}
