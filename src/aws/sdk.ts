// The SDK modules, imported on first use and then kept: every `import()` of a CommonJS
// module builds a fresh namespace object by copying all its exports (thousands for
// client-ec2), which, done per target, blocked the event loop for seconds.

type Ec2Module = typeof import('@aws-sdk/client-ec2');
type RdsModule = typeof import('@aws-sdk/client-rds');
type CredentialProvidersModule = typeof import('@aws-sdk/credential-providers');

let ec2: Promise<Ec2Module> | undefined;
let rds: Promise<RdsModule> | undefined;
let credentialProviders: Promise<CredentialProvidersModule> | undefined;

export function ec2Sdk(): Promise<Ec2Module> {
  return (ec2 ??= import('@aws-sdk/client-ec2'));
}

export function rdsSdk(): Promise<RdsModule> {
  return (rds ??= import('@aws-sdk/client-rds'));
}

export function credentialProvidersSdk(): Promise<CredentialProvidersModule> {
  return (credentialProviders ??= import('@aws-sdk/credential-providers'));
}
