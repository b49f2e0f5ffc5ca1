// One tree for CloudFormation templates whatever their syntax: the YAML and JSON readers
// both produce it, with offsets, and intrinsic functions (!Ref, {"Fn::GetAtt": ...})
// become `fn` nodes in either spelling.

export interface Span { start: number; end: number }

export interface CfnEntry { key: string; keySpan: Span; value: CfnNode }

export type CfnNode =
  | { kind: 'map'; entries: CfnEntry[]; span: Span }
  | { kind: 'list'; items: CfnNode[]; span: Span }
  | { kind: 'scalar'; value: string | number | boolean | null; span: Span }
  /** An intrinsic function: name is `Ref` or `Fn::Xxx`, as in the JSON spelling. */
  | { kind: 'fn'; name: string; arg: CfnNode; span: Span };

export interface SyntaxProblem { offset: number; message: string }

export interface CfnParse { root?: CfnNode; problems: SyntaxProblem[] }

/** Deeper than any real template; stops hostile nesting from exhausting the stack. */
export const MAX_DEPTH = 200;

export function entry(node: CfnNode | undefined, key: string): CfnEntry | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((e) => e.key === key);
}

export function child(node: CfnNode | undefined, key: string): CfnNode | undefined {
  return entry(node, key)?.value;
}

/** A single-key map `{ "Ref": ... }` / `{ "Fn::Sub": ... }` is the long form of an intrinsic function. */
export function asFunction(entries: CfnEntry[], span: Span): CfnNode | undefined {
  if (entries.length !== 1) return undefined;
  const only = entries[0] as CfnEntry;
  if (only.key === 'Ref' || only.key.startsWith('Fn::')) return { kind: 'fn', name: only.key, arg: only.value, span };
  return undefined;
}

/** `!Ref` -> `Ref`, `!GetAtt` -> `Fn::GetAtt`: the YAML short form's name in the JSON spelling. */
export function functionNameForTag(tag: string): string {
  const bare = tag.replace(/^!/, '');
  return bare === 'Ref' || bare === 'Condition' ? bare : `Fn::${bare}`;
}

/** The short-form tags CloudFormation accepts in YAML. */
export const INTRINSIC_TAGS = [
  '!Ref', '!Condition', '!Base64', '!Cidr', '!FindInMap', '!GetAtt', '!GetAZs', '!ImportValue', '!Join',
  '!Select', '!Split', '!Sub', '!Transform', '!And', '!Equals', '!If', '!Not', '!Or', '!Length', '!ToJsonString',
] as const;
