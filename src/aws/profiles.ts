// Lists the profiles of the shared config and credentials files, and says what kind each is
// and whether it can work, without prompting or calling the network.
// Parsing is @smithy/shared-ini-file-loader's (what the SDK itself uses); we only add a
// syntax check, because that loader silently drops lines it cannot read.

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSharedConfigFiles, loadSsoSessionData } from '@smithy/shared-ini-file-loader';
import { ENVIRONMENT_PROFILE, environmentCredentials } from './credentialsKey';

export type ProfileKind = 'static' | 'sso' | 'assume-role' | 'process' | 'environment' | 'other';

export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  region?: string;
  /** Why the profile cannot work, when it cannot. */
  broken?: string;
  /** The profile AWS_PROFILE names (or `default`). */
  isDefault?: boolean;
  /** For assume-role: where the source credentials come from (a profile name or a credential_source); for the environment: which of its sources. */
  source?: string;
}

export { ENVIRONMENT_PROFILE, credentialsLabel, defaultCredentialsKey, environmentCredentials, namedProfile } from './credentialsKey';

const CREDENTIAL_SOURCES = new Set(['Environment', 'Ec2InstanceMetadata', 'EcsContainer']);

type Section = Record<string, string | undefined>;

export interface SharedFilePaths { configFile: string; credentialsFile: string }

function expandHome(file: string): string {
  return file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file;
}

export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): SharedFilePaths {
  const home = os.homedir();
  return {
    configFile: expandHome(env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config')),
    credentialsFile: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')),
  };
}

/** A line the ini loader would drop or misread, attributed to the profile it sits in. */
interface SyntaxProblem { profile?: string; message: string }

/**
 * Finds lines the loader ignores silently: a section header without its closing
 * bracket (its settings would land in the previous profile), and lines that are not
 * `key = value`, a comment, or an indented sub-setting.
 */
export function findSyntaxProblems(text: string, file: string, isConfig: boolean): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  let current: string | undefined;
  let inSubSection = false;
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.split(/(^|\s)[;#]/)[0].trim();
    if (!content) return;
    const at = `${file}:${index + 1}`;
    if (content.startsWith('[')) {
      inSubSection = false;
      if (!content.endsWith(']')) {
        const name = profileNameOfHeader(content.slice(1).trim(), isConfig) ?? content.slice(1).trim();
        current = name;
        problems.push({ profile: name, message: `${at}: section header "${content}" has no closing "]"` });
        return;
      }
      current = profileNameOfHeader(content.slice(1, -1).trim(), isConfig);
      return;
    }
    const eq = content.indexOf('=');
    if (eq <= 0) {
      if (inSubSection && line.trimStart() !== line) return;
      problems.push({ profile: current, message: `${at}: "${content}" is not "key = value"` });
      return;
    }
    if (content.slice(eq + 1).trim() === '') inSubSection = true;
    else if (line.trimStart() === line) inSubSection = false;
  });
  return problems;
}

/** The profile a section header names: `default`, `profile NAME` (config) or `NAME` (credentials). */
function profileNameOfHeader(header: string, isConfig: boolean): string | undefined {
  if (!isConfig) return header;
  if (header === 'default') return 'default';
  const match = /^profile\s+(\S.*)$/.exec(header);
  return match ? match[1].trim() : undefined;
}

async function readText(file: string): Promise<{ text?: string; error?: string }> {
  try {
    return { text: await fs.readFile(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    return { error: `${file} cannot be read: ${(error as Error).message}` };
  }
}

function kindOf(section: Section): ProfileKind {
  if (section.sso_session || section.sso_start_url) return 'sso';
  if (section.role_arn) return 'assume-role';
  if (section.credential_process) return 'process';
  if (section.aws_access_key_id || section.aws_secret_access_key) return 'static';
  return 'other';
}

/** The problems of one profile on its own (not following source_profile). */
function ownProblem(section: Section, ssoSessions: Record<string, Section>): string | undefined {
  const kind = kindOf(section);
  if (kind === 'sso') {
    if (section.sso_session) {
      const session = ssoSessions[section.sso_session];
      if (!session) return `sso_session "${section.sso_session}" is not defined (no [sso-session ${section.sso_session}] section in the config file)`;
      if (!session.sso_start_url) return `[sso-session ${section.sso_session}] has no sso_start_url`;
      if (!session.sso_region) return `[sso-session ${section.sso_session}] has no sso_region`;
    } else if (!section.sso_region) {
      return 'sso_start_url without sso_region';
    }
    if (!section.sso_account_id || !section.sso_role_name) return 'an SSO profile needs sso_account_id and sso_role_name';
  }
  if (kind === 'assume-role') {
    const sources = [section.source_profile, section.credential_source, section.web_identity_token_file].filter(Boolean);
    if (sources.length === 0) return 'role_arn without source_profile, credential_source or web_identity_token_file';
    if (section.source_profile && section.credential_source) return 'both source_profile and credential_source are set; use one';
    if (section.credential_source && !CREDENTIAL_SOURCES.has(section.credential_source)) {
      return `credential_source "${section.credential_source}" is not one of ${[...CREDENTIAL_SOURCES].join(', ')}`;
    }
  }
  if (kind === 'static' && (!section.aws_access_key_id || !section.aws_secret_access_key)) {
    return section.aws_access_key_id ? 'aws_access_key_id without aws_secret_access_key' : 'aws_secret_access_key without aws_access_key_id';
  }
  return undefined;
}

/**
 * Follows source_profile links; a profile is broken when its chain loops, ends at a
 * missing profile, or passes through a broken one. A profile may name itself as its
 * source when it also holds static keys (AWS allows that).
 */
function chainProblem(name: string, profiles: Record<string, Section>, ownProblems: Map<string, string>): string | undefined {
  const seen = [name];
  let current = name;
  for (;;) {
    const section = profiles[current];
    const next = section?.role_arn ? section.source_profile : undefined;
    if (!next) return undefined;
    if (next === current && section.aws_access_key_id && section.aws_secret_access_key) return undefined;
    if (!profiles[next]) return `source_profile "${next}"${current === name ? '' : ` (of ${current})`} does not exist`;
    if (seen.includes(next)) return `source_profile cycle: ${[...seen, next].join(' -> ')}`;
    const problem = ownProblems.get(next);
    if (problem) return `source profile "${next}" is broken: ${problem}`;
    seen.push(next);
    current = next;
  }
}

const NON_PROFILE_SECTION = /^(sso-session|services)\./;

/** Every profile of the shared files (and the environment's credentials), each with its kind and, if any, why it is broken. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const paths = sharedFilePaths(env);
  const [configText, credentialsText] = await Promise.all([readText(paths.configFile), readText(paths.credentialsFile)]);
  const init = { configFilepath: paths.configFile, filepath: paths.credentialsFile, ignoreCache: true };
  const [{ configFile, credentialsFile }, ssoSessions] = await Promise.all([
    loadSharedConfigFiles(init),
    loadSsoSessionData(init),
  ]);

  // Credentials-file values win over config-file values, as the SDK merges them. The loader
  // also returns [sso-session x] and [services x] sections, keyed "sso-session.x": not profiles.
  const merged: Record<string, Section> = {};
  for (const [name, values] of Object.entries(configFile)) if (!NON_PROFILE_SECTION.test(name)) merged[name] = { ...values };
  for (const [name, values] of Object.entries(credentialsFile)) merged[name] = { ...(merged[name] ?? {}), ...values };

  const syntax = [
    ...(configText.text ? findSyntaxProblems(configText.text, paths.configFile, true) : []),
    ...(credentialsText.text ? findSyntaxProblems(credentialsText.text, paths.credentialsFile, false) : []),
  ];
  const fileErrors = [configText.error, credentialsText.error].filter((e): e is string => !!e);
  for (const problem of syntax) if (problem.profile && !merged[problem.profile]) merged[problem.profile] = {};

  const ownProblems = new Map<string, string>();
  for (const [name, section] of Object.entries(merged)) {
    const syntaxProblem = syntax.find((p) => p.profile === name);
    const problem = syntaxProblem?.message ?? ownProblem(section, ssoSessions as Record<string, Section>);
    if (problem) ownProblems.set(name, problem);
  }

  const defaultName = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const profiles: ProfileInfo[] = Object.entries(merged).map(([name, section]) => {
    const info: ProfileInfo = { name, kind: kindOf(section) };
    if (section.region) info.region = section.region;
    const source = section.role_arn ? section.source_profile ?? section.credential_source ?? (section.web_identity_token_file ? 'web identity' : undefined) : undefined;
    if (source) info.source = source;
    // An unreadable file only explains profiles that found no credentials elsewhere.
    const broken = ownProblems.get(name) ?? chainProblem(name, merged, ownProblems) ?? (info.kind === 'other' ? fileErrors[0] : undefined);
    if (broken) info.broken = broken;
    if (name === defaultName) info.isDefault = true;
    return info;
  });

  if (environmentCredentials(env) && !merged[ENVIRONMENT_PROFILE]) {
    const info = environmentEntry(env);
    if (!env.AWS_PROFILE) info.isDefault = !merged[defaultName];
    profiles.push(info);
  }
  if (env.AWS_PROFILE && !merged[env.AWS_PROFILE]) {
    profiles.push({ name: env.AWS_PROFILE, kind: 'other', isDefault: true, broken: `AWS_PROFILE names "${env.AWS_PROFILE}", which is in neither ${paths.configFile} nor ${paths.credentialsFile}` });
  }
  return profiles.sort((a, b) => a.name.localeCompare(b.name));
}

const ENVIRONMENT_SOURCES = {
  'keys': 'AWS_ACCESS_KEY_ID',
  'web-identity': 'web identity (AWS_ROLE_ARN)',
  'container': 'container credentials (AWS_CONTAINER_CREDENTIALS_*)',
} as const;

/** The environment's credentials as a profile entry: what names them, the region, and why they cannot work. */
function environmentEntry(env: NodeJS.ProcessEnv): ProfileInfo {
  const kind = environmentCredentials(env);
  const info: ProfileInfo = { name: ENVIRONMENT_PROFILE, kind: 'environment', source: kind ? ENVIRONMENT_SOURCES[kind] : 'EC2 instance role' };
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (region) info.region = region;
  if (kind === 'keys' && !env.AWS_SECRET_ACCESS_KEY) info.broken = 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not';
  return info;
}

/**
 * What a credentials key stands for, as the AWS CLI resolves it: a profile of the files; or, for
 * the environment's key and for "default" when the files have no such profile, whatever the
 * environment gives (its keys, a web identity, a container's role, at least the EC2 instance's
 * role). Undefined: no such profile. The entry's name is the key to load with.
 */
export function resolveCredentialsKey(key: string, profiles: ProfileInfo[], env: NodeJS.ProcessEnv): ProfileInfo | undefined {
  const listed = profiles.find((p) => p.name === key);
  if (listed) return listed;
  if (key !== 'default' && key !== ENVIRONMENT_PROFILE) return undefined;
  return profiles.find((p) => p.name === ENVIRONMENT_PROFILE) ?? environmentEntry(env);
}
