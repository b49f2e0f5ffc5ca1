import * as assert from 'node:assert/strict';
import type { HclExpr } from '../../../../src/sources/iac/hcl/ast';
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
    assert.deepEqual(a.cond && a.cond.type === 'opaque' ? a.cond.text : undefined, 'var.prod ? "10.0.0.0/8" : "0.0.0.0/0"');
    assert.equal(a.forx?.type, 'opaque');
    assert.deepEqual(a.tmpl && a.tmpl.type === 'template' ? a.tmpl.text : undefined, 'db-${var.env}-${lookup(var.m, "k")}');
    assert.equal(a.splat?.type, 'opaque');
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
    assert.deepEqual(policy && policy.type === 'template' ? policy.text : undefined, '{"a": "${var.x}"}\n');
    const plain = block?.body.attributes.find((x) => x.name === 'plain')?.value;
    assert.deepEqual(plain && plain.type === 'literal' ? plain.value : undefined, 'text\n');
    assert.deepEqual(block?.span, { start: text.indexOf('resource'), end: text.length });
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
