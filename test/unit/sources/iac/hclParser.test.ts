import * as assert from 'node:assert/strict';
import type { HclExpr, HclTemplatePart } from '../../../../src/sources/iac/hcl/ast';
import { parseHcl } from '../../../../src/sources/iac/hcl/parser';

function attributes(text: string): Record<string, HclExpr> {
  const parsed = parseHcl(text);
  if (!parsed.ok) throw new Error(`${parsed.message} at ${parsed.offset}`);
  return Object.fromEntries(parsed.body.attributes.map((a) => [a.name, a.value]));
}

describe('IaC: HCL parser', () => {
  it('reads literals, lists, objects, references and calls, and keeps complex expressions as text', () => {
    const a = attributes([
      'n = 3306',
      'neg = -1',
      'f = 1.5e3',
      's = "a\\"b\\n\\u00e9"',
      'b = true',
      'z = null',
      'list = ["x",',
      '  2, ]',
      'obj = { a = 1, "b": "two"',
      '  c = [true] }',
      'ref = aws_security_group.db.id',
      'idx = var.cidrs[0]',
      'call = concat(["a"], var.b)',
      'cond = var.prod ? "10.0.0.0/8" : "0.0.0.0/0"',
      'forx = [for s in var.list : s.id]',
      'tmpl = "db-${var.env}-${lookup(var.m, "k")}"',
      'splat = aws_instance.x[*].id',
      'esc = "$${literal}"',
    ].join('\n'));
    assert.deepEqual(a.n, { type: 'literal', value: 3306, span: { start: 4, end: 8 } });
    assert.equal((a.neg as { value: number }).value, -1);
    assert.equal((a.f as { value: number }).value, 1500);
    assert.equal((a.s as { value: string }).value, 'a"b\né');
    assert.equal((a.b as { value: boolean }).value, true);
    assert.equal((a.z as { value: null }).value, null);
    assert.deepEqual((a.list as { items: HclExpr[] }).items.map((i) => (i as { value: unknown }).value), ['x', 2]);
    assert.deepEqual((a.obj as { items: { key: string }[] }).items.map((i) => i.key), ['a', 'b', 'c']);
    assert.deepEqual(a.ref && a.ref.type === 'traversal' ? a.ref.parts : undefined, ['aws_security_group', 'db', 'id']);
    assert.deepEqual(a.idx && a.idx.type === 'traversal' ? a.idx.parts : undefined, ['var', 'cidrs', 0]);
    assert.equal(a.call?.type, 'call');
    assert.equal(a.cond?.type, 'conditional');
    assert.equal(a.forx?.type, 'for');
    assert.deepEqual(a.tmpl && a.tmpl.type === 'template' ? a.tmpl.parts.map((p) => p.kind) : undefined, ['literal', 'interpolation', 'literal', 'interpolation']);
    assert.equal(a.splat?.type, 'splat');
    assert.deepEqual(a.esc && a.esc.type === 'literal' ? a.esc.value : undefined, '${literal}');
  });

  it('reads blocks with labels, one-line blocks, all three comment styles and heredocs', () => {
    const text = [
      '# hash comment',
      'resource "aws_security_group" "db" { // slash comment',
      '  /* block',
      '     comment */',
      '  ingress { from_port = 5432 }',
      '  policy = <<-EOT',
      '    {"a": "${var.x}"}',
      '    EOT',
      '  plain = <<EOF',
      'text',
      'EOF',
      '}',
    ].join('\r\n');
    const parsed = parseHcl(text);
    assert.ok(parsed.ok);
    const block = parsed.body.blocks[0];
    assert.equal(block?.type, 'resource');
    assert.deepEqual(block?.labels, ['aws_security_group', 'db']);
    assert.equal(block?.body.blocks[0]?.type, 'ingress');
    assert.equal(block?.body.blocks[0]?.body.attributes[0]?.name, 'from_port');
    const policy = block?.body.attributes.find((x) => x.name === 'policy')?.value;
    assert.deepEqual(policy && policy.type === 'template' ? policy.parts.map((p) => (p.kind === 'literal' ? p.value : p.kind)) : undefined, ['{"a": "', 'interpolation', '"}\n']);
    const plain = block?.body.attributes.find((x) => x.name === 'plain')?.value;
    assert.deepEqual(plain && plain.type === 'literal' ? plain.value : undefined, 'text\n');
    assert.deepEqual(block?.span, { start: text.indexOf('resource'), end: text.length });
  });

  it('keeps the structure of every expression form', () => {
    const a = attributes([
      'f = [for i, v in var.l : v.id if i > 0]',
      'g = { for v in var.l : v.k => v... }',
      'full = x[*].a[0]',
      'attr = x.*.a[0]',
      'call = max(var.ports...)',
      'keys = { plain = 1, "str" = 2, "t/${x}" = 3, (k) = 4, f(x) = 5, 6 = 6 }',
      'dir = "%{ if c }a%{ else }b%{ endif }%{ for k, v in m ~} ${v} %{~ endfor }"',
      'op = 1 + 2 * 3 == 7 || !x',
      'rel = f(x).id',
      'idx = x[var.i]',
    ].join('\n'));
    const f = a.f as Extract<HclExpr, { type: 'for' }>;
    assert.deepEqual([f.collectionKind, f.keyVar, f.valueVar, f.condition?.type, f.group], ['tuple', 'i', 'v', 'binary', false]);
    const g = a.g as Extract<HclExpr, { type: 'for' }>;
    assert.deepEqual([g.collectionKind, g.key?.type, g.group], ['object', 'traversal', true]);
    const full = a.full as Extract<HclExpr, { type: 'splat' }>;
    assert.deepEqual([full.splat, full.each.map((s) => s.kind)], ['full', ['attr', 'index']]);
    // The attribute-only splat stops at the index, which applies to the list it makes.
    const attr = a.attr as Extract<HclExpr, { type: 'relative' }>;
    assert.deepEqual([attr.type, attr.source.type, (attr.source as Extract<HclExpr, { type: 'splat' }>).splat], ['relative', 'splat', 'attr']);
    assert.equal((a.call as Extract<HclExpr, { type: 'call' }>).expandFinal, true);
    const keys = (a.keys as Extract<HclExpr, { type: 'object' }>).items;
    assert.deepEqual(keys.map((i) => [i.key, i.keyExpr.type]), [['plain', 'traversal'], ['str', 'literal'], [undefined, 'template'], [undefined, 'parens'], [undefined, 'call'], ['6', 'literal']]);
    const dir = a.dir as Extract<HclExpr, { type: 'template' }>;
    assert.deepEqual(dir.parts.map((p) => p.kind), ['if', 'for']);
    const loop = dir.parts[1] as Extract<HclTemplatePart, { kind: 'for' }>;
    assert.deepEqual(loop.body.map((p) => (p.kind === 'literal' ? JSON.stringify(p.value) : p.kind)), ['interpolation'], 'the strip markers removed the spaces around ${v}');
    const op = a.op as Extract<HclExpr, { type: 'binary' }>;
    assert.equal(op.operator, '||');
    assert.equal((op.left as Extract<HclExpr, { type: 'binary' }>).operator, '==');
    assert.equal(a.rel?.type, 'relative');
    assert.equal(a.idx?.type, 'relative');
  });

  it('keeps comments with their offsets, and the braces of blocks', () => {
    const text = '# one\nb "x" { // two\n  /* three */ a = 1\n}\n';
    const parsed = parseHcl(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.comments.map((c) => c.text), ['# one', '// two', '/* three */']);
    assert.equal(parsed.comments[1]?.span.start, text.indexOf('// two'));
    const block = parsed.body.blocks[0]!;
    assert.deepEqual([text.slice(block.openBrace.start, block.openBrace.end), text.slice(block.closeBrace.start, block.closeBrace.end)], ['{', '}']);
    assert.deepEqual(block.labelSpans.map((s) => text.slice(s.start, s.end)), ['"x"']);
  });

  it('reports the offset of the first syntax error', () => {
    const cases: [string, string, number][] = [
      ['a = \n', 'expected a value but found a new line', 4],
      ['a = "open\n', 'unterminated string', 4],
      ['block {\n a = 1\n', "expected '}' but found the end of the file", 15],
      ['a = [1, 2\n', "expected ',' or ']' but found the end of the file", 10],
      ['a = 1 @', 'unexpected character "@"', 6],
      ['a = <<EOT\nnever closed\n', 'heredoc <<EOT has no closing EOT line', 4],
      ['/* open', 'unterminated /* comment', 0],
      ['a = 1 b = 2', "expected a new line but found 'b'", 6],
      ['= 1', "expected an attribute name or a block type but found '='", 0],
      ['a = (1 + 2', "'(' is never closed", 4],
      ['a = 1\na = 2', 'the argument "a" is already set on line 1; each argument may be set only once', 6],
      ['b { x = 1, y = 2 }', "a one-line block holds at most one argument; put each on its own line (found ',')", 9],
      ['a = "%{ if x }y"', '%{ if } is never closed by %{ endif }', 5],
      ['a = "${x"', 'unterminated string', 8],
      ['a = "${x}', 'unterminated string', 4],
      ['a = f(x..., y)', "'...' expands the last argument only: expected ')'", 10],
      ['b "${x}" {}', 'a block label must be a plain string, without ${...} or %{...}', 2],
    ];
    for (const [text, message, offset] of cases) {
      assert.deepEqual(parseHcl(text), { ok: false, offset, message }, JSON.stringify(text));
    }
  });

  it('refuses hostile nesting with an error instead of exhausting the stack', () => {
    for (const text of [`a = ${'['.repeat(5000)}`, `${'a {\n'.repeat(5000)}`, `a = ${'"${'.repeat(3000)}`, `a = ${'f('.repeat(5000)}`]) {
      const parsed = parseHcl(text);
      assert.equal(parsed.ok, false);
    }
  });
});
