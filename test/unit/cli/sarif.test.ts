import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { JsonReport } from '../../../src/cli/report/json';
import { DEMO_CONFIG, REPO, runCli } from './runCli';

/** The parts of a SARIF log these tests read. */
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; helpUri: string; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: { SRCROOT: { uri: string } };
    invocations: { executionSuccessful: boolean }[];
    results: {
      ruleId: string; ruleIndex: number; level: string; message: { text: string };
      partialFingerprints: Record<string, string>; suppressions?: unknown[];
      locations: { physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
    }[];
  }[];
}

const LEVELS: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

describe('aurora-sg audit --format sarif', () => {
  let sarif: SarifLog;
  let json: JsonReport;
  before(async () => {
    const args = ['audit', '--evidence', 'samples/demo-account', '--config', DEMO_CONFIG];
    sarif = JSON.parse((await runCli([...args, '--format', 'sarif'])).stdout);
    json = JSON.parse((await runCli([...args, '--format', 'json'])).stdout);
  });

  it('is a SARIF 2.1.0 log with the rule catalog in tool.driver.rules', () => {
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const driver = sarif.runs[0]!.tool.driver;
    assert.equal(driver.name, 'aurora-sg');
    assert.deepEqual(driver.rules.map((r) => r.id), ['AURSG-001', 'AURSG-002', 'AURSG-003', 'AURSG-004', 'AURSG-005', 'AURSG-006', 'AURSG-007', 'AURSG-008', 'AURSG-009', 'AURSG-010', 'AURSG-011']);
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text && rule.help.markdown, rule.id);
      assert.match(rule.helpUri, /^https:\/\//);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.equal(sarif.runs[0]!.invocations[0].executionSuccessful, true);
  });

  it('has one result per finding, with the rule, the level of its severity and its stable id', () => {
    const results = sarif.runs[0]!.results;
    assert.equal(results.length, json.findings.length);
    const rules = sarif.runs[0]!.tool.driver.rules;
    results.forEach((result, i) => {
      const finding = json.findings[i]!;
      assert.equal(result.ruleId, finding.ruleId);
      assert.equal(rules[result.ruleIndex]!.id, result.ruleId);
      assert.equal(result.level, LEVELS[finding.severity]);
      assert.equal(result.message.text, finding.message);
      assert.equal(result.partialFingerprints['auroraSgFindingId/v1'], finding.id);
      assert.equal(!!result.suppressions, finding.suppressed);
    });
  });

  it('locates each result at the offending rule in the evidence file (one-based line and column)', () => {
    const base = sarif.runs[0]!.originalUriBaseIds.SRCROOT.uri;
    assert.equal(base, `file://${REPO}/`);
    let checked = 0;
    for (const [i, result] of sarif.runs[0]!.results.entries()) {
      const physical = result.locations[0]!.physicalLocation;
      assert.ok(physical, `result ${i} has a physical location`);
      assert.equal(physical.artifactLocation.uriBaseId, 'SRCROOT');
      assert.match(physical.artifactLocation.uri, /^samples\/demo-account\/describe-[a-z-]+\.json$/);
      const lines = readFileSync(path.join(REPO, physical.artifactLocation.uri), 'utf8').split('\n');
      const { startLine, startColumn, endLine, endColumn } = physical.region;
      assert.equal(lines[startLine - 1]![startColumn - 1], '{', 'the region starts at the JSON object');
      assert.equal(lines[endLine - 1]![endColumn - 2], '}', 'and ends just after its closing brace');
      const finding = json.findings[i]!;
      const node = JSON.parse([lines[startLine - 1]!.slice(startColumn - 1), ...lines.slice(startLine, endLine - 1), lines[endLine - 1]!.slice(0, endColumn - 1)].join('\n'));
      if (finding.source && physical.artifactLocation.uri.endsWith('describe-security-groups.json')) {
        assert.equal(node.CidrIp ?? node.CidrIpv6 ?? node.PrefixListId ?? node.GroupId, finding.source.value, finding.id);
        checked++;
      } else if (finding.instanceId && !finding.source) {
        assert.equal(node.DBInstanceIdentifier, finding.instanceId);
      }
    }
    assert.ok(checked > 10);
  });
});
