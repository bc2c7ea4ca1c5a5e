#!/usr/bin/env node
// The s3-access-logs command. An installed package runs the compiled JavaScript in dist/; a repository checkout
// has no dist/, so it registers tsx (a devDependency) and runs the TypeScript sources directly: `npm ci` then
// `npx s3-access-logs ...` works with no build step. The scan's worker threads make the same choice.
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'lib', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled).run();
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    process.stderr.write(
      's3-access-logs: no dist/ and no tsx: run `npm ci` (dev dependencies included) first\n',
    );
    process.exit(1);
  }
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'lib', 'cli', 'main.ts')).run();
}
