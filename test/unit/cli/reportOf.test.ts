import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { reportOf } from '../../../src/cli/auditRun';
import { jsonReport } from '../../../src/cli/report/json';
import { auditInventory } from '../../../src/rules';
import { loadEvidenceFolder } from '../../../src/sources/evidence';

const DEMO = path.join(__dirname, '../../../samples/demo-account');

describe('cli: one report for the CLI and the extension export', () => {
  it('lists a malformed evidence file as an error of the report, beside the findings that still loaded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-report-'));
    cpSync(DEMO, dir, { recursive: true });
    writeFileSync(path.join(dir, 'describe-network-interfaces.json'), '{ "NetworkInterfaces": [ }');
    const inventory = await loadEvidenceFolder(dir);
    const report = reportOf([{ inventory, findings: auditInventory(inventory) }], { errors: [], apiCalls: 0, durationMs: 0 }, dir);
    assert.ok(report.findings.length > 0, 'the other files still give findings');
    const json = jsonReport(report, dir);
    assert.equal(json.errors.length, 1);
    assert.equal(json.errors[0]!.file, 'describe-network-interfaces.json');
    assert.equal(json.errors[0]!.line, 1);
    assert.match(json.errors[0]!.message, /describe-network-interfaces\.json: invalid JSON at line 1/);
  });
});
