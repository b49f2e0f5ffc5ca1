// A seed with hostile strings (quotes, markup, shell, unicode, line breaks) in a security
// group's name, description and rule description: what an attacker could put in an account.
// Tests use it to check that every layer passes such text through exactly.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOSTILE = {
  groupName: `shop-db"; rm -rf / #<b>&amp;</b> ' \`$(id)\` ünïcödé 🚀`,
  description: `Shop DB ]]> <![CDATA[ x ]]> &lt; & "'\n\tsecond line  trailing `,
  ruleDescription: `anywhere <script>alert('x')</script> & $HOME %s {{}} \\ back\\slash`,
};

/** The group of the AWS-shapes fixture that gets the hostile strings. */
export const HOSTILE_GROUP_ID = 'sg-863e5819e3803a397';

/** Copies `fixtureDir` (test/fixtures/aws-shapes) to a temp folder with hostile strings in one group; returns the folder. */
export function writeHostileSeed(fixtureDir = 'test/fixtures/aws-shapes'): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-hostile-'));
  cpSync(fixtureDir, dir, { recursive: true });
  const path = join(dir, 'describe-security-groups.json');
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { SecurityGroups: Record<string, unknown>[] };
  const group = doc.SecurityGroups.find((g) => g.GroupId === HOSTILE_GROUP_ID);
  if (!group) throw new Error(`${path}: no group ${HOSTILE_GROUP_ID} to make hostile`);
  group.GroupName = HOSTILE.groupName;
  group.Description = HOSTILE.description;
  const permissions = group.IpPermissions as { IpRanges: { Description?: string }[] }[];
  permissions[0].IpRanges[0].Description = HOSTILE.ruleDescription;
  writeFileSync(path, JSON.stringify(doc, null, 4));
  return dir;
}
