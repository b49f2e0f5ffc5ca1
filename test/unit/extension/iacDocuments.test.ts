import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { looksAudited } from '../../../src/extension/core/documentKinds';

describe('extension: which open documents start the runtime (IaC)', () => {
  it('starts it for every IaC file the readers take, before the runtime is loaded', () => {
    const cases: [string, string, boolean][] = [
      ['/w/main.tf', 'resource "aws_default_security_group" "d" {}', true],
      ['/w/main.tf', 'resource aws_security_group bare {}', true],
      ['/w/modules.tf', 'module "db" {\n  source = "./db"\n}\n', true],
      ['/w/plan.json', '{"format_version":"1.2","planned_values":{"root_module":{}}}', true],
      ['/w/state.json', '{"format_version":"1.0","values":{"root_module":{}}}', true],
      ['/w/variables.tf', 'variable "x" {}', false],
      ['/w/package.json', '{"name":"x","values":[]}', false],
    ];
    for (const [file, text, expected] of cases) assert.equal(looksAudited('file', file, () => text), expected, `${file}: ${text}`);
  });
});

describe('extension: activation on IaC workspaces', () => {
  it('activates in a workspace with .tf files or CloudFormation templates, without any other extension', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { activationEvents: string[] };
    for (const event of ['workspaceContains:**/*.tf', 'workspaceContains:**/*.tf.json', 'workspaceContains:**/*.template', 'onLanguage:yaml', 'onLanguage:json']) assert.ok(manifest.activationEvents.includes(event), event);
  });
});
