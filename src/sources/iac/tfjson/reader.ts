// `terraform show -json` output (a plan or a state) into the model: the resources of the root
// module and of every child module, by their full addresses (module.db.aws_security_group.this[0]),
// with positions in the JSON file. A state holds real ids; a plan holds what is known before
// apply, and for what is not (a new group's id) the configuration's references name the resource.

import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Cluster, Direction, Instance, Inventory, RuleSource, SecurityGroup, SourceRange } from '../../../model/types';
import { buildRules, DECLARED_STATUS, declaredClusterPort, isAuroraEngine, portNumber } from '../declared';
import type { NoteSink } from '../notes';
import type { LineIndex } from '../../textPositions';
// The same attributes as in .tf files: the JSON holds the values of those arguments.
import { GROUP_TYPES, LIST_SOURCES, SINGLE_SOURCES } from '../terraform/reader';

interface JsonResource {
  address: string;
  type: string;
  /** The module instance it is in ('' for the root), e.g. module.db[0]. */
  module: string;
  node: JsonNode;
  values?: JsonNode;
  /** Attributes of `values` that are unknown until apply (plans only), from resource_changes. */
  unknown: Set<string>;
  /** Attribute -> the resources its configured expression references (plans only). */
  references: Map<string, string[]>;
  /** The attributes the configuration sets (plans only). */
  configured: Set<string>;
}

export function property(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (const p of node.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k?.value === key) return v;
  }
  return undefined;
}

function scalar(node: JsonNode | undefined): string | number | boolean | null | undefined {
  if (!node) return undefined;
  if (node.type === 'string' || node.type === 'number' || node.type === 'boolean' || node.type === 'null') return node.value as string | number | boolean | null;
  return undefined;
}

function text(node: JsonNode | undefined): string | undefined {
  const v = scalar(node);
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function items(node: JsonNode | undefined): JsonNode[] {
  return node?.type === 'array' ? node.children ?? [] : [];
}

/** The plan or state shape: whether a parsed JSON file is `terraform show -json` output. */
export function isTerraformJson(root: JsonNode | undefined): boolean {
  if (root?.type !== 'object' || !property(root, 'format_version')) return false;
  return !!property(property(root, 'planned_values'), 'root_module') || !!property(property(root, 'values'), 'root_module');
}

export class TerraformJsonReader {
  private readonly resources: JsonResource[] = [];
  private readonly idByAddress = new Map<string, string>();
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly plan: boolean;

  constructor(
    private readonly root: JsonNode,
    private readonly inventory: Inventory,
    private readonly lines: LineIndex,
    private readonly notes: NoteSink,
  ) {
    const planned = property(root, 'planned_values');
    this.plan = !!planned;
    const values = planned ?? property(root, 'values');
    this.walkModule(property(values, 'root_module'), '');
    if (this.plan) this.readPlanDetails();
  }

  /** The addresses of every resource, and where each is in the file, for suppressions by address. */
  declarations(): { address: string; location: SourceRange }[] {
    return this.resources.map((r) => ({ address: r.address, location: this.range(r.node) }));
  }

  private walkModule(module: JsonNode | undefined, address: string): void {
    for (const node of items(property(module, 'resources'))) {
      if (text(property(node, 'mode')) !== 'managed') continue;
      const resourceAddress = text(property(node, 'address'));
      const type = text(property(node, 'type'));
      if (!resourceAddress || !type) continue;
      this.resources.push({ address: resourceAddress, type, module: address, node, values: property(node, 'values'), unknown: new Set(), references: new Map(), configured: new Set() });
    }
    for (const child of items(property(module, 'child_modules'))) this.walkModule(child, text(property(child, 'address')) ?? address);
  }

  /** after_unknown from resource_changes, and the references of the configuration, per resource. */
  private readPlanDetails(): void {
    const byAddress = new Map(this.resources.map((r) => [r.address, r]));
    for (const change of items(property(this.root, 'resource_changes'))) {
      const resource = byAddress.get(text(property(change, 'address')) ?? '');
      const unknown = property(property(change, 'change'), 'after_unknown');
      if (!resource || unknown?.type !== 'object') continue;
      for (const p of unknown.children ?? []) {
        const [k, v] = p.children ?? [];
        if (typeof k?.value === 'string' && v && containsTrue(v)) resource.unknown.add(k.value);
      }
    }
    const configs = new Map<string, JsonNode>();
    collectConfiguration(property(property(this.root, 'configuration'), 'root_module'), '', configs);
    for (const resource of this.resources) {
      const config = configs.get(`${configPath(resource.module)}|${localAddress(resource)}`);
      const expressions = property(config, 'expressions');
      for (const p of expressions?.type === 'object' ? expressions.children ?? [] : []) {
        const [k, v] = p.children ?? [];
        if (typeof k?.value !== 'string') continue;
        resource.configured.add(k.value);
        const references = items(property(v, 'references')).map((n) => text(n)).filter((s): s is string => !!s);
        if (references.length) resource.references.set(k.value, references);
      }
    }
  }

  read(): void {
    for (const r of this.resources) {
      const id = text(property(r.values, 'id'));
      // A plan knows no id for what it creates: the address stands in for it, as in .tf files.
      if (GROUP_TYPES.has(r.type)) this.idByAddress.set(r.address, id || r.address);
      if (r.type === 'aws_rds_cluster') this.idByAddress.set(r.address, (text(property(r.values, 'cluster_identifier')) ?? r.address).toLowerCase());
      if (r.type === 'aws_rds_cluster_instance') this.idByAddress.set(r.address, (text(property(r.values, 'identifier')) ?? r.address).toLowerCase());
    }
    for (const r of this.resources) if (GROUP_TYPES.has(r.type)) this.readGroup(r);
    for (const r of this.resources) {
      if (r.type === 'aws_security_group_rule') {
        const type = text(property(r.values, 'type'));
        if (type === 'ingress' || type === 'egress') this.readStandalone(r, type);
        else this.warn(`${r.address} type: ${type === undefined ? 'unknown' : JSON.stringify(type)} is not "ingress" or "egress"; the rule was skipped.`, r.node);
      }
      if (r.type === 'aws_vpc_security_group_ingress_rule') this.readStandalone(r, 'ingress');
      if (r.type === 'aws_vpc_security_group_egress_rule') this.readStandalone(r, 'egress');
    }
    for (const r of this.resources) if (r.type === 'aws_rds_cluster') this.readCluster(r);
    for (const r of this.resources) if (r.type === 'aws_rds_cluster_instance') this.readInstance(r);
    this.inventory.securityGroups.push(...this.groups.values());
    this.inventory.clusters.push(...this.clusters.values());
    if (this.resources.length === 0) this.notes.add('info', `the ${this.plan ? 'plan' : 'state'} holds no managed resources; nothing to audit.`);
  }

  private range(node: JsonNode) {
    return this.lines.range(node.offset, node.offset + node.length);
  }

  private warn(message: string, node: JsonNode): void {
    this.notes.add('warning', message, node.offset, node.offset + node.length);
  }

  /** Why an attribute has no value: unknown until apply (plans), or absent. */
  private missing(r: JsonResource, name: string): string {
    return r.unknown.has(name) ? `${r.address}.${name} is known only after terraform apply` : `${r.address} has no ${name}`;
  }

  /** The resources an attribute's configured expression references, mapped to their ids. */
  private referenced(r: JsonResource, name: string): string[] {
    const references = r.references.get(name) ?? [];
    const prefix = r.module ? `${r.module}.` : '';
    const found: string[] = [];
    for (const reference of references) {
      // "aws_security_group.db.id" and "aws_security_group.db" both come: keep the resource once.
      const address = `${prefix}${reference.replace(/\.(id|arn|cluster_identifier|identifier)$/, '')}`;
      const id = this.idByAddress.get(address) ?? this.idByAddress.get(`${address}[0]`);
      if (id && !found.includes(id)) found.push(id);
    }
    return found;
  }

  private readGroup(r: JsonResource): void {
    const isDefault = r.type === 'aws_default_security_group';
    const group: SecurityGroup = {
      groupId: this.idByAddress.get(r.address) as string,
      groupName: isDefault ? 'default' : text(property(r.values, 'name')) ?? r.address,
      description: text(property(r.values, 'description')) ?? (isDefault ? 'default VPC security group' : 'Managed by Terraform'),
      rules: [],
      location: this.range(r.node),
    };
    const vpcId = text(property(r.values, 'vpc_id'));
    if (vpcId) group.vpcId = vpcId;
    const owner = text(property(r.values, 'owner_id'));
    if (owner) group.ownerId = owner;
    this.groups.set(group.groupId, group);
    for (const direction of ['ingress', 'egress'] as const) {
      if (r.unknown.has(direction)) {
        // Unknown and not configured: AWS computes it, and the rules come as rule resources.
        if (r.configured.has(direction)) this.warn(`${this.missing(r, direction)}; its ${direction} rules were not audited.`, r.node);
        continue;
      }
      items(property(r.values, direction)).forEach((item, i) => this.readRule(`${r.address} ${direction}[${i}]`, group, direction, item, item, r));
    }
  }

  private readStandalone(r: JsonResource, direction: Direction): void {
    let groupId = text(property(r.values, 'security_group_id'));
    if (!groupId) groupId = this.referenced(r, 'security_group_id')[0];
    if (!groupId) { this.warn(`${this.missing(r, 'security_group_id')}; the rule was skipped.`, r.node); return; }
    let group = this.groups.get(groupId);
    if (!group) {
      group = { groupId, groupName: groupId, description: '', rules: [] };
      this.groups.set(groupId, group);
      this.notes.add('info', `${r.address} adds a rule to ${groupId}, a group not in this ${this.plan ? 'plan' : 'state'}; only the rules here are audited.`, r.node.offset, r.node.offset + r.node.length);
    }
    if (r.values) this.readRule(r.address, group, direction, r.values, r.node, r);
  }

  private readRule(label: string, group: SecurityGroup, direction: Direction, fields: JsonNode, at: JsonNode, r: JsonResource): void {
    const protocolNode = property(fields, 'ip_protocol') ?? property(fields, 'protocol');
    const protocol = text(protocolNode);
    if (protocol === undefined) { this.warn(`${label} protocol: ${this.missing(r, 'protocol')}; the rule was skipped.`, at); return; }
    const fromPort = portNumber(scalar(property(fields, 'from_port')));
    const toPort = portNumber(scalar(property(fields, 'to_port')));
    const sources: RuleSource[] = [];
    for (const [name, kind] of LIST_SOURCES) {
      for (const item of items(property(fields, name))) {
        const value = text(item);
        if (value) sources.push({ kind, value });
      }
    }
    for (const [name, kind] of SINGLE_SOURCES) {
      const value = text(property(fields, name)) ?? (kind === 'group' ? this.referenced(r, name)[0] : undefined);
      if (value) sources.push({ kind, value });
    }
    if (scalar(property(fields, 'self')) === true) sources.push({ kind: 'group', value: group.groupId });
    const description = text(property(fields, 'description'));
    const built = buildRules({
      groupId: group.groupId, direction, protocol, fromPort, toPort, sources,
      description: description || undefined, location: this.range(at),
    });
    if (!built.ok) { this.warn(`${label}: ${built.why}; the rule was skipped.`, at); return; }
    group.rules.push(...built.rules);
  }

  private readCluster(r: JsonResource): void {
    const engine = text(property(r.values, 'engine'));
    if (!engine) { this.warn(`${this.missing(r, 'engine')}; the cluster was skipped.`, r.node); return; }
    if (!isAuroraEngine(engine)) {
      this.notes.add('info', `${r.address} is a ${engine} cluster, not Aurora; it was not audited.`, r.node.offset, r.node.offset + r.node.length);
      return;
    }
    const declaredPort = scalar(property(r.values, 'port'));
    const port = declaredClusterPort(engine, declaredPort === undefined || declaredPort === null ? undefined : { ok: true, value: String(declaredPort) });
    if (!port.ok) { this.warn(`${r.address} port: ${port.why}; the cluster was skipped, since its rules cannot be judged without its port.`, r.node); return; }
    let groupIds = items(property(r.values, 'vpc_security_group_ids')).map((n) => text(n)).filter((s): s is string => !!s);
    if (!groupIds.length) groupIds = this.referenced(r, 'vpc_security_group_ids');
    if (!groupIds.length) {
      const defaults = [...this.groups.values()].filter((g) => this.resources.some((x) => x.type === 'aws_default_security_group' && this.idByAddress.get(x.address) === g.groupId));
      if (defaults.length === 1) groupIds = [(defaults[0] as SecurityGroup).groupId];
      else this.warn(`${r.unknown.has('vpc_security_group_ids') ? `${this.missing(r, 'vpc_security_group_ids')} and the configuration names no group` : `${r.address} names no vpc_security_group_ids, so AWS attaches its VPC's default security group, which this ${this.plan ? 'plan' : 'state'} does not describe`}.`, r.node);
    }
    const cluster: Cluster = {
      clusterId: this.idByAddress.get(r.address) as string,
      engine,
      status: DECLARED_STATUS,
      port: port.port,
      securityGroupIds: groupIds,
      memberInstanceIds: [],
      location: this.range(r.node),
    };
    const arn = text(property(r.values, 'arn'));
    if (arn) cluster.arn = arn;
    const version = text(property(r.values, 'engine_version'));
    if (version) cluster.engineVersion = version;
    const subnetGroup = text(property(r.values, 'db_subnet_group_name'));
    if (subnetGroup) cluster.dbSubnetGroup = subnetGroup;
    this.clusters.set(r.address, cluster);
  }

  private readInstance(r: JsonResource): void {
    const clusterRef = text(property(r.values, 'cluster_identifier'))?.toLowerCase() ?? this.referenced(r, 'cluster_identifier')[0];
    if (!clusterRef) { this.warn(`${this.missing(r, 'cluster_identifier')}; the instance was skipped.`, r.node); return; }
    const cluster = [...this.clusters.values()].find((c) => c.clusterId === clusterRef);
    const engine = text(property(r.values, 'engine'));
    if (!cluster && !(engine && isAuroraEngine(engine))) return;
    const instance: Instance = {
      instanceId: this.idByAddress.get(r.address) as string,
      clusterId: cluster?.clusterId ?? clusterRef,
      engine: engine ?? cluster?.engine ?? 'unknown',
      status: DECLARED_STATUS,
      publiclyAccessible: scalar(property(r.values, 'publicly_accessible')) === true,
      subnetIds: [],
      securityGroupIds: cluster ? [...cluster.securityGroupIds] : [],
      location: this.range(r.node),
    };
    const instanceClass = text(property(r.values, 'instance_class'));
    if (instanceClass) instance.instanceClass = instanceClass;
    if (cluster) cluster.memberInstanceIds.push(instance.instanceId);
    this.inventory.instances.push(instance);
  }
}

function containsTrue(node: JsonNode): boolean {
  if (node.type === 'boolean') return node.value === true;
  return (node.children ?? []).some(containsTrue);
}

/** module.db[0].module.net["a"] -> db.net: the configuration tree has no instance keys. */
function configPath(module: string): string {
  return module.replace(/\[[^\]]*\]/g, '').split('.').filter((_part, i) => i % 2 === 1).join('.');
}

/** The resource's address within its module, without an instance key: aws_security_group.db. */
function localAddress(r: JsonResource): string {
  const local = r.module && r.address.startsWith(`${r.module}.`) ? r.address.slice(r.module.length + 1) : r.address;
  return local.replace(/\[[^\]]*\]$/, '');
}

function collectConfiguration(module: JsonNode | undefined, path: string, out: Map<string, JsonNode>): void {
  for (const resource of items(property(module, 'resources'))) {
    const address = text(property(resource, 'address'));
    // Addresses here are relative to the module; some Terraform versions prefix them.
    if (address) out.set(`${path}|${address.replace(/^(module\.[^.]+\.)+/, '')}`, resource);
  }
  const calls = property(module, 'module_calls');
  for (const p of calls?.type === 'object' ? calls.children ?? [] : []) {
    const [k, v] = p.children ?? [];
    if (typeof k?.value === 'string') collectConfiguration(property(v, 'module'), path ? `${path}.${k.value}` : k.value, out);
  }
}

/** Parses the JSON with offsets; the syntax problems, if any, as (offset, message). */
export function parseTerraformJson(text: string): { root?: JsonNode; problems: { offset: number; message: string }[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  return { root, problems: errors.map((e) => ({ offset: e.offset, message: printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() })) };
}
