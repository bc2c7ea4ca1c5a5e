#!/usr/bin/env node
// The s3-access-logs command. A checkout (the TypeScript sources next to this file) runs the sources through tsx
// (a devDependency), so `npm ci` then `npx s3-access-logs ...` works with no build step, and an edit to src/ or
// to the library's lib/ is what runs even after `npm pack` has left a dist/ behind. The installed package has no
// sources and runs the compiled JavaScript in dist/, which imports the installed library by its package exports
// (s3-access-logs/log-format, ...). The scan's worker threads make the same choice (src/scan/pool.ts).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The CLI's package folder (cli/ in a checkout). */
const root = path.join(__dirname, '..');
const sources = path.join(root, 'src', 'main.ts');

if (!fs.existsSync(sources)) {
  require(path.join(root, 'dist', 'main.js')).run();
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    fail('this checkout has no tsx: run `npm ci` (dev dependencies included) first');
  }
  let run;
  try {
    registerTsx();
    ({ run } = require(sources));
  } catch (error) {
    // A source that does not compile, or tsx failing: its message, without tsx's minified source and stack.
    fail(`cannot run the TypeScript sources: ${error instanceof Error ? error.message : String(error)}`);
  }
  run();
}

/**
 * Registers tsx, with cli/tsconfig.json whatever the working folder: its `paths` map the library's package
 * exports (`s3-access-logs/log-format`, ...) to the TypeScript sources in lib/ (the scan's worker threads inherit
 * the environment variable, so they map them the same way). tsx caches what it compiles in
 * `<os.tmpdir()>/tsx-<uid>` and crashes (printing its own minified source) when that folder cannot be made or
 * written, e.g. TMPDIR read-only. Then its cache goes to node_modules/.cache instead (tsx reads the folder once,
 * as it loads; the rest of the command keeps TMPDIR), so start-up stays quick; worker threads, started only for
 * large inputs, run without a cache.
 */
function registerTsx() {
  const tsconfig = path.join(root, 'tsconfig.json');
  if (process.env.TSX_TSCONFIG_PATH === undefined && fs.existsSync(tsconfig))
    process.env.TSX_TSCONFIG_PATH = tsconfig;
  if (process.env.TSX_DISABLE_CACHE || writable(os.tmpdir())) {
    require('tsx/cjs');
    return;
  }
  const fallback = path.join(path.dirname(require.resolve('tsx/package.json')), '..', '.cache');
  const tmpdir = process.env.TMPDIR;
  if (writable(fallback)) process.env.TMPDIR = fallback;
  else process.env.TSX_DISABLE_CACHE = '1';
  try {
    require('tsx/cjs');
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    process.env.TSX_DISABLE_CACHE = '1';
  }
}

/** Whether tsx can make and write its cache folder under `parent`. */
function writable(parent) {
  const user = process.geteuid ? process.geteuid() : os.userInfo().username;
  const cache = path.join(parent, `tsx-${user}`);
  try {
    fs.mkdirSync(cache, { recursive: true });
    fs.accessSync(cache, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  process.stderr.write(`s3-access-logs: ${message}\n`);
  process.exit(1);
}
