// The AWS layer (SDK, executor) is loaded on first live use only: esbuild leaves this require of
// dist/aws.js external (esbuild.mjs), so activation never loads the SDK. A require, not import():
// Node's import() of a CommonJS bundle first scans all of it for its exports.

export type AwsLayer = typeof import('../aws');

let loading: Promise<AwsLayer> | undefined;

export function loadAwsLayer(): Promise<AwsLayer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, external require (see above)
  loading ??= Promise.resolve().then(() => require('../aws') as AwsLayer);
  return loading;
}
