// Which accounts an organization source names (design 11): every account of the organization
// (ListAccounts), or those under the chosen OUs, recursively (ListOrganizationalUnitsForParent +
// ListAccountsForParent); or, without Organizations access, the accounts of explicit role ARNs.
// Accounts come page by page, so auditing can start before the listing ends.

import type { Account } from '@aws-sdk/client-organizations';
import { parseRoleArn } from '../../model/roles';
import type { ClientPool } from '../clients';
import { toAwsError } from '../errors';
import { abortError } from '../retry';
import { organizationsSdk } from '../sdk';

/** An account as listed: its state decides whether it is audited (ACTIVE only). */
export interface ListedAccount {
  id: string;
  name?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, ... (State, else the older Status). */
  state: string;
  /** Set when the account came from an explicit role ARN. */
  roleArn?: string;
}

export interface DiscoveryRequest {
  /** The credentials key of the organization profile. */
  profile: string;
  /** Only accounts under these roots or OUs (recursively). */
  ous?: string[];
  /** No Organizations calls: audit the accounts of these roles. */
  roleArns?: string[];
  signal?: AbortSignal;
}

/** Organizations' largest page for the list calls (API reference: MaxResults 1-20). */
const PAGE = 20;

function accountOf(account: Account): ListedAccount | undefined {
  if (!account.Id) return undefined;
  const listed: ListedAccount = { id: account.Id, state: String(account.State ?? account.Status ?? 'UNKNOWN') };
  if (account.Name) listed.name = account.Name;
  return listed;
}

/** Yields the accounts page by page. Throws (an AwsError naming the call) when the organization cannot be listed. */
export async function* discoverAccounts(pool: ClientPool, request: DiscoveryRequest): AsyncGenerator<ListedAccount[]> {
  if (request.roleArns?.length) {
    const listed: ListedAccount[] = [];
    for (const arn of request.roleArns) {
      const parts = parseRoleArn(arn);
      // Checked by the callers already; a bad one here is a programming error worth a clear message.
      if (!parts) throw toAwsError(new Error(`${arn} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).`));
      listed.push({ id: parts.accountId, state: 'ACTIVE', roleArn: arn });
    }
    yield listed;
    return;
  }
  const sdk = await organizationsSdk();
  const client = await pool.organizations(request.profile);
  const context = (action: string) => ({ profile: request.profile, action: `organizations:${action}` });
  if (!request.ous?.length) {
    try {
      for await (const page of sdk.paginateListAccounts({ client, pageSize: PAGE }, {})) {
        if (request.signal?.aborted) throw abortError();
        yield (page.Accounts ?? []).map(accountOf).filter((a): a is ListedAccount => !!a);
      }
    } catch (error) {
      throw toAwsError(error, context('ListAccounts'));
    }
    return;
  }
  // OUs, recursively: each parent's accounts and child OUs side by side (the client bounds them).
  const seen = new Set<string>();
  const queue: ListedAccount[][] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  let pending = 0;
  const visit = async (parentId: string): Promise<void> => {
    if (seen.has(parentId)) return;
    seen.add(parentId);
    pending++;
    try {
      const [children] = await Promise.all([
        (async () => {
          const ids: string[] = [];
          try {
            for await (const page of sdk.paginateListOrganizationalUnitsForParent({ client, pageSize: PAGE }, { ParentId: parentId })) {
              ids.push(...(page.OrganizationalUnits ?? []).map((u) => u.Id).filter((id): id is string => !!id));
            }
          } catch (error) {
            throw toAwsError(error, context('ListOrganizationalUnitsForParent'));
          }
          return ids;
        })(),
        (async () => {
          try {
            for await (const page of sdk.paginateListAccountsForParent({ client, pageSize: PAGE }, { ParentId: parentId })) {
              if (request.signal?.aborted) throw abortError();
              queue.push((page.Accounts ?? []).map(accountOf).filter((a): a is ListedAccount => !!a));
              wake?.();
            }
          } catch (error) {
            throw toAwsError(error, context('ListAccountsForParent'));
          }
        })(),
      ]);
      await Promise.all(children.map(visit));
    } catch (error) {
      failure ??= error;
    } finally {
      pending--;
      wake?.();
    }
  };
  const all = Promise.all(request.ous.map(visit));
  for (;;) {
    while (queue.length) yield queue.shift()!;
    if (failure) throw failure;
    if (pending === 0) break;
    await new Promise<void>((resolve) => { wake = resolve; });
    wake = undefined;
  }
  await all;
  if (failure) throw failure;
}

export { organizationSourceProblem as sourceProblem } from '../../model/roles';
