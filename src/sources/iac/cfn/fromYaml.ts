// CloudFormation YAML into the template tree, with offsets. The short-form tags are
// declared to `yaml` so they parse cleanly as scalars, sequences or maps.

import type { Document, Node as YamlNode, Tags } from 'yaml';
import { asFunction, functionNameForTag, INTRINSIC_TAGS, MAX_DEPTH, type CfnEntry, type CfnNode, type CfnParse, type Span } from './node';

const CUSTOM_TAGS: Tags = INTRINSIC_TAGS.flatMap((tag) => [
  { tag, resolve: (text: string) => text },
  { tag, collection: 'seq' as const },
  { tag, collection: 'map' as const },
]) as unknown as Tags;

type YamlLibrary = typeof import('yaml');
let yamlLibrary: YamlLibrary | undefined;

/**
 * The yaml package, required on first use: it is a quarter of the extension's runtime bundle,
 * which then loads faster for everyone who opens no YAML template (esbuild.mjs bundles it apart).
 */
function yaml(): YamlLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require, see above
  return (yamlLibrary ??= require('yaml') as YamlLibrary);
}

export function parseCfnYaml(text: string): CfnParse {
  // yaml slows to seconds on thousands of nested brackets before giving up; refuse them first.
  const tooDeep = deepFlowNesting(text);
  if (tooDeep !== undefined) return { problems: [{ offset: tooDeep, message: `nesting deeper than ${MAX_DEPTH} levels` }] };
  const lib = yaml();
  const doc = lib.parseDocument(text, { customTags: CUSTOM_TAGS, keepSourceTokens: false, prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((e) => ({ offset: e.pos[0], message: readable(e.message.split('\n')[0] as string) }));
  if (problems.length) return { problems };
  const depthProblem: { offset: number; message: string }[] = [];
  const root = doc.contents ? convert({ lib, doc, text, problems: depthProblem, aliasedNodesLeft: MAX_ALIASED_NODES, insideAlias: 0, aliasTargets: new Map() }, doc.contents as YamlNode, 0) : undefined;
  if (depthProblem.length) return { problems: depthProblem };
  return root ? { root, problems } : { problems };
}

/**
 * Aliases are expanded as the tree is built; this bound on the nodes made by expansion
 * stops a "billion laughs" file (aliases of aliases) from growing without end.
 */
const MAX_ALIASED_NODES = 50_000;

interface Walk {
  lib: YamlLibrary;
  doc: Document;
  text: string;
  problems: { offset: number; message: string }[];
  /** Nodes that alias expansion may still make. */
  aliasedNodesLeft: number;
  /** Above zero while converting the target of an alias. */
  insideAlias: number;
  /** Alias.resolve searches the whole document; each alias is looked up once. */
  aliasTargets: Map<YamlNode, YamlNode | undefined>;
}

function readable(message: string): string {
  // yaml reports runaway nesting as the engine's own stack error.
  return /call stack/i.test(message) ? 'the file nests too deeply' : message;
}

function spanOf(walk: Walk, node: YamlNode | null | undefined, fallback: number): Span {
  const range = node?.range;
  if (!range) return { start: fallback, end: fallback };
  // A block collection's range runs on to where the next item starts; end it at its last character.
  let end = range[1];
  while (end > range[0] && /\s/.test(walk.text[end - 1] as string)) end--;
  return { start: range[0], end };
}

function convert(walk: Walk, node: YamlNode, depth: number): CfnNode | undefined {
  const { doc, problems } = walk;
  const { isAlias, isMap, isPair, isScalar, isSeq } = walk.lib;
  const span = spanOf(walk, node, 0);
  if (walk.insideAlias > 0) walk.aliasedNodesLeft--;
  if (depth > MAX_DEPTH || walk.aliasedNodesLeft < 0) {
    const message = depth > MAX_DEPTH ? `nesting deeper than ${MAX_DEPTH} levels` : 'aliases expand to more than a template can hold';
    if (!problems.length) problems.push({ offset: span.start, message });
    return undefined;
  }
  let result: CfnNode | undefined;
  if (isAlias(node)) {
    if (!walk.aliasTargets.has(node)) walk.aliasTargets.set(node, node.resolve(doc) as YamlNode | undefined);
    const target = walk.aliasTargets.get(node);
    // An alias may point at an ancestor; the depth bound stops the cycle.
    walk.insideAlias++;
    result = target ? convert(walk, target, depth + 1) : undefined;
    walk.insideAlias--;
    if (result) result = { ...result, span };
    return result;
  }
  if (isMap(node)) {
    const entries: CfnEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const keySpan = spanOf(walk, keyNode, span.start);
      const value = pair.value
        ? convert(walk, pair.value as YamlNode, depth + 1)
        : { kind: 'scalar' as const, value: null, span: { start: keySpan.end, end: keySpan.end } };
      if (value) entries.push({ key, keySpan, value });
    }
    result = asFunction(entries, span) ?? { kind: 'map', entries, span };
  } else if (isSeq(node)) {
    const items: CfnNode[] = [];
    for (const item of node.items) {
      const converted = item ? convert(walk, item as YamlNode, depth + 1) : undefined;
      if (converted) items.push(converted);
    }
    result = { kind: 'list', items, span };
  } else if (isScalar(node)) {
    const value = node.value;
    const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null
      ? value
      : String(value);
    result = { kind: 'scalar', value: plain, span };
  }
  if (result && node.tag && INTRINSIC_TAGS.includes(node.tag as (typeof INTRINSIC_TAGS)[number])) {
    return { kind: 'fn', name: functionNameForTag(node.tag), arg: result, span };
  }
  return result;
}

/**
 * The offset where [ and { nest deeper than MAX_DEPTH, skipping quoted text and comments
 * on each line. A rough count (block scalars are not recognised) that only has to catch
 * runaway nesting, far past anything a template holds.
 */
function deepFlowNesting(text: string): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') { quote = ''; continue; }
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end - 1;
    } else if (ch === '[' || ch === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return undefined;
}
