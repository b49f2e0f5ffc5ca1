// The AWS layer (SDK, profiles, executor) is loaded on first live use only: esbuild turns this
// dynamic import into a lazy require of dist/aws.js, so activation never loads the SDK.

export type AwsLayer = typeof import('../aws');

let loading: Promise<AwsLayer> | undefined;

export function loadAwsLayer(): Promise<AwsLayer> {
  loading ??= import('../aws');
  return loading;
}
