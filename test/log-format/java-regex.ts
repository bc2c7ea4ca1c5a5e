import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Whether a JDK is on PATH (java 11+ runs a single source file); tests that need one skip without it. */
export const hasJava = spawnSync('java', ['-version']).status === 0;

/**
 * Reads lines with `regex` in java.util.regex as Athena does (test/log-format/java/RegexParity.java): one JSON
 * text per line, `null` (no match), the 27 groups, or `"StackOverflowError"`.
 */
export function readWithJava(regex: string, lines: readonly string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regex-parity-'));
  try {
    const regexFile = path.join(dir, 'regex.txt');
    fs.writeFileSync(regexFile, regex);
    const program = path.join(__dirname, 'java', 'RegexParity.java');
    const out = execFileSync('java', [program, regexFile], {
      input: `${lines.join('\n')}\n`,
      maxBuffer: 1 << 28,
    });
    return out.toString('utf8').trimEnd().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
