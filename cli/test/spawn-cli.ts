import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The repository's root, and the command's launcher in the CLI's workspace folder. */
export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'cli', 'bin', 's3-access-logs.js');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  readonly stdin?: Buffer;
  readonly env?: NodeJS.ProcessEnv;
  /** A file descriptor for standard output instead of a pipe. */
  readonly stdoutFd?: number;
  /** Called with the child once it runs (to send it a signal). */
  readonly started?: (child: ReturnType<typeof spawn>) => void;
  /** Keep standard input open (the child waits on it) until the child ends. */
  readonly holdStdin?: boolean;
  /** The launcher to run (default: the checkout's). */
  readonly bin?: string;
  /** The working folder (default: the repository's root). */
  readonly cwd?: string;
}

/** Spawns the real command from the checkout (`node bin/s3-access-logs.js ...`) and collects what it printed. */
export function cli(args: string[], options: SpawnOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', options.stdoutFd ?? 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (options.holdStdin) child.stdin?.write(options.stdin ?? '');
    else child.stdin?.end(options.stdin);
    options.started?.(child);
  });
}
