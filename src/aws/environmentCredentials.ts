// The credentials of a run that names no profile and whose shared files have no default: what
// the AWS CLI would find after the files, in its order. The environment's keys; a web identity
// (EKS IRSA, a CI provider's OIDC token), whose AssumeRoleWithWebIdentity goes to the pool's
// endpoint like every other call; a container's role (ECS, CodeBuild, EKS Pod Identity); else
// the EC2 instance's role from the metadata service (IMDSv2, falling back to v1 as the SDK does).

import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { environmentCredentials } from './credentialsKey';
import { AwsError } from './errors';
import type { SharedFilePaths } from './profiles';
import type { credentialProvidersSdk } from './sdk';

type CredentialProviders = Awaited<ReturnType<typeof credentialProvidersSdk>>;

/** A metadata service that does not answer costs this much before the run says so (the SDK's default is 1 s per request). */
const METADATA_TIMEOUT_MS = 1000;

export function environmentProvider(
  sdk: CredentialProviders, env: NodeJS.ProcessEnv, paths: SharedFilePaths, endpointUrl: string | undefined,
): AwsCredentialIdentityProvider {
  switch (environmentCredentials(env)) {
    case 'keys':
      return sdk.fromEnv();
    case 'web-identity':
      return sdk.fromTokenFile({
        webIdentityTokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE!, roleArn: env.AWS_ROLE_ARN!,
        ...(env.AWS_ROLE_SESSION_NAME ? { roleSessionName: env.AWS_ROLE_SESSION_NAME } : {}),
        ...(endpointUrl ? { clientConfig: { endpoint: endpointUrl } } : {}),
      });
    case 'container':
      return sdk.fromHttp({
        ...(env.AWS_CONTAINER_CREDENTIALS_FULL_URI ? { awsContainerCredentialsFullUri: env.AWS_CONTAINER_CREDENTIALS_FULL_URI } : {}),
        ...(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ? { awsContainerCredentialsRelativeUri: env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI } : {}),
        ...(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ? { awsContainerAuthorizationTokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE } : {}),
        ...(env.AWS_CONTAINER_AUTHORIZATION_TOKEN ? { awsContainerAuthorizationToken: env.AWS_CONTAINER_AUTHORIZATION_TOKEN } : {}),
      });
    default:
      return instanceRole(sdk, env, paths);
  }
}

function instanceRole(sdk: CredentialProviders, env: NodeJS.ProcessEnv, paths: SharedFilePaths): AwsCredentialIdentityProvider {
  const looked = `No profile was named, there is no default profile in ${paths.configFile} or ${paths.credentialsFile}, and the environment has no credentials (AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, AWS_CONTAINER_CREDENTIALS_FULL_URI)`;
  const advice = 'Name a profile (--profile, AWS_PROFILE) or export credentials.';
  const disabled = env.AWS_EC2_METADATA_DISABLED;
  if (disabled && disabled.toLowerCase() !== 'false') {
    return () => Promise.reject(new AwsError('no-credentials', `${looked}; the EC2 instance metadata service is off (AWS_EC2_METADATA_DISABLED). ${advice}`));
  }
  const fromMetadata = sdk.fromInstanceMetadata({ timeout: METADATA_TIMEOUT_MS, maxRetries: 0 });
  return async () => {
    try {
      return await fromMetadata();
    } catch (error) {
      const at = env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? 'http://169.254.169.254';
      throw new AwsError('no-credentials', `${looked}, and no EC2 instance role answered at ${at} (${(error as Error).message || 'no answer'}). ${advice}`);
    }
  };
}
