#!/usr/bin/env node
// Checks (default) or rewrites (--update) api/s3-access-logs.api.md, the report of the package's public API.
// API Extractor reads declaration files, so the declarations of lib/ are emitted into a temporary folder first
// (tsc --emitDeclarationOnly, a few seconds); dist/ is left alone. A change to the public surface then shows up
// in review as a diff of the report, and `npm test` fails until the report is updated.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const ROOT = path.resolve(__dirname, '..');
const REPORT_FOLDER = path.join(ROOT, 'api');
const REPORT_NAME = 's3-access-logs';

function emitDeclarations(outDir) {
  const tsc = require.resolve('typescript/bin/tsc');
  const args = [
    tsc,
    '-p',
    path.join(ROOT, 'tsconfig.build.json'),
    '--emitDeclarationOnly',
    '--outDir',
    outDir,
  ];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`tsc failed to emit declarations:\n${result.stdout}${result.stderr}`);
  }
}

/** Runs API Extractor; returns true when the committed report matches (or was written, with update). */
function apiReport({ update = false } = {}) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 's3al-api-'));
  try {
    emitDeclarations(path.join(temp, 'dts'));
    const config = ExtractorConfig.prepare({
      configObjectFullPath: undefined,
      packageJsonFullPath: path.join(ROOT, 'package.json'),
      configObject: {
        projectFolder: ROOT,
        mainEntryPointFilePath: path.join(temp, 'dts', 'lib', 'index.d.ts'),
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              module: 'commonjs',
              moduleResolution: 'node',
              lib: ['ES2022'],
              types: ['node'],
              strict: true,
              skipLibCheck: true,
            },
            files: [path.join(temp, 'dts', 'lib', 'index.d.ts')],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: REPORT_NAME,
          reportFolder: REPORT_FOLDER,
          reportTempFolder: path.join(temp, 'report'),
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'error' } },
          extractorMessageReporting: {
            default: { logLevel: 'warning' },
            // The package marks nothing @public/@beta: everything exported from the root is the public API.
            'ae-missing-release-tag': { logLevel: 'none' },
            // A public signature that uses a type the root does not export is an API mistake: fail on it.
            'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: false },
          },
          // The TSDoc comments follow the aws-cdk-lib convention (`@default`), which TSDoc does not define.
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
    });
    const result = Extractor.invoke(config, {
      localBuild: update,
      printApiReportDiff: true,
      messageCallback: (message) => {
        // Its advice to copy a file from the temporary folder does not apply: that folder is deleted below.
        if (message.messageId === 'console-api-report-not-copied') message.handled = true;
        if (message.messageId === 'console-preamble') message.handled = true;
      },
    });
    if (!update && result.apiReportChanged) {
      console.error(
        `The public API differs from api/${REPORT_NAME}.api.md (diff above). If the change is intended, ` +
          'run `npm run api:update` and commit the report.',
      );
      return false;
    }
    return result.succeeded;
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

module.exports = { apiReport };

if (require.main === module) {
  const ok = apiReport({ update: process.argv.includes('--update') });
  process.exit(ok ? 0 : 1);
}
