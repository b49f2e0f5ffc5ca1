// Where credentials come from on AWS compute, for a run with no profile: the EC2 instance
// metadata service (IMDSv2: PUT /latest/api/token, then the instance profile's role and its
// credentials; point AWS_EC2_METADATA_SERVICE_ENDPOINT here) and the container credentials
// endpoint of ECS, CodeBuild and EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI pointing at
// /v2/credentials/...). Both hand out a session in the default account, as the host's role.

import type { Identities } from './identity';
import type { Json } from './state';

export const INSTANCE_ROLE = 'emulator-instance-role';
export const CONTAINER_ROLE = 'emulator-task-role';
const IMDS_TOKEN_PATH = '/latest/api/token';
const IMDS_ROLES_PATH = '/latest/meta-data/iam/security-credentials/';
const CONTAINER_PATH = /^\/v2\/credentials\/[\w-]+$/;
const IMDS_TOKEN = 'emulator-imds-token';

export interface HostAnswer { status: number; contentType: string; body: string }

/** The answer to a metadata or container credentials request, or undefined when the path is neither. */
export function hostCredentials(method: string, path: string, headers: Record<string, string | undefined>, identities: Identities, accountId: string): HostAnswer | undefined {
  const text = (status: number, body: string): HostAnswer => ({ status, contentType: 'text/plain', body });
  const json = (body: Json): HostAnswer => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  if (path === IMDS_TOKEN_PATH) {
    if (method !== 'PUT') return text(405, 'Method Not Allowed');
    return headers['x-aws-ec2-metadata-token-ttl-seconds'] ? text(200, IMDS_TOKEN) : text(400, 'Bad Request');
  }
  if (path.startsWith(IMDS_ROLES_PATH) && method === 'GET') {
    // IMDSv2 only, as AWS recommends and new instances default to: a request without the token is refused.
    if (headers['x-aws-ec2-metadata-token'] !== IMDS_TOKEN) return text(401, 'Unauthorized');
    const role = path.slice(IMDS_ROLES_PATH.length);
    if (!role) return text(200, INSTANCE_ROLE);
    if (role !== INSTANCE_ROLE) return text(404, 'Not Found');
    const session = identities.issue(accountId, INSTANCE_ROLE, 'i-0emulator', 6 * 3600);
    return json({
      Code: 'Success', LastUpdated: new Date().toISOString(), Type: 'AWS-HMAC',
      AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, Token: session.sessionToken,
      Expiration: new Date(session.expiresAt).toISOString(),
    });
  }
  if (CONTAINER_PATH.test(path) && method === 'GET') {
    const session = identities.issue(accountId, CONTAINER_ROLE, 'emulator-task', 6 * 3600);
    return json({
      RoleArn: `arn:aws:iam::${accountId}:role/${CONTAINER_ROLE}`,
      AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, Token: session.sessionToken,
      Expiration: new Date(session.expiresAt).toISOString(),
    });
  }
  return undefined;
}
