// The SDK modules, imported on first use and then kept: every `import()` of a CommonJS
// module builds a fresh namespace object by copying all its exports (thousands for
// client-ec2), which, done per target, blocked the event loop for seconds.

type Ec2Module = typeof import('@aws-sdk/client-ec2');
type RdsModule = typeof import('@aws-sdk/client-rds');
type CredentialProvidersModule = typeof import('@aws-sdk/credential-providers');
type StsModule = typeof import('@aws-sdk/client-sts');
type OrganizationsModule = typeof import('@aws-sdk/client-organizations');

let ec2: Promise<Ec2Module> | undefined;
let rds: Promise<RdsModule> | undefined;
let credentialProviders: Promise<CredentialProvidersModule> | undefined;
let sts: Promise<StsModule> | undefined;
let organizations: Promise<OrganizationsModule> | undefined;

export function ec2Sdk(): Promise<Ec2Module> {
  return (ec2 ??= import('@aws-sdk/client-ec2'));
}

export function rdsSdk(): Promise<RdsModule> {
  return (rds ??= import('@aws-sdk/client-rds'));
}

export function credentialProvidersSdk(): Promise<CredentialProvidersModule> {
  return (credentialProviders ??= import('@aws-sdk/credential-providers'));
}

export function stsSdk(): Promise<StsModule> {
  return (sts ??= import('@aws-sdk/client-sts'));
}

export function organizationsSdk(): Promise<OrganizationsModule> {
  return (organizations ??= import('@aws-sdk/client-organizations'));
}
