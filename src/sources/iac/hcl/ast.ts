// The HCL syntax tree the Terraform reader walks. Expressions it can evaluate keep their
// structure; anything else (operators, conditionals, for expressions) is kept as text.

export interface HclSpan { start: number; end: number }

export type HclExpr =
  | { type: 'literal'; value: string | number | boolean | null; span: HclSpan }
  /** A string with ${...} or %{...} inside, kept as its text. */
  | { type: 'template'; text: string; span: HclSpan }
  /** A reference such as aws_security_group.db.id or var.cidrs[0]. */
  | { type: 'traversal'; parts: (string | number)[]; text: string; span: HclSpan }
  | { type: 'tuple'; items: HclExpr[]; span: HclSpan }
  | { type: 'object'; items: HclObjectItem[]; span: HclSpan }
  | { type: 'call'; name: string; args: HclExpr[]; span: HclSpan }
  | { type: 'opaque'; text: string; span: HclSpan };

export interface HclObjectItem { key: string; keySpan: HclSpan; value: HclExpr }

export interface HclAttribute { name: string; nameSpan: HclSpan; value: HclExpr; span: HclSpan }

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  /** From the block type to the closing brace. */
  span: HclSpan;
  typeSpan: HclSpan;
}

export interface HclBody { attributes: HclAttribute[]; blocks: HclBlock[] }

export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

export function blocksOf(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter((b) => b.type === type);
}
