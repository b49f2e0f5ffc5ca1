// The rules layer names each finding's fixes (Finding.fixes, from the catalog); the
// remediation layer decides which it can build (applicableFixes). They must not drift apart.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applicableFixes } from '../../../src/remediation';
import { auditInventory, parseSettings, RULE_IDS } from '../../../src/rules';
import { loadEvidenceFolder } from '../../../src/sources/evidence';

const DEMO = path.resolve(__dirname, '../../../samples/demo-account');

describe('remediation: applicable fixes agree with the catalog', () => {
  it('offers, for every finding of the demo account (every rule id), the fixes the finding names', async () => {
    const inventory = await loadEvidenceFolder(DEMO);
    const { settings } = parseSettings(JSON.parse(readFileSync(path.join(DEMO, 'aurora-sg.config.json'), 'utf8')), 'demo config');
    const findings = auditInventory(inventory, settings);
    assert.deepEqual([...new Set(findings.map((f) => f.ruleId))].sort(), RULE_IDS);
    for (const finding of findings) {
      assert.deepEqual([...applicableFixes(finding, inventory)].sort(), [...finding.fixes].sort(), `${finding.ruleId} ${finding.id}`);
    }
  });
});
