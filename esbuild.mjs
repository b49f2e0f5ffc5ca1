// One build script for both bundles (the shape of vscode-extension-samples' esbuild-sample).
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the form the `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  // jsonc-parser's default (UMD) entry hides its internal requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  logLevel: 'silent',
  plugins: [problemMatcher],
};

/**
 * The AWS layer (SDK clients, profiles, loader, executor) is its own bundle, dist/aws.js,
 * loaded on first live use: `import('../aws')` in the CLI and `require('../aws')` in the
 * extension (a require skips the scan of the whole bundle that import() makes) resolve to it at
 * run time. That keeps the SDK (~170 ms to load) out of activation.
 */
const lazyAwsLayer = {
  name: 'lazy-aws-layer',
  setup(build) {
    build.onResolve({ filter: /^(\.\.\/)+aws$/ }, (args) =>
      args.kind === 'dynamic-import' || args.kind === 'require-call' ? { path: './aws.js', external: true } : undefined);
  },
};

/** The yaml package, required by the CloudFormation YAML reader on first use, is dist/yaml.js in the extension. */
const lazyYaml = {
  name: 'lazy-yaml',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, (args) => (args.kind === 'require-call' ? { path: './yaml.js', external: true } : undefined));
  },
};

/**
 * bowser parses a browser's user agent for the SDK's browser runtime, behind an import() that
 * Node never reaches; bundled it is 35 KB of dist/aws.js. A stub keeps that call harmless.
 */
const noBrowserUserAgent = {
  name: 'no-browser-user-agent',
  setup(build) {
    build.onResolve({ filter: /^bowser$/ }, () => ({ path: 'bowser', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const parse = () => undefined;', loader: 'js' }));
  },
};

/** Same trick one level in: the extension's runtime (rules, parsers, tree, diagnostics) is dist/runtime.js, required on first need. */
const lazyRuntime = {
  name: 'lazy-runtime',
  setup(build) {
    build.onResolve({ filter: /^\.\/runtime$/ }, (args) =>
      args.kind === 'dynamic-import' || args.kind === 'require-call' ? { path: './runtime.js', external: true } : undefined);
  },
};

// A fresh dist/ each build: no stale bundle or source map from an earlier mode ships.
if (!watch) rmSync('dist', { recursive: true, force: true });

const contexts = await Promise.all([
  // The extension: `vscode` is provided by the host at run time.
  // Activation loads only this small bundle; it registers everything and forwards to the runtime.
  esbuild.context({ ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [...common.plugins, lazyRuntime] }),
  esbuild.context({ ...common, entryPoints: ['src/extension/runtime.ts'], outfile: 'dist/runtime.js', external: ['vscode'], plugins: [...common.plugins, lazyAwsLayer, lazyYaml] }),
  esbuild.context({ ...common, entryPoints: ['yaml'], outfile: 'dist/yaml.js' }),
  // The headless command: no vscode anywhere in its graph.
  esbuild.context({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, lazyAwsLayer] }),
  // The AWS layer, shared by both and loaded lazily.
  esbuild.context({ ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js', plugins: [...common.plugins, noBrowserUserAgent] }),
]);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) process.exit(1);
}
