// The credentials a live target uses: a named profile of the shared files, or the environment's
// keys. Only a named profile ever becomes --profile in a script, a terminal run or a snippet.

/**
 * The key under which credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (CI, `aws-vault
 * exec`, an exported SSO session) are listed and held. It is not a profile: it is never written as
 * `--profile` (the AWS CLI would stop with "The config profile (env) could not be found"), and it
 * is spelled so that no profile of the shared files can be mistaken for it.
 */
export const ENVIRONMENT_PROFILE = '(environment)';

/** The profile name to pass as --profile: undefined for the environment's credentials. */
export function namedProfile(key: string | undefined): string | undefined {
  return key === ENVIRONMENT_PROFILE ? undefined : key;
}

/** How people read a credentials key: the profile's name, or "environment credentials". */
export function credentialsLabel(key: string): string {
  return key === ENVIRONMENT_PROFILE ? 'environment credentials' : key;
}

/**
 * The credentials the AWS CLI uses when no --profile is given: the environment's keys, which
 * override AWS_PROFILE and the default profile (AWS CLI user guide, "Precedence of options"),
 * else AWS_PROFILE, else `default`.
 */
export function defaultCredentialsKey(env: NodeJS.ProcessEnv): string {
  return env.AWS_ACCESS_KEY_ID ? ENVIRONMENT_PROFILE : env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
}
