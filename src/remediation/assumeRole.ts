// The lines a script runs first when its target is a member account of an organization: an
// explicit `aws sts assume-role` from the organization profile (or the environment's keys), whose
// temporary keys the steps below then use. Explicit steps, not a `--profile` with role_arn and
// source_profile, because such a profile would have to exist in the user's ~/.aws/config for
// every member account; this way the script runs anywhere the organization profile works (SSO,
// credential_process, environment keys), and each part assumes the role afresh, so a backout run
// hours later is not refused with an expired session.

import type { Plan } from '../model/plan';
import { ROLE_SESSION_SECONDS, stsRegionOf } from '../model/roles';
import { commentLine, quoteBash, quotePowerShell, renderCommandLine, type Shell } from './shell';

/** The `aws sts assume-role` argv of a plan's target, or undefined when it names no role. */
export function assumeRoleArgv(plan: Plan, query: string, output: 'text' | 'json'): string[] | undefined {
  const role = plan.target.assumedRole;
  if (!role) return undefined;
  return [
    'aws', 'sts', 'assume-role', '--role-arn', role.roleArn, '--role-session-name', role.sessionName,
    ...(role.externalId ? ['--external-id', role.externalId] : []),
    '--duration-seconds', String(ROLE_SESSION_SECONDS),
    '--query', query, '--output', output,
    '--region', stsRegionOf(role.roleArn),
    ...(role.sourceProfile ? ['--profile', role.sourceProfile] : []),
  ];
}

/** Who the steps run as, for comments and Markdown. */
export function roleSentence(plan: Plan): string | undefined {
  const role = plan.target.assumedRole;
  if (!role) return undefined;
  const account = plan.target.accountName ? `${plan.target.accountName} (${plan.target.accountId ?? '?'})` : plan.target.accountId ?? 'the member account';
  const source = role.sourceProfile ? `profile ${role.sourceProfile}` : 'the environment\'s credentials';
  return `The steps run in account ${account} under the role ${role.roleArn}, assumed from ${source} (session ${role.sessionName}).`;
}

/** Lines that assume the target's role and export its temporary keys; empty when the plan names no role. */
export function assumeRoleLines(plan: Plan, shell: Shell, indent: string): string[] {
  const sentence = roleSentence(plan);
  if (!sentence) return [];
  const role = plan.target.assumedRole!;
  const lines = [commentLine(sentence, indent)];
  if (shell === 'bash') {
    const argv = assumeRoleArgv(plan, 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]', 'text')!;
    lines.push(
      `${indent}printf '%s\\n' ${quoteBash(`Assuming ${role.roleArn}`)} >&2`,
      `${indent}AURORA_SG_CREDENTIALS="$(${renderCommandLine(argv, 'bash')})"`,
      `${indent}read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<< "$AURORA_SG_CREDENTIALS"`,
      `${indent}if [[ -z "$AWS_SESSION_TOKEN" ]]; then echo ${quoteBash(`Assuming ${role.roleArn} returned no credentials.`)} >&2; exit 1; fi`,
      // The temporary keys win over any profile: no step below names one.
      `${indent}export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`,
      `${indent}unset AWS_PROFILE AURORA_SG_CREDENTIALS`,
    );
  } else {
    const argv = assumeRoleArgv(plan, 'Credentials', 'json')!;
    const failed = `throw ${quotePowerShell(`Assuming ${role.roleArn} failed: aws exited with an error.`)}`;
    lines.push(
      `${indent}Write-Host ${quotePowerShell(`Assuming ${role.roleArn}`)}`,
      `${indent}$AuroraSgCredentials = (${renderCommandLine(argv, 'powershell')} | Out-String)`,
      `${indent}if ($LASTEXITCODE -ne 0) { ${failed} }`,
      `${indent}$AuroraSgCredentials = $AuroraSgCredentials | ConvertFrom-Json`,
      `${indent}$env:AWS_ACCESS_KEY_ID = $AuroraSgCredentials.AccessKeyId`,
      `${indent}$env:AWS_SECRET_ACCESS_KEY = $AuroraSgCredentials.SecretAccessKey`,
      `${indent}$env:AWS_SESSION_TOKEN = $AuroraSgCredentials.SessionToken`,
      `${indent}Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue`,
    );
  }
  return lines;
}
