// The wire format, driven by the SDK's own schemas (the Smithy model compiled into
// @aws-sdk/client-ec2, client-rds and client-sts), so that every parameter and element name is
// the one AWS uses: form parameters in (EC2 query or AWS query), XML out. Mirrors the SDK's
// QueryShapeSerializer and XmlShapeDeserializer, the other way round. RDS and STS both speak
// the AWS query protocol; EC2 its own dialect of it.

import * as ec2Client from '@aws-sdk/client-ec2';
import * as rdsClient from '@aws-sdk/client-rds';
import * as stsClient from '@aws-sdk/client-sts';
import { NormalizedSchema } from '@smithy/core/schema';

/** The services that speak a query protocol (Organizations speaks JSON 1.1: organizations.ts). */
export type Service = 'ec2' | 'rds' | 'sts';

export const XML_NAMESPACE: Record<Service, string> = {
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

export const API_VERSION: Record<Service, string> = { ec2: '2016-11-15', rds: '2014-10-31', sts: '2011-06-15' };

const CLIENT_MODULES: Record<Service, unknown> = { ec2: ec2Client, rds: rdsClient, sts: stsClient };

type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

export interface OperationSchema {
  input: NormalizedSchema;
  output: NormalizedSchema;
}

const operationCache = new Map<string, OperationSchema | undefined>();

/** The input and output schemas of an action, or undefined when the SDK knows no such action. */
export function operationSchema(service: Service, action: string): OperationSchema | undefined {
  const key = `${service}:${action}`;
  if (operationCache.has(key)) return operationCache.get(key);
  const exported = CLIENT_MODULES[service] as Record<string, unknown>;
  const op = exported[`${action}$`];
  // An operation schema is [9, namespace, name, traits, input, output].
  const found = Array.isArray(op) && op[0] === 9
    ? { input: NormalizedSchema.of(op[4] as SchemaRef), output: NormalizedSchema.of(op[5] as SchemaRef) }
    : undefined;
  operationCache.set(key, found);
  return found;
}

// ---------------------------------------------------------------------------------------
// Form parameters -> input object

interface ParamNode {
  value?: string;
  children: Map<string, ParamNode>;
  used: boolean;
}

function buildTree(params: URLSearchParams): ParamNode {
  const root: ParamNode = { children: new Map(), used: true };
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    let node = root;
    for (const part of key.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map(), used: false };
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

/** Thrown when a request carries a parameter the action does not have. */
export class UnknownParameterError extends Error {
  constructor(readonly parameter: string) {
    super(`The parameter ${parameter} is not recognized`);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function memberKey(service: Service, memberName: string, member: NormalizedSchema): string {
  const traits = member.getMergedTraits();
  if (service === 'ec2') return (traits.ec2QueryName as string | undefined) ?? capitalise((traits.xmlName as string | undefined) ?? memberName);
  return (traits.xmlName as string | undefined) ?? memberName;
}

function readNode(service: Service, schema: NormalizedSchema, node: ParamNode): unknown {
  node.used = true;
  if (schema.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [memberName, member] of schema.structIterator()) {
      const child = node.children.get(memberKey(service, memberName, member));
      if (child) out[memberName] = readNode(service, member, child);
    }
    return out;
  }
  if (schema.isListSchema()) {
    const item = schema.getValueSchema();
    const flat = service === 'ec2' || Boolean(schema.getMergedTraits().xmlFlattened);
    let holder: ParamNode | undefined = node;
    if (!flat) {
      const itemTraits = item.getMergedTraits();
      holder = node.children.get((itemTraits.xmlName as string | undefined) ?? 'member');
      if (holder) holder.used = true;
    }
    if (!holder) return [];
    const indexed = [...holder.children.entries()]
      .filter(([k]) => /^[1-9][0-9]*$/.test(k))
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    return indexed.map(([, child]) => readNode(service, item, child));
  }
  const text = node.value ?? '';
  if (schema.isBooleanSchema()) return text === 'true';
  if (schema.isNumericSchema()) return Number(text);
  return text;
}

function firstUnused(node: ParamNode, path: string[]): string | undefined {
  for (const [key, child] of node.children) {
    const childPath = [...path, key];
    if (!child.used) return childPath.join('.');
    const deeper = firstUnused(child, childPath);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Parses the form parameters of a request into the action's input object (SDK member names). */
export function parseInput(service: Service, schema: NormalizedSchema, params: URLSearchParams): Record<string, unknown> {
  const tree = buildTree(params);
  const input = readNode(service, schema, tree) as Record<string, unknown>;
  const unknown = firstUnused(tree, []);
  if (unknown) throw new UnknownParameterError(unknown);
  return input;
}

// ---------------------------------------------------------------------------------------
// Output object -> XML

/** Escapes text for an XML element body (never used in attributes), including characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    // Tab, LF and CR are legal but would be normalised by a parser; keep them as references.
    else if (code === 0x9 || code === 0xa || code === 0xd) out += `&#x${code.toString(16)};`;
    else if (code < 0x20 || code === 0xfffe || code === 0xffff) {
      // Not representable in XML 1.0 at all; AWS never returns these either.
      out += '\ufffd';
    } else out += ch;
  }
  return out;
}

function scalarText(schema: NormalizedSchema, value: unknown): string {
  if (schema.isTimestampSchema()) {
    if (value instanceof Date) return value.toISOString();
    return String(value);
  }
  return String(value);
}

function writeValue(schema: NormalizedSchema, value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (schema.isStructSchema()) {
    if (typeof value !== 'object') return '';
    const record = value as Record<string, unknown>;
    let body = '';
    for (const [memberName, member] of schema.structIterator()) {
      const elementName = (member.getMemberTraits().xmlName as string | undefined) ?? memberName;
      body += writeValue(member, record[memberName], elementName);
    }
    return body ? `<${name}>${body}</${name}>` : `<${name}/>`;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return '';
    const item = schema.getValueSchema();
    const itemName = (item.getMergedTraits().xmlName as string | undefined) ?? 'member';
    if (schema.getMergedTraits().xmlFlattened) return value.map((v) => writeValue(item, v, name)).join('');
    const body = value.map((v) => writeValue(item, v, itemName)).join('');
    return body ? `<${name}>${body}</${name}>` : `<${name}/>`;
  }
  if (schema.isMapSchema()) {
    if (typeof value !== 'object') return '';
    const valueSchema = schema.getValueSchema();
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${writeValue(valueSchema, v, 'value')}</entry>`)
      .join('');
    return `<${name}>${entries}</${name}>`;
  }
  return `<${name}>${escapeXml(scalarText(schema, value))}</${name}>`;
}

/** The XML body of a successful response, shaped as the service's protocol shapes it. */
export function renderResponse(service: Service, action: string, schema: NormalizedSchema, output: Record<string, unknown>, requestId: string): string {
  const root = `${action}Response`;
  let members = '';
  for (const [memberName, member] of schema.structIterator()) {
    const elementName = (member.getMemberTraits().xmlName as string | undefined) ?? memberName;
    members += writeValue(member, output[memberName], elementName);
  }
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (service === 'ec2') {
    return `${head}<${root} xmlns="${XML_NAMESPACE.ec2}"><requestId>${requestId}</requestId>${members}</${root}>`;
  }
  const result = members ? `<${action}Result>${members}</${action}Result>` : `<${action}Result/>`;
  return `${head}<${root} xmlns="${XML_NAMESPACE[service]}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${root}>`;
}

/** The XML body of an error response: EC2's <Response><Errors> or the AWS query <ErrorResponse>. */
export function renderError(service: Service, code: string, message: string, requestId: string, type: 'Sender' | 'Receiver'): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (service === 'ec2') {
    return `${head}<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  }
  return `${head}<ErrorResponse xmlns="${XML_NAMESPACE[service]}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
