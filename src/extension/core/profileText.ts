// What "Configure an AWS Profile" writes, as the AWS CLI's own files spell it, and the checks
// of what the user types for it. Nothing here writes: the command shows the text, asks, and
// appends only what was confirmed. Pure.

import type { InputCheck } from './inputs';

export type ProfileSpec =
  | { kind: 'keys'; name: string; region: string; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'sso'; name: string; region: string; startUrl: string; ssoRegion: string; accountId: string; roleName: string; session: string }
  | { kind: 'role'; name: string; region: string; roleArn: string; source: { profile: string } | { credentialSource: string } };

export interface ProfileText {
  /** Appended to the config file. */
  config: string;
  /** Appended to the credentials file (static keys only). */
  credentials?: string;
}

/** The config file's section header: `[default]` or `[profile NAME]` (the credentials file uses `[NAME]`). */
function configHeader(name: string): string {
  return name === 'default' ? '[default]' : `[profile ${name}]`;
}

export function profileText(spec: ProfileSpec): ProfileText {
  switch (spec.kind) {
    case 'keys': {
      const credentials = [`[${spec.name}]`, `aws_access_key_id = ${spec.accessKeyId}`, `aws_secret_access_key = ${spec.secretAccessKey}`];
      if (spec.sessionToken) credentials.push(`aws_session_token = ${spec.sessionToken}`);
      return { config: [configHeader(spec.name), `region = ${spec.region}`].join('\n') + '\n', credentials: credentials.join('\n') + '\n' };
    }
    case 'sso':
      return {
        config: [
          configHeader(spec.name), `sso_session = ${spec.session}`, `sso_account_id = ${spec.accountId}`, `sso_role_name = ${spec.roleName}`, `region = ${spec.region}`,
          '', `[sso-session ${spec.session}]`, `sso_start_url = ${spec.startUrl}`, `sso_region = ${spec.ssoRegion}`, 'sso_registration_scopes = sso:account:access',
        ].join('\n') + '\n',
      };
    case 'role': {
      const source = 'profile' in spec.source ? `source_profile = ${spec.source.profile}` : `credential_source = ${spec.source.credentialSource}`;
      return { config: [configHeader(spec.name), `role_arn = ${spec.roleArn}`, source, `region = ${spec.region}`].join('\n') + '\n' };
    }
  }
}

/** The same text with secrets masked, for the confirmation that shows what will be written. */
export function maskedText(text: string): string {
  return text.replace(/^(aws_secret_access_key|aws_session_token) = .*$/gm, (_line, key: string) => `${key} = ********`);
}

/** Appends a section to a file's text with one blank line between, whatever the file ended with. */
export function appendSection(existing: string, section: string): string {
  if (!existing.trim()) return section;
  return `${existing.replace(/\s*$/, '')}\n\n${section}`;
}

export function checkProfileName(name: string, existing: readonly string[]): InputCheck {
  if (!name) return { error: 'Give the profile a name, such as prod or dev.' };
  if (!/^[A-Za-z0-9_.@+=,-]+$/.test(name)) return { error: 'A profile name is letters, digits and _ . @ + = , - (no spaces or brackets).' };
  if (existing.includes(name)) return { error: `A profile named ${name} exists already; choose another name, or edit the file.` };
  return {};
}

export function checkRegion(region: string): InputCheck {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? {} : { error: 'A region code such as eu-west-1 or us-east-1.' };
}

export function checkAccessKeyId(id: string): InputCheck {
  return /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(id) ? {} : { error: 'An access key id is 20 characters: AKIA (or ASIA for temporary keys) and 16 capital letters or digits.' };
}

export function checkSecretAccessKey(secret: string): InputCheck {
  return /^[A-Za-z0-9/+=]{40}$/.test(secret) ? {} : { error: 'A secret access key is 40 characters: letters, digits, / and +.' };
}

export function checkStartUrl(url: string): InputCheck {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? {} : { error: 'The start URL is an https:// address, such as https://my-company.awsapps.com/start.' };
  } catch {
    return { error: 'The start URL is an https:// address, such as https://my-company.awsapps.com/start.' };
  }
}

export function checkAccountId(id: string): InputCheck {
  return /^\d{12}$/.test(id) ? {} : { error: 'An AWS account id is 12 digits.' };
}

export function checkRoleName(name: string): InputCheck {
  return /^[\w+=,.@-]{1,64}$/.test(name) ? {} : { error: 'A role or permission set name: letters, digits and + = , . @ _ - (up to 64).' };
}

export function checkRoleArn(arn: string): InputCheck {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(arn) ? {} : { error: 'A role ARN such as arn:aws:iam::123456789012:role/ReadOnlyAudit.' };
}

/** A template for editing the file by hand: snippet placeholders, inserted into an unsaved editor, never written. */
export const PROFILE_SNIPPET = [
  '[profile ${1:name}]',
  'region = ${2:eu-west-1}',
  '${3:# Static keys go in the credentials file ([name] with aws_access_key_id and aws_secret_access_key);',
  '# IAM Identity Center: sso_session, sso_account_id and sso_role_name, with an [sso-session] section;',
  '# a role: role_arn and source_profile.}',
  '',
].join('\n');
