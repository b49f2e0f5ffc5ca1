// AWS Organizations over its JSON 1.1 protocol (`X-Amz-Target: AWSOrganizationsV20161128.Action`,
// a JSON body, JSON answers with `__type` errors): the organization, its root, its OUs and its
// accounts, paginated as AWS does (MaxResults 1-20, NextToken). Only the management account
// may call it, as without delegated administration.

import { AwsError } from './errors';
import type { Caller } from './identity';
import type { OrgAccount, Organization } from './organization';
import { paginate } from './paginate';
import type { Json } from './state';

export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

export interface OrganizationsContext {
  caller: Caller;
  organization?: Organization;
  pageSize: number;
}

/** The epoch second every emulated account joined (JSON 1.1 sends timestamps as epoch seconds). */
const JOINED = Date.UTC(2024, 0, 15) / 1000;

function page<T>(action: string, items: T[], input: Json, ctx: OrganizationsContext): Json & { next?: string; page: T[] } {
  const { page: items_, next } = paginate(items, {
    max: input.MaxResults as number | undefined, token: input.NextToken as string | undefined,
    pageSize: Math.min(ctx.pageSize, 20), range: [1, 20], maxName: 'MaxResults', tokenName: 'NextToken', action,
  });
  return next === undefined ? { page: items_ } : { page: items_, next };
}

function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInputException', message, 400);
}

function organizationOf(ctx: OrganizationsContext): Organization {
  const org = ctx.organization;
  if (!org) throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
  if (ctx.caller.accountId !== org.managementAccountId) {
    throw new AwsError('AccessDeniedException', "You don't have permissions to access this resource.", 400);
  }
  return org;
}

function accountJson(org: Organization, account: OrgAccount): Json {
  const json: Json = {
    Id: account.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${account.id}`,
    Email: account.email,
    Name: account.name,
    State: account.state,
    JoinedMethod: account.id === org.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: JOINED,
  };
  // Status is the older field (retired September 2026); it knows only these three values.
  if (['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'].includes(account.state)) json.Status = account.state;
  return json;
}

function knownParent(org: Organization, parentId: unknown): string {
  const id = String(parentId ?? '');
  if (!id) throw invalidInput('You must specify a parent ID (ParentId).');
  if (id !== org.rootId && !org.units.some((u) => u.id === id)) {
    throw new AwsError('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.', 400);
  }
  return id;
}

type OrganizationsHandler = (input: Json, ctx: OrganizationsContext) => Json;

export const ORGANIZATIONS_HANDLERS: Record<string, OrganizationsHandler> = {
  DescribeOrganization: (_input, ctx) => {
    const org = organizationOf(ctx);
    const management = org.accounts.find((a) => a.id === org.managementAccountId);
    return {
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: management?.email ?? '',
        AvailablePolicyTypes: [],
      },
    };
  },
  ListRoots: (input, ctx) => {
    const org = organizationOf(ctx);
    const roots = [{ Id: org.rootId, Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`, Name: 'Root', PolicyTypes: [] }];
    const { page: items, next } = page('ListRoots', roots, input, ctx);
    return { Roots: items, ...(next ? { NextToken: next } : {}) };
  },
  ListAccounts: (input, ctx) => {
    const org = organizationOf(ctx);
    const { page: items, next } = page('ListAccounts', org.accounts, input, ctx);
    return { Accounts: items.map((a) => accountJson(org, a)), ...(next ? { NextToken: next } : {}) };
  },
  ListAccountsForParent: (input, ctx) => {
    const org = organizationOf(ctx);
    const parent = knownParent(org, input.ParentId);
    const { page: items, next } = page(`ListAccountsForParent:${parent}`, org.accounts.filter((a) => a.parentId === parent), input, ctx);
    return { Accounts: items.map((a) => accountJson(org, a)), ...(next ? { NextToken: next } : {}) };
  },
  ListOrganizationalUnitsForParent: (input, ctx) => {
    const org = organizationOf(ctx);
    const parent = knownParent(org, input.ParentId);
    const units = org.units.filter((u) => u.parentId === parent)
      .map((u) => ({ Id: u.id, Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${u.id}`, Name: u.name }));
    const { page: items, next } = page(`ListOrganizationalUnitsForParent:${parent}`, units, input, ctx);
    return { OrganizationalUnits: items, ...(next ? { NextToken: next } : {}) };
  },
};

/** A JSON 1.1 error body. */
export function renderJsonError(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}
