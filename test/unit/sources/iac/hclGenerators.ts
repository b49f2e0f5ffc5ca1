// fast-check generators of HCL native syntax text: every expression form of the spec, with
// the spellings that trip parsers (non-ASCII names, escapes, strip markers, heredocs, `...`,
// keys of every kind, new lines inside brackets). Used by the differential test against
// HashiCorp's parser and by the "never throws" properties.

import fc from 'fast-check';

/** Names that are not keywords anywhere: keywords (for, in, if, true, false, null) have their own cases. */
export const identifier = fc.constantFrom('a', 'b_c', 'x-y', 'vpc_id', 'région', 'name2', '_u', 'Δelta', 'データ', 'var', 'local', 'aws_security_group', 'each', 'count');

const space = fc.constantFrom('', ' ', '  ');
/** Inside brackets, parentheses and calls new lines mean nothing. */
const looseSpace = fc.constantFrom('', ' ', '\n', ' \n  ', '\t');

const number = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('e', 'E', 'e+', 'e-'), fc.integer({ min: 0, max: 20 })).map(([a, e, b]) => `${a}${e}${b}`),
);

/** Text inside a quoted string, with escapes; no bare $ or % that could touch a following ${. */
const quotedText = fc.array(fc.oneof(
  fc.constantFrom('a', 'Z', '0', ' ', '.', '/', ':', '-', '_', ',', 'é', '✓', '東'),
  fc.constantFrom('\\n', '\\t', '\\"', '\\\\', '\\u00e9', '\\U0001F600', '$${', '%%{', 'e\u0301', '\\u0065\\u0301'),
), { maxLength: 8 }).map((parts) => parts.join(''));

const stringLiteral = fc.oneof(quotedText, fc.constantFrom('$', '100%', '$5')).map((t) => `"${t}"`);

export interface ExpressionArbitraries { expr: fc.Arbitrary<string>; template: fc.Arbitrary<string> }

export function expressions(maxDepth = 3): ExpressionArbitraries {
  const built = fc.letrec<{ expr: string; term: string; template: string; templatePart: string; key: string; collection: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('term'),
      fc.tuple(tie('term'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||'), tie('term')).map(([a, op, b]) => `${a} ${op} ${b}`),
      fc.tuple(tie('term'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    ),
    term: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      number,
      fc.constantFrom('true', 'false', 'null'),
      stringLiteral,
      fc.tuple(identifier, fc.array(fc.oneof(
        identifier.map((n) => `.${n}`),
        fc.integer({ min: 0, max: 9 }).map((n) => `[${n}]`),
        fc.integer({ min: 0, max: 9 }).map((n) => `.${n}`),
        quotedText.map((t) => `["${t}"]`),
      ), { maxLength: 3 })).map(([root, steps]) => root + steps.join(''))
        // x.0.1 is the number 0.1 after a dot: HCL forbids chaining the legacy index.
        .filter((t) => !/\.\d+\.\d/.test(t)),
      fc.tuple(fc.constantFrom('concat', 'max', 'format', 'lookup', 'provider::aws::arn_parse', 'try'), fc.array(tie('expr'), { maxLength: 3 }), fc.constantFrom('', ',', '...'), looseSpace)
        .map(([name, args, tail, ws]) => `${name}(${ws}${args.join(`,${ws}`)}${args.length ? tail : ''}${ws})`),
      fc.tuple(fc.array(tie('expr'), { maxLength: 3 }), fc.boolean(), looseSpace).map(([items, trailing, ws]) => `[${ws}${items.join(`,${ws}`)}${trailing && items.length ? ',' : ''}${ws}]`),
      fc.tuple(fc.array(fc.tuple(tie('key'), fc.constantFrom('=', ':'), tie('expr')), { maxLength: 3 }), fc.constantFrom(', ', '\n', ',\n')).map(([items, separator]) =>
        (items.length ? `{${separator === ', ' ? ' ' : '\n'}${items.map(([k, s, v]) => `${k} ${s} ${v}`).join(separator)}${separator === ', ' ? ' ' : '\n'}}` : '{}')),
      tie('template'),
      fc.tuple(fc.constantFrom('-', '!'), fc.oneof(identifier.map((n) => `var.${n}`), tie('collection'))).map(([op, operand]) => `${op}${operand}`),
      fc.tuple(tie('expr'), looseSpace).map(([e, ws]) => `(${ws}${e}${ws})`),
      fc.tuple(fc.option(identifier), identifier, tie('collection'), tie('expr'), fc.option(tie('expr')), looseSpace).map(([k, v, coll, value, cond, ws]) =>
        `[${ws}for ${k ? `${k}, ` : ''}${v} in ${coll} :${ws}${value}${cond ? ` if ${cond}` : ''}${ws}]`),
      fc.tuple(fc.option(identifier), identifier, tie('collection'), tie('term'), tie('expr'), fc.boolean(), fc.option(tie('expr'))).map(([k, v, coll, key, value, group, cond]) =>
        `{ for ${k ? `${k}, ` : ''}${v} in ${coll} : ${key} => ${value}${group ? '...' : ''}${cond ? ` if ${cond}` : ''} }`),
      fc.tuple(tie('collection'), fc.constantFrom('[*]', '.*'), fc.array(identifier.map((n) => `.${n}`), { maxLength: 2 }), fc.constantFrom('', '[0]')).map(([c, s, steps, index]) => `${c}${s}${steps.join('')}${s === '[*]' ? index : ''}`),
      fc.tuple(tie('collection'), tie('expr')).map(([c, key]) => `${c}[${key}]`),
    ),
    collection: fc.oneof(
      identifier.map((n) => `var.${n}`),
      fc.tuple(identifier, identifier).map(([a, b]) => `local.${a}.${b}`),
      fc.constantFrom('[1, 2]', '{ a = 1 }', 'tolist(var.s)', '(var.x)'),
    ),
    key: fc.oneof(
      identifier,
      stringLiteral,
      fc.integer({ min: 0, max: 99 }).map(String),
      tie('template'),
      tie('collection').map((c) => `(${c})`),
      fc.tuple(identifier, identifier).map(([a, b]) => `format("${a}", var.${b})`),
      fc.tuple(identifier, identifier).map(([a, b]) => `${a}.${b}`),
    ),
    template: fc.array(tie('templatePart'), { minLength: 1, maxLength: 4 }).map((parts) => `"${parts.join('')}"`),
    templatePart: fc.oneof(
      quotedText.filter((t) => t !== ''),
      fc.tuple(fc.constantFrom('${', '${~'), tie('expr'), fc.constantFrom('}', '~}'), space).map(([open, e, close, ws]) => `${open}${ws}${e}${ws}${close}`),
      fc.tuple(tie('expr'), quotedText, fc.option(quotedText), fc.boolean()).map(([c, a, b, strip]) =>
        `%{${strip ? '~' : ''} if ${c} }${a}${b !== null ? `%{ else ${strip ? '~' : ''}}${b}` : ''}%{ endif }`),
      fc.tuple(fc.option(identifier), identifier, tie('collection'), quotedText, fc.boolean()).map(([k, v, c, body, strip]) =>
        `%{ for ${k ? `${k}, ` : ''}${v} in ${c} ${strip ? '~' : ''}}${body}\${${v}}%{${strip ? '~' : ''} endfor }`),
    ),
  }));
  return { expr: built.expr, template: built.template };
}

/** Heredoc lines: text, interpolations and directives, indented or not. */
export const heredoc = fc.tuple(
  fc.boolean(),
  fc.array(fc.tuple(
    fc.constantFrom('', '  ', '    ', '\t', '      '),
    fc.array(fc.oneof(
      fc.constantFrom('text', 'key: value', '{"a": 1}', '#not a comment', ' ', 'é'),
      identifier.map((n) => `\${var.${n}}`),
      fc.constantFrom('%{ if var.x }yes%{ endif }', '%{ if var.x ~} y %{~ else } n %{ endif }', '$${literal}', '%%{x}'),
    ), { maxLength: 3 }),
  ), { maxLength: 5 }),
  fc.constantFrom('EOT', 'POLICY', 'END-X'),
  fc.constantFrom('none', 'around', 'around-indented'),
).map(([indent, lines, marker, loop]) => {
  const texts = lines.map(([lead, parts]) => `${lead}${parts.join(' ')}`).filter((l) => l.trim() !== marker);
  // A for directive around the lines, as templates for config files write it.
  if (loop !== 'none' && texts.length) {
    const lead = loop === 'around-indented' ? '  ' : '';
    texts.unshift(`${lead}%{ for v in var.l ~}`);
    texts.push(`${lead}%{~ endfor }`);
  }
  const body = texts.join('\n');
  return `<<${indent ? '-' : ''}${marker}\n${body}${texts.length ? '\n' : ''}${indent ? '  ' : ''}${marker}`;
});

/** A file of attributes (some in blocks) whose values are generated expressions. */
export function configuration(exprs: ExpressionArbitraries): fc.Arbitrary<string> {
  const value = fc.oneof({ weight: 5, arbitrary: exprs.expr }, { weight: 1, arbitrary: heredoc });
  const attributes = fc.array(value, { minLength: 1, maxLength: 4 }).map((values) => values.map((v, i) => `attr_${i} = ${v}\n`).join(''));
  return fc.tuple(attributes, fc.option(fc.tuple(identifier, fc.constantFrom('', ' "label"', ' "a" b'), attributes))).map(([top, block]) =>
    top + (block ? `${block[0]}${block[1]} {\n${block[2]}}\n` : ''));
}

/** One ingress block's protocol, from_port and cidr_blocks, as Terraform text. */
export type GeneratedRule = [protocol: string, fromPort: string, cidrs: string];

/**
 * A Terraform file with one group of generated ingress rules (to_port 5432), an Aurora cluster
 * in it, an instance public or not, the variables and locals the rules may name, and generated
 * attributes after it: the input of the property tests over IaC readers and fixers.
 */
export function auroraTerraform(rule: fc.Arbitrary<GeneratedRule>, exprs: ExpressionArbitraries): fc.Arbitrary<string> {
  return fc.tuple(fc.array(rule, { minLength: 1, maxLength: 3 }), fc.boolean(), configuration(exprs)).map(([rules, public_, extra]) => `locals {
  port  = 5432
  proto = "tcp"
}
variable "c" { default = "0.0.0.0/0" }
variable "cs" { default = ["81.2.69.0/24", "::/0"] }
variable "port" { default = 5432 }
variable "p" { default = "-1" }
resource "aws_security_group" "db" {
${rules.map(([p, port, cidrs]) => `  ingress {\n    protocol    = ${p}\n    from_port   = ${port}\n    to_port     = 5432\n    cidr_blocks = ${cidrs}\n  }\n`).join('')}}
resource "aws_rds_cluster" "c" {
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = [aws_security_group.db.id]
}
resource "aws_rds_cluster_instance" "i" {
  cluster_identifier  = aws_rds_cluster.c.id
  publicly_accessible = ${public_}
}
${extra}`);
}
