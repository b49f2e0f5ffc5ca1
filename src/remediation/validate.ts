// Values that become standalone CLI arguments are checked before they reach a plan. They come
// from AWS or from files on disk, and the AWS CLI reads an argument that starts with file://
// as a file, and argparse reads one that starts with "-" as an option.

import type { AssumedRole } from '../model/types';
import { isExternalId, parseRoleArn } from '../model/roles';
import { PlanError } from './errors';

const ID_PATTERNS = {
  'security group id': /^sg-[0-9A-Za-z]+$/,
  'security group rule id': /^sgr-[0-9A-Za-z]+$/,
  'VPC id': /^vpc-[0-9A-Za-z]+$/,
  'prefix list id': /^pl-[0-9A-Za-z]+$/,
  'DB cluster identifier': /^[A-Za-z][A-Za-z0-9-]{0,62}$/,
  'DB instance identifier': /^[A-Za-z][A-Za-z0-9-]{0,62}$/,
  region: /^[a-z]{2}(?:-[a-z0-9]+)+-\d+$/,
} as const;

export type IdKind = keyof typeof ID_PATTERNS;

export function checkId(kind: IdKind, value: string | undefined, where: string): string {
  if (value === undefined || !ID_PATTERNS[kind].test(value)) {
    throw new PlanError(`The ${kind} ${JSON.stringify(value ?? '')} (${where}) is not a valid AWS ${kind}; refusing to put it in a command.`);
  }
  return value;
}

/** Characters AWS allows in a VPC security group's name and description. */
const GROUP_TEXT = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/;

export function checkGroupName(name: string): string {
  if (name.length === 0 || name.length > 255) throw new PlanError(`The security group name ${JSON.stringify(name)} must be 1 to 255 characters long.`);
  if (!GROUP_TEXT.test(name)) {
    throw new PlanError(`The security group name ${JSON.stringify(name)} has characters AWS does not allow (allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*).`);
  }
  if (name.startsWith('-')) {
    throw new PlanError(`The security group name ${JSON.stringify(name)} starts with "-"; the AWS CLI would read it as an option, not as the name.`);
  }
  if (/^sg-/i.test(name)) throw new PlanError(`The security group name ${JSON.stringify(name)} cannot start with "sg-" (AWS reserves it).`);
  if (/^(?:file|fileb|https?):\/\//i.test(name)) {
    throw new PlanError(`The security group name ${JSON.stringify(name)} looks like a URL; the AWS CLI would read that file or address instead of using the name.`);
  }
  return name;
}

export function checkProfile(profile: string): string {
  if (profile.startsWith('-') || profile.length === 0 || /[\0\r\n]/.test(profile)) {
    throw new PlanError(`The profile name ${JSON.stringify(profile)} cannot be passed to the AWS CLI as --profile.`);
  }
  return profile;
}

/**
 * The role a member account's steps run under: an ARN IAM accepts, in the finding's account, a
 * session name and ExternalId STS accepts, a source profile the CLI can take. Every part of it
 * becomes a command argument.
 */
export function checkAssumedRole(role: AssumedRole, accountId: string | undefined): AssumedRole {
  const parts = parseRoleArn(role.roleArn);
  if (!parts) throw new PlanError(`The role ${JSON.stringify(role.roleArn)} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); refusing to put it in a command.`);
  if (accountId && parts.accountId !== accountId) {
    throw new PlanError(`The role ${role.roleArn} is in account ${parts.accountId}, but the finding is in account ${accountId}.`);
  }
  if (!/^[\w+=,.@-]{2,64}$/.test(role.sessionName)) throw new PlanError(`The role session name ${JSON.stringify(role.sessionName)} is not one STS accepts.`);
  if (role.externalId !== undefined && !isExternalId(role.externalId)) {
    throw new PlanError('The ExternalId has characters STS does not accept (2 to 1224 of letters, digits and +=,.@:/-_).');
  }
  const checked: AssumedRole = { roleArn: role.roleArn, sessionName: role.sessionName };
  if (role.sourceProfile !== undefined) checked.sourceProfile = checkProfile(role.sourceProfile);
  if (role.externalId !== undefined) checked.externalId = role.externalId;
  return checked;
}
