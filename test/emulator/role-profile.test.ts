// Credentials from an assume-role profile (role_arn + source_profile in ~/.aws/config), the way
// most people reach their accounts: the SDK's fromIni assumes the role through STS, and with an
// endpoint URL (the emulator, LocalStack, moto) that STS call must go there too, like every other
// call. Scripts made from such a target name the profile, which the AWS CLI resolves the same way.

import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { loadLiveInventories } from '../../src/aws';
import { buildPlan, renderScript } from '../../src/remediation';
import { auditInventory } from '../../src/rules';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { ORG_FILE, ORG_PROFILE, PAYMENTS, ROLE, orgProfileEnv, seededSubjects, subjectKeys } from './support/org';

describe('an assume-role profile (role_arn + source_profile) against the emulator', function () {
  this.timeout(60_000);
  let emulator: EmulatorHandle;
  const env = orgProfileEnv();
  const config = env.AWS_CONFIG_FILE!;
  writeFileSync(config, `[profile ${ORG_PROFILE}]\nregion = eu-west-1\n\n[profile payments-admin]\nrole_arn = arn:aws:iam::${PAYMENTS}:role/${ROLE}\nsource_profile = ${ORG_PROFILE}\nrole_session_name = aurora-sg-test\nregion = eu-west-1\n`);

  before(async () => { emulator = await startEmulator({ organization: ORG_FILE }); });
  after(async () => { await emulator.close(); });

  it('assumes the role through the endpoint it was given and audits the role\'s account, as the profile names it', async () => {
    const result = await loadLiveInventories({ profiles: ['payments-admin'], regions: ['eu-west-1'], endpointUrl: emulator.url, env });
    assert.deepEqual(result.errors, []);
    const inventory = result.inventories[0]!;
    assert.equal(inventory.target.profile, 'payments-admin');
    assert.equal(inventory.target.accountId, PAYMENTS);
    assert.deepEqual(subjectKeys(auditInventory(inventory)), await seededSubjects(PAYMENTS));
    const assumed = emulator.calls().filter((c) => c.action === 'AssumeRole');
    assert.equal(assumed.length, 1, 'one AssumeRole, sent to the emulator, for both services and every call');

    const finding = auditInventory(inventory).find((f) => f.ruleId === 'AURSG-001')!;
    const script = renderScript(buildPlan({ finding, inventory, fix: 'revoke' }), 'bash');
    assert.match(script, /--profile 'payments-admin'/, 'the script names the profile, which resolves the role the same way');
  });
});
