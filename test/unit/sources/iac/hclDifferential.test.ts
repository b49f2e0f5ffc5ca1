// The differential test: our HCL parser against HashiCorp's own (hashicorp/hcl through
// @cdktf/hcl2json, compiled to WASM; a devDependency used only here). Over a corpus of
// Terraform files covering every construct of the native syntax spec, over invalid snippets,
// and over generated configurations, both must see the same blocks, the same attributes and
// the same literal values, and reject the same files.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as oracleParse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { parseHcl } from '../../../../src/sources/iac/hcl/parser';
import { configuration, expressions } from './hclGenerators';
import { OracleShape } from './hclOracle';

const CORPUS = path.join(__dirname, '../../../fixtures/hcl-corpus');

type Outcome = { ok: true; json: string } | { ok: false; message: string };

/** Keys sorted at every level: the oracle's maps and ours need not list them in the same order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

async function oracle(text: string): Promise<Outcome> {
  try {
    return { ok: true, json: JSON.stringify(canonical(await oracleParse('corpus.tf', text))) };
  } catch (error) {
    return { ok: false, message: String(error) };
  }
}

function ours(text: string): Outcome {
  const parsed = parseHcl(text);
  if (!parsed.ok) return { ok: false, message: `${parsed.message} at ${parsed.offset}` };
  try {
    return { ok: true, json: JSON.stringify(canonical(new OracleShape(text).body(parsed.body))) };
  } catch (error) {
    // The oracle cannot render a block type used both with and without labels; neither can we.
    return { ok: false, message: String(error) };
  }
}

function agree(a: Outcome, b: Outcome): boolean {
  return a.ok === b.ok && (!a.ok || a.json === (b as { json: string }).json);
}

/** What the two sides said, for the failure message. */
function explain(text: string, theirs: Outcome, mine: Outcome): string {
  return `input:\n${text}\noracle: ${theirs.ok ? theirs.json : theirs.message}\nours:   ${mine.ok ? mine.json : mine.message}`;
}

const INVALID = [
  'a = ', 'a = "open', 'a = [1, 2', 'a = (1 + 2', 'a = { b = 1', 'b {\n a = 1\n', 'a = 1 b = 2', '= 1', 'a = <<EOT\nnever closed\n',
  '/* open', 'a = 1\na = 2', 'a = "${x"', 'a = "%{ if x }y"', 'a = "%{ endif }"', 'a = "%{ for v in l }x"', 'a = f(x..., y)', 'a = [for x in y]',
  'a = { for = 1 }', 'a = x.', 'a = x[]', 'b "${x}" {}', 'b { a = 1, c = 2 }', 'b { c {} }', 'a = "bad \\q escape"', 'a = 1 @ 2', 'a = x ? y',
  'a = { for k, v in m : k }', 'a = [for x in y : x if]', 'a = "a\nb"', 'a = ~', 'a = <<EOT x\nEOT\n', 'b "l" x { y = }', 'a = 1..2', 'a = .5',
  'a = 1\rb = 2', 'a = "\\uD83D"', 'a = "\\U00110000"',
];

describe('IaC: HCL parser against HashiCorp\'s (differential)', function () {
  this.timeout(120000);
  const figures = { files: 0, attributes: 0, invalid: 0, generated: 0, generatedValid: 0 };

  after(() => {
    // The figures the closing note reports; the assertions above already require full agreement.
    console.log(`      differential: ${figures.files} corpus files (${figures.attributes} attributes), ${figures.invalid} invalid snippets, `
      + `${figures.generated} generated configurations (${figures.generatedValid} valid for HashiCorp's parser): all agree`);
  });

  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.tf')).sort();

  it('keeps the oracle out of the product: a devDependency that nothing under src/ imports, and the VSIX does not list', () => {
    const root = path.join(__dirname, '../../../..');
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    assert.ok(manifest.devDependencies?.['@cdktf/hcl2json'], 'a devDependency');
    assert.equal(manifest.dependencies?.['@cdktf/hcl2json'], undefined);
    const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of sources(path.join(root, 'src'))) assert.doesNotMatch(readFileSync(file, 'utf8'), /hcl2json/, file);
    // The VSIX ships an allow-list; nothing under node_modules is on it.
    const allowed = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!'));
    assert.ok(allowed.every((l) => !l.includes('node_modules')), allowed.join(', '));
  });

  it('has a corpus that covers every construct of the native syntax spec', () => {
    const all = files.map((f) => readFileSync(path.join(CORPUS, f), 'utf8')).join('\n');
    const constructs: [string, RegExp][] = [
      ['numbers with exponents', /\d[eE][+-]?\d/], ['escapes', /\\u[0-9a-f]{4}|\\U[0-9A-F]{8}/], ['$${ and %%{', /\$\$\{.*%%\{/],
      ['one-line blocks', /^\s*\w+ \{ \w+ = .* \}$/m], ['bare labels', /^resource \w+ \w+ \{/m], ['object keys of every kind', /\(var\.dynamic_key\)\s*=/],
      ['template keys', /"kubernetes\.io\/cluster\/\$\{var\.name\}"\s*=/], ['function keys', /format\("k\/%s", var\.n\)\s*=/], ['number keys', /^\s*1\s+=/m],
      ['legacy index', /\.0\b/], ['operators', /\|\|.*&&/], ['unary', /!!/], ['conditional', /\?.*:/], ['for tuple', /\[for .* if /], ['for object grouping', /=> .*\.\.\./],
      ['full splat', /\[\*\]/], ['attribute splat', /\.\*\.\w+/], ['if directive', /%\{ if .*%\{ else \}/], ['for directive', /%\{ for \w+, \w+ in/], ['strip markers', /\$\{~|~\}/],
      ['heredoc', /<<EOT/], ['indented heredoc', /<<-EOT/], ['expansion', /\.\.\.\)/], ['provider functions', /provider::aws::/], ['non-ASCII identifiers', /región/],
      ['dynamic blocks', /dynamic "ingress"/], ['comments', /\/\*.*\*\//],
    ];
    for (const [name, pattern] of constructs) assert.match(all, pattern, name);
  });

  for (const file of files) {
    it(`reads ${file} exactly as HashiCorp's parser does`, async () => {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const [theirs, mine] = [await oracle(text), ours(text)];
      assert.ok(theirs.ok, `the corpus file must be valid HCL: ${theirs.ok ? '' : theirs.message}`);
      assert.ok(agree(theirs, mine), explain(text, theirs, mine));
      figures.files++;
      const parsed = parseHcl(text);
      if (parsed.ok) figures.attributes += countAttributes(parsed.body);
    });
  }

  it('rejects the invalid snippets HashiCorp\'s parser rejects, with a message and an offset', async () => {
    for (const text of INVALID) {
      const [theirs, mine] = [await oracle(text), ours(text)];
      assert.equal(theirs.ok, false, `HashiCorp's parser accepts ${JSON.stringify(text)}: drop it from the invalid list`);
      assert.ok(agree(theirs, mine), explain(text, theirs, mine));
      const parsed = parseHcl(text);
      if (!parsed.ok) assert.ok(parsed.offset >= 0 && parsed.offset <= text.length && parsed.message.length > 5, text);
      figures.invalid++;
    }
  });

  it('property: generated configurations of every expression form read the same on both sides', async () => {
    const config = configuration(expressions());
    await fc.assert(fc.asyncProperty(config, async (text) => {
      const [theirs, mine] = [await oracle(text), ours(text)];
      figures.generated++;
      if (theirs.ok) figures.generatedValid++;
      assert.ok(agree(theirs, mine), explain(text, theirs, mine));
    }), { numRuns: 1500 });
    // A generator that made mostly invalid text would prove little.
    assert.ok(figures.generatedValid > figures.generated * 0.9, `${figures.generatedValid} of ${figures.generated} generated files were valid`);
  });
});

function countAttributes(body: import('../../../../src/sources/iac/hcl/ast').HclBody): number {
  return body.attributes.length + body.blocks.reduce((n, b) => n + countAttributes(b.body), 0);
}
