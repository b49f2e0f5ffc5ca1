import * as assert from 'node:assert/strict';
import { parseHcl } from '../../../../src/sources/iac/hcl/parser';
import { evaluate, type EvaluateContext } from '../../../../src/sources/iac/terraform/evaluate';
import { formatNumber } from '../../../../src/sources/iac/terraform/values';

function value(expression: string, vars: Record<string, string> = {}): unknown {
  const text = `v = ${expression}\n${Object.entries(vars).map(([k, e]) => `${k} = ${e}`).join('\n')}\n`;
  const parsed = parseHcl(text);
  if (!parsed.ok) throw new Error(`${parsed.message} at ${parsed.offset} in ${text}`);
  const attributes = new Map(parsed.body.attributes.map((a) => [a.name, a.value]));
  const ctx: EvaluateContext = { source: text, variables: new Map([...attributes].filter(([k]) => k !== 'v')), locals: new Map(), resourceIds: new Map() };
  const r = evaluate(attributes.get('v')!, ctx);
  // Objects without a prototype compare like plain ones.
  return r.ok ? JSON.parse(JSON.stringify(r.value)) : { unknown: r.why, planTime: r.planTime === true };
}

describe('IaC: Terraform evaluator', () => {
  it('evaluates every expression form over known values', () => {
    const cases: [string, unknown][] = [
      ['1 + 2 * 3 - 4 / 2', 5], ['7 % 3', 1], ['-(2 + 3)', -5], ['!true || false', false], ['1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4', false],
      ['"a" == "a"', true], ['[1, 2] == [1, 2]', true], ['{ a = 1 } != { a = 2 }', true], ['"1" + 1', 2],
      ['true ? "yes" : "no"', 'yes'], ['false ? 1 : false ? 2 : 3', 3],
      ['[for x in [1, 2, 3] : x * 2 if x != 2]', [2, 6]], ['{ for k, v in { b = 1, a = 2 } : v => k }', { 1: 'b', 2: 'a' }],
      ['{ for s in ["x", "y", "x"] : s => s... }', { x: ['x', 'x'], y: ['y'] }], ['[for i, v in ["a", "b"] : i]', [0, 1]],
      ['[{ a = 1 }, { a = 2 }][*].a', [1, 2]], ['[{ a = [5] }][*].a[0]', [5]], ['{ a = 1 }.*.a', [1]], ['null[*]', []],
      ['"%{ for k, v in { x = 1, y = 2 } }${k}=${v};%{ endfor }"', 'x=1;y=2;'], ['"%{ if 1 > 2 }big%{ else }small%{ endif }"', 'small'],
      ['"${true}"', true], ['"n${1.5}"', 'n1.5'], ['"a ${~ "b" ~} c"', 'abc'], ['{ "k${1}" = 2 }', { k1: 2 }], ['({ a = [10, 20] }).a[1]', 20],
      ['max([3, 9, 1]...)', 9], ['concat([1], [2, 3])', [1, 2, 3]], ['join("-", ["a", "b"], ["c"])', 'a-b-c'], ['split(",", "a,b")', ['a', 'b']],
      ['format("%s:%d %q %%", "h", 5432, "x")', 'h:5432 "x" %'], ['lookup({ a = 1 }, "b", 0)', 0], ['element(["a", "b"], 3)', 'b'],
      ['flatten([[1], [[2]]])', [1, 2]], ['distinct([1, 1, 2])', [1, 2]], ['compact(["a", "", null])', ['a']], ['length({ a = 1, b = 2 })', 2],
      ['merge({ a = 1 }, { b = 2, a = 3 })', { a: 3, b: 2 }], ['keys({ b = 1, a = 2 })', ['a', 'b']], ['values({ b = 1, a = 2 })', [2, 1]],
      ['coalesce("", null, "x")', 'x'], ['try(var.nothing, "fallback")', { unknown: 'var.nothing is not declared in this file, so its value is known only at plan time', planTime: true }],
      ['try([][0], "fallback")', 'fallback'], ['can([][0])', false], ['can([1][0])', true], ['tostring(5432)', '5432'], ['tonumber("3306")', 3306],
      ['toset(["a", "a"])', ['a']], ['upper(trimspace("  db "))', 'DB'], ['replace("a-b-c", "-", "_")', 'a_b_c'], ['replace("v1.2", "/[0-9]/", "N")', 'vN.N'],
      ['substr("hello", 1, 3)', 'ell'], ['slice([1, 2, 3], 1, 3)', [2, 3]], ['range(3)', [0, 1, 2]], ['zipmap(["a"], [1])', { a: 1 }], ['contains(["x"], "x")', true],
      ['cidrsubnet("10.0.0.0/16", 8, 255)', '10.0.255.0/24'], ['cidrsubnet("2001:db8::/56", 8, 1)', '2001:db8:0:1::/64'], ['cidrhost("10.0.0.0/24", -2)', '10.0.0.254'],
      ['cidrnetmask("10.0.0.0/20")', '255.255.240.0'], ['cidrsubnets("10.0.0.0/16", 8, 8, 4)', ['10.0.0.0/24', '10.0.1.0/24', '10.0.16.0/20']],
      ['var.list[1]', 'b'], ['var.obj.k', 'v'], ['var.obj["k"]', 'v'], ['var.list.0', 'a'],
    ];
    const vars = { list: '["a", "b"]', obj: '{ k = "v" }' };
    for (const [expression, expected] of cases) assert.deepEqual(value(expression, vars), expected, expression);
  });

  it('says why a value is unknown or wrong, and marks what only the plan can know', () => {
    const cases: [string, RegExp, boolean][] = [
      ['var.undeclared', /var\.undeclared is not declared in this file/, true],
      ['aws_instance.web.private_ip', /aws_instance\.web\.private_ip is known only after terraform apply/, true],
      ['module.vpc.id', /is an output of another module/, true],
      ['count.index', /count\.index is known only when Terraform expands the resource/, true],
      ['timestamp()', /timestamp\(\) is left to Terraform/, true],
      ['[1][5]', /has no element 5/, false],
      ['1 + "x"', /\+ needs numbers, not a string/, false],
      ['"a" ? 1 : 2', /the condition `"a"` is a string, not a bool/, false],
      ['{ for v in ["a", "a"] : v => 1 }', /makes the key "a" twice/, false],
      ['"a${[1]}"', /\$\{\[1\]\} is a list, which a string cannot hold/, false],
      ['max("x"...)', /expands its last argument, which is a string, not a list/, false],
      ['cidrsubnet("10.0.0.0/30", 8, 1)', /30 \+ 8 bits is longer than an IPv4 address/, false],
      ['1 / 0', /division by zero/, false],
    ];
    for (const [expression, why, planTime] of cases) {
      const r = value(expression) as { unknown?: string; planTime?: boolean };
      assert.match(r.unknown ?? '(evaluated)', why, expression);
      assert.equal(r.planTime, planTime, `${expression}: plan time`);
    }
  });

  it('stops on a cycle between locals instead of overflowing the stack', () => {
    const text = 'locals {\n  a = local.b\n  b = local.a\n}\n';
    const parsed = parseHcl(text);
    assert.ok(parsed.ok);
    const locals = new Map(parsed.body.blocks[0]!.body.attributes.map((a) => [a.name, a.value]));
    const r = evaluate(locals.get('a')!, { source: text, variables: new Map(), locals, resourceIds: new Map() });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.why, /nest too deeply/);
  });

  it('prints numbers the way Terraform does, never with an exponent', () => {
    assert.deepEqual([1e-7, 1e21, -2.5e-3, 3306, 1.5, 123456789012345680000].map(formatNumber), ['0.0000001', '1000000000000000000000', '-0.0025', '3306', '1.5', '123456789012345680000']);
  });
});
