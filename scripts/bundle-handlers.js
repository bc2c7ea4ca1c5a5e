#!/usr/bin/env node
// Bundles every Lambda handler (lib/<construct>/handler/index.ts) into lib/<construct>/handler.bundle/index.js
// with esbuild. Constructs load the bundle with Code.fromAsset, so a synth never runs a bundler and the
// published package ships the same files (the package build copies them next to the compiled construct).
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');

function handlerEntries() {
  return fs
    .readdirSync(LIB, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(LIB, d.name, 'handler', 'index.ts'))
    .filter((entry) => fs.existsSync(entry));
}

// The Lambda runtime is Node.js 24 (lambda.Runtime.NODEJS_24_X in every construct), so the bundle targets it.
// The AWS SDK is bundled, not left to the runtime's copy: the runtime's SDK version is whatever Lambda ships
// that week, while the handlers rely on the locked one (request timeouts that throw need a recent
// @smithy/node-http-handler, and the tests and the benchmark ran against the locked version). What it costs is
// measured by `npm run --silent bench:handler-bundle` (README, "Lambda bundles").
const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

async function bundleHandlers({ quiet = false, outRoot = LIB } = {}) {
  const entries = handlerEntries();
  for (const entry of entries) {
    const construct = path.basename(path.dirname(path.dirname(entry)));
    const outfile = path.join(outRoot, construct, 'handler.bundle', 'index.js');
    await esbuild.build({ ...ESBUILD_OPTIONS, entryPoints: [entry], outfile });
    if (!quiet) console.error(`bundled ${path.relative(ROOT, entry)} -> ${path.relative(ROOT, outfile)}`);
  }
  return entries.length;
}

module.exports = { bundleHandlers, handlerEntries, ESBUILD_OPTIONS };

if (require.main === module) {
  // `--quiet` (cdk.json's app command): synth's output stays the app's own, errors included.
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const out = args.find((a) => a !== '--quiet');
  const outRoot = out ? path.resolve(out) : LIB;
  bundleHandlers({ quiet, outRoot }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
