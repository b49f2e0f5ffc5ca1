// Terraform's JSON syntax (.tf.json, as CDK for Terraform writes it) reads to the same verdicts as
// the native syntax: each Terraform file of the samples and the corpus, turned into JSON by
// HashiCorp's own parser (@cdktf/hcl2json, the dev-only oracle), gives the same groups, rules,
// clusters and findings as the .tf itself; diagnostics sit on the JSON text.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as hclToJson } from '@cdktf/hcl2json';
import fc from 'fast-check';
import type { Inventory } from '../../../../src/model/types';
import { auditInventory, defaultSettings } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { iacCodeFixes, suppressionFix } from '../../../../src/sources/iac/fixes';
import { auroraTerraform, expressions, type GeneratedRule } from './hclGenerators';
import { describeRule, lineOf, noteMessages } from './helpers';

const ROOT = path.join(__dirname, '../../../..');
const CORPUS = 'test/fixtures/hcl-corpus';
const NATIVE_FILES = ['samples/iac/aurora.tf', 'test/fixtures/iac/public-instance.tf', 'test/fixtures/iac/acl-guarded.tf', ...readdirSync(path.join(ROOT, CORPUS)).filter((f) => f.endsWith('.tf')).sort().map((f) => `${CORPUS}/${f}`)];

/** What a user reads of an inventory: each group's rules, each cluster's groups and port, each instance's exposure, and the findings. */
function verdicts(inventory: Inventory): unknown {
  return {
    groups: inventory.securityGroups.map((g) => `${g.groupId} ${g.groupName}: ${g.rules.map(describeRule).sort().join(', ')}`).sort(),
    clusters: inventory.clusters.map((c) => `${c.clusterId} ${c.port} ${c.securityGroupIds.join(',')}`).sort(),
    instances: inventory.instances.map((i) => `${i.instanceId} ${i.publiclyAccessible}`).sort(),
    findings: auditInventory(inventory).map((f) => `${f.ruleId} ${f.groupId ?? ''} ${f.clusterId ?? ''} ${f.instanceId ?? ''} ${f.rule ? describeRule(f.rule) : ''}`).sort(),
  };
}

describe('IaC: Terraform JSON syntax (.tf.json)', () => {
  for (const file of NATIVE_FILES) {
    it(`${path.basename(file)} as HashiCorp's parser writes it in JSON gives the same verdicts as the .tf`, async () => {
      const native = readFileSync(path.join(ROOT, file), 'utf8');
      const json = JSON.stringify(await hclToJson(path.basename(file), native), null, 2);
      const fromNative = loadIacFile(`/infra/${path.basename(file)}`, native);
      const fromJson = loadIacFile(`/infra/${path.basename(file)}.json`, json);
      assert.deepEqual(noteMessages(fromJson).filter((m) => /not valid|could not be read/.test(m)), [], 'the JSON is read');
      assert.deepEqual(verdicts(fromJson), verdicts(fromNative));
    });
  }

  it('property: generated Terraform (rules of every expression form, a cluster, a public instance) gives the same verdicts in both syntaxes', async function () {
    this.timeout(120000);
    const exprs = expressions(2);
    const rule: fc.Arbitrary<GeneratedRule> = fc.tuple(
      fc.constantFrom('"tcp"', '"-1"', '"6"', 'var.p', 'local.proto'), fc.constantFrom('5432', '0', '3306', 'local.port', 'var.port'),
      fc.oneof(fc.constantFrom('["0.0.0.0/0"]', '["0.0.0.0/0", "10.0.0.0/8"]', '["::/0"]', 'var.c', '[var.c, "81.2.69.0/24"]', '["${var.c}"]', 'concat(var.cs, ["10.1.0.0/16"])'), exprs.expr),
    );
    const file = auroraTerraform(rule, exprs);
    let compared = 0;
    await fc.assert(fc.asyncProperty(file, async (text) => {
      let json: string;
      try {
        json = JSON.stringify(await hclToJson('gen.tf', text));
      } catch {
        return; // not valid HCL for HashiCorp's parser: nothing to compare
      }
      compared++;
      assert.deepEqual(verdicts(loadIacFile('/p/gen.tf.json', json)), verdicts(loadIacFile('/p/gen.tf', text)), json);
    }), { numRuns: 150, seed: 20261201 });
    assert.ok(compared >= 100, `${compared} of 150 generated files compared`);
  });

  // The shape `cdktf synth` writes: "//" metadata, references as "${...}", a block written once as an object.
  const synthesized = JSON.stringify({
    '//': { metadata: { backend: 'local', stackName: 'payments', version: '0.20.0' } },
    variable: { office: { default: ['81.2.69.0/24'], type: 'list(string)' } },
    locals: { db_port: 5432 },
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_security_group: {
        db: {
          '//': { metadata: { path: 'payments/db', uniqueId: 'db' } },
          name: 'payments-db', vpc_id: 'vpc-0123456789abcdef0',
          ingress: { from_port: '${local.db_port}', to_port: '${local.db_port}', protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
          dynamic: { ingress: { for_each: '${var.office}', content: { from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['${ingress.value}'] } } },
        },
      },
      aws_rds_cluster: {
        payments: { cluster_identifier: 'payments', engine: 'aurora-postgresql', vpc_security_group_ids: ['${aws_security_group.db.id}'] },
      },
    },
    module: { network: { source: './network' } },
  }, null, 2);

  it('reads what cdktf synth writes: metadata comments, references, a single block object, dynamic blocks, locals and variables', () => {
    const inventory = loadIacFile('/stacks/payments/cdk.tf.json', synthesized);
    const group = inventory.securityGroups.find((g) => g.groupId === 'aws_security_group.db')!;
    assert.deepEqual(group.rules.map(describeRule).sort(), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0', 'ingress tcp 5432-5432 cidr4:81.2.69.0/24']);
    assert.deepEqual(inventory.clusters.map((c) => [c.clusterId, c.port, c.securityGroupIds]), [['payments', 5432, ['aws_security_group.db']]]);
    assert.ok(noteMessages(inventory).some((m) => /module\.network.*not followed/.test(m)), 'the module is named, as in a .tf');
    const open = auditInventory(inventory).find((f) => f.ruleId === 'AURSG-001')!;
    assert.equal(open.rule?.source.value, '0.0.0.0/0');
    assert.equal(open.rule?.parts?.source?.start.line, lineOf(synthesized, '"0.0.0.0/0"'), 'the squiggle sits on the JSON line of the CIDR');
    assert.equal(open.rule?.location?.start.line, lineOf(synthesized, '"ingress": {'), 'the rule is the ingress object');
  });

  it('offers no code fix in a generated file, saying where to fix it, and no comment suppression (JSON has none)', () => {
    const file = '/stacks/payments/cdk.tf.json';
    const finding = auditInventory(loadIacFile(file, synthesized)).find((f) => f.ruleId === 'AURSG-001')!;
    const list = iacCodeFixes({ file, text: synthesized, settings: defaultSettings() }, finding.id);
    assert.ok(!('why' in list));
    assert.deepEqual(list.fixes, []);
    assert.ok(list.refused.every((r) => /\.tf\.json file is generated .*fix the code that generates it/.test(r.why)), JSON.stringify(list.refused));
    const suppression = suppressionFix({ file, text: synthesized, settings: defaultSettings() }, finding.id, 'accepted');
    assert.match((suppression as { why: string }).why, /JSON has no comments: suppress it in the settings/);
  });

  it('names the line of malformed JSON and of a broken template inside a string; nothing else breaks', () => {
    const broken = '{\n  "resource": {\n    "aws_security_group": {\n      "db": { "name": "x", }\n    }\n  }\n}\n';
    const bad = loadIacFile('/infra/main.tf.json', broken);
    assert.equal(bad.notes.length, 1);
    assert.match(bad.notes[0]!.message, /Terraform JSON.*line 4/);
    const template = '{\n  "resource": {\n    "aws_security_group": {\n      "db": {\n        "name": "${var.name"\n      }\n    }\n  }\n}\n';
    const unclosed = loadIacFile('/infra/main.tf.json', template);
    assert.match(unclosed.notes[0]!.message, /line 5/);
    const notObject = loadIacFile('/infra/main.tf.json', '[1, 2]');
    assert.match(notObject.notes[0]!.message, /one JSON object/);
    const deep = loadIacFile('/infra/main.tf.json', `{"locals": {"x": ${'['.repeat(100000)}`);
    assert.match(deep.notes[0]!.message, /Terraform JSON.*nesting deeper than 200 levels/, 'hostile nesting is named, not a stack overflow');
  });

  it('takes the arrays of objects the syntax allows where a key repeats', () => {
    const text = JSON.stringify({ resource: [
      { aws_security_group: { a: { ingress: [{ from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } },
      { aws_security_group: [{ b: { ingress: [{ from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] }] } }] },
    ] });
    assert.deepEqual(loadIacFile('/infra/main.tf.json', text).securityGroups.map((g) => `${g.groupId}: ${g.rules.map(describeRule).join(', ')}`), [
      'aws_security_group.a: ingress tcp 5432-5432 cidr4:0.0.0.0/0', 'aws_security_group.b: ingress tcp 5432-5432 cidr4:10.0.0.0/8',
    ]);
  });
});
