// "Configure an AWS Profile": a guide that asks how the profile signs in (access keys, IAM
// Identity Center, a role), checks each answer as it is typed, shows exactly what it will write
// to which file (secrets masked) and writes only once the user confirms. "Edit the file myself"
// opens the config file with a template inserted, unsaved. Nothing is ever written that the user
// did not see and confirm: no placeholder profile ever lands in their AWS config.

import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { listProfiles, sharedFilePaths } from '../../aws/profiles';
import {
  appendSection, checkAccessKeyId, checkAccountId, checkProfileName, checkRegion, checkRoleArn, checkRoleName, checkSecretAccessKey,
  checkStartUrl, maskedText, PROFILE_SNIPPET, profileText, type ProfileSpec,
} from '../core/profileText';
import type { InputCheck } from '../core/inputs';
import { toValidation } from '../planning';
import type { Services } from '../services';

export const WRITE = 'Write';

type Kind = ProfileSpec['kind'] | 'edit';

const KINDS: (vscode.QuickPickItem & { signIn: Kind })[] = [
  { signIn: 'keys', label: '$(key) Access keys', detail: 'An access key id and its secret; the keys go to the credentials file, the region to the config file, as `aws configure` does.' },
  { signIn: 'sso', label: '$(organization) IAM Identity Center (SSO)', detail: 'Your start URL, an account and a permission set; you log in afterwards (aws sso login).' },
  { signIn: 'role', label: '$(arrow-swap) Assume a role', detail: 'A role ARN, assumed with the credentials of another profile (or of the environment or the instance).' },
  { signIn: 'edit', label: '$(edit) Edit the config file myself', detail: 'Opens the file with a template inserted; nothing is saved until you save it.' },
];

/** One answer, checked as it is typed; undefined when the user pressed Escape. */
async function ask(title: string, prompt: string, check: (text: string) => InputCheck, options: { value?: string; password?: boolean; placeHolder?: string } = {}): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title: `Aurora SG: ${title}`, prompt, ignoreFocusOut: true, value: options.value, password: options.password, placeHolder: options.placeHolder,
    validateInput: (text) => toValidation(check(text.trim())),
  });
  return answer?.trim();
}

async function askSpec(kind: ProfileSpec['kind'], existing: string[]): Promise<ProfileSpec | undefined> {
  const title = `new profile (${KINDS.find((k) => k.signIn === kind)?.label.replace(/^\$\([^)]+\) /, '')})`;
  const name = await ask(title, 'Profile name', (t) => checkProfileName(t, existing), { value: existing.includes('default') ? '' : 'default', placeHolder: 'prod' });
  if (!name) return undefined;
  const region = await ask(title, `Region of ${name}`, checkRegion, { value: process.env.AWS_REGION ?? 'us-east-1' });
  if (!region) return undefined;
  switch (kind) {
    case 'keys': {
      const accessKeyId = await ask(title, 'Access key id', checkAccessKeyId, { placeHolder: 'AKIA…' });
      if (!accessKeyId) return undefined;
      const secretAccessKey = await ask(title, 'Secret access key', checkSecretAccessKey, { password: true });
      if (!secretAccessKey) return undefined;
      let sessionToken: string | undefined;
      if (accessKeyId.startsWith('ASIA')) {
        sessionToken = await ask(title, 'Session token (ASIA… keys are temporary and come with one)', (t) => (t ? {} : { error: 'Temporary keys need their session token.' }), { password: true });
        if (!sessionToken) return undefined;
      }
      return { kind, name, region, accessKeyId, secretAccessKey, sessionToken };
    }
    case 'sso': {
      const startUrl = await ask(title, 'IAM Identity Center start URL', checkStartUrl, { placeHolder: 'https://my-company.awsapps.com/start' });
      if (!startUrl) return undefined;
      const ssoRegion = await ask(title, 'Region of IAM Identity Center (where the start URL lives)', checkRegion, { value: region });
      if (!ssoRegion) return undefined;
      const accountId = await ask(title, 'Account id to audit', checkAccountId, { placeHolder: '123456789012' });
      if (!accountId) return undefined;
      const roleName = await ask(title, 'Permission set (role) name', checkRoleName, { placeHolder: 'ReadOnlyAccess' });
      if (!roleName) return undefined;
      return { kind, name, region, startUrl, ssoRegion, accountId, roleName, session: name };
    }
    case 'role': {
      const roleArn = await ask(title, 'Role ARN', checkRoleArn, { placeHolder: 'arn:aws:iam::123456789012:role/ReadOnlyAudit' });
      if (!roleArn) return undefined;
      const sources = [
        ...existing.map((p) => ({ label: p, description: 'profile', source: { profile: p } as const })),
        { label: 'Environment', description: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', source: { credentialSource: 'Environment' } as const },
        { label: 'Ec2InstanceMetadata', description: 'the EC2 instance role', source: { credentialSource: 'Ec2InstanceMetadata' } as const },
        { label: 'EcsContainer', description: 'the ECS task role', source: { credentialSource: 'EcsContainer' } as const },
      ];
      const picked = await vscode.window.showQuickPick(sources, { title: `Aurora SG: ${title}`, placeHolder: `Whose credentials assume ${roleArn}?`, ignoreFocusOut: true });
      if (!picked) return undefined;
      return { kind, name, region, roleArn, source: picked.source };
    }
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

async function appendTo(file: string, section: string, mode?: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, appendSection(await readText(file), section), mode ? { mode } : undefined);
  if (mode) await fs.chmod(file, mode);
}

/** Opens the config file (or an unsaved one at its path) with a template inserted at the end: unsaved until the user saves. */
async function editByHand(configFile: string): Promise<vscode.TextEditor> {
  const exists = await fs.stat(configFile).then(() => true, () => false);
  const uri = exists ? vscode.Uri.file(configFile) : vscode.Uri.file(configFile).with({ scheme: 'untitled' });
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  const doc = editor.document;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const separator = doc.getText().trim() ? (doc.getText().endsWith('\n') ? '\n' : '\n\n') : '';
  await editor.insertSnippet(new vscode.SnippetString(separator + PROFILE_SNIPPET), end);
  return editor;
}

export interface ConfigureOutcome {
  kind: Kind;
  written?: string[];
  name?: string;
}

export async function configureProfile(services: Services): Promise<ConfigureOutcome | undefined> {
  const { configFile, credentialsFile } = sharedFilePaths();
  const picked = await vscode.window.showQuickPick(KINDS, { title: 'Aurora SG: configure an AWS profile', placeHolder: `How does the profile sign in? (${configFile})`, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.signIn === 'edit') {
    await editByHand(configFile);
    services.log.info(`Opened ${configFile} with a profile template (not saved).`);
    return { kind: 'edit' };
  }
  const existing = (await listProfiles().catch(() => [])).map((p) => p.name);
  const spec = await askSpec(picked.signIn, existing);
  if (!spec) return undefined;
  const text = profileText(spec);
  const detail = [`${configFile}:`, '', text.config, ...(text.credentials ? [`${credentialsFile}:`, '', maskedText(text.credentials)] : [])].join('\n');
  const answer = await vscode.window.showWarningMessage(`Add the profile ${spec.name}? This is appended to your AWS ${text.credentials ? 'config and credentials files' : 'config file'}:`, { modal: true, detail }, WRITE);
  if (answer !== WRITE) return { kind: spec.kind, name: spec.name };
  await appendTo(configFile, text.config);
  const written = [configFile];
  if (text.credentials) {
    // The credentials file holds secrets: only its owner may read it, as the AWS CLI leaves it.
    await appendTo(credentialsFile, text.credentials, 0o600);
    written.push(credentialsFile);
  }
  services.log.info(`Added the profile ${spec.name} to ${written.join(' and ')}.`);
  await services.explorer.reloadAll();
  const next = spec.kind === 'sso' ? ` Log in with \`aws sso login --profile ${spec.name}\`, then expand it in the Aurora SG view.` : ' It is in the Aurora SG view now.';
  void vscode.window.showInformationMessage(`Aurora SG: added the profile ${spec.name}.${next}`);
  return { kind: spec.kind, name: spec.name, written };
}
