import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, UsageError } from '../errors';
import { s3Client, s3Error } from './s3-client';
import { isS3Url, parseS3Url } from './s3-url';
import type { FileSource, Source } from './sources';
import { isGzipMagic } from './sources';
import type { TimeWindow } from './time-window';
import { keyDay, mayHoldDays } from './time-window';

/** What resolving found, including inputs that turned out empty (reported, not fatal). */
export interface ResolvedInputs {
  readonly sources: Source[];
  /** Arguments that named a folder or S3 prefix holding nothing to read. */
  readonly empty: string[];
}

/**
 * Turns the command's input arguments into sources, in the order given: files as they are; folders walked
 * recursively in name order (hidden entries skipped, files dated outside `--since`/`--until` by their
 * S3-style name skipped); `-` for standard input; `s3://bucket/prefix` listed. A missing or unreadable path,
 * or an S3 prefix that cannot be listed, fails with a message that names it.
 */
export async function resolveInputs(args: readonly string[], window: TimeWindow): Promise<ResolvedInputs> {
  if (args.length === 0)
    throw new UsageError('no inputs: give log files, folders, - (standard input) or s3://bucket/prefix');
  if (args.filter((arg) => arg === '-').length > 1)
    throw new UsageError('- (standard input) may be given only once');
  const sources: Source[] = [];
  const empty: string[] = [];
  for (const arg of args) {
    const found = await resolveOne(arg, window);
    if (found.length === 0) empty.push(arg);
    sources.push(...found);
  }
  return { sources, empty };
}

async function resolveOne(arg: string, window: TimeWindow): Promise<Source[]> {
  if (arg === '-') return [{ kind: 'stdin', name: '-' }];
  if (isS3Url(arg)) {
    const location = parseS3Url(arg);
    // Loaded on use, with the SDK (require, not import(): see engine/duckdb.ts).
    const { listLogObjects } = require('./s3-list') as typeof import('./s3-list');
    try {
      return await listLogObjects(await s3Client(), location, window);
    } catch (error) {
      throw s3Error(`cannot list ${arg}`, error);
    }
  }
  const stat = statOrFail(arg);
  if (stat.isDirectory()) return walk(arg, window);
  return [fileSource(arg, stat)];
}

function statOrFail(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (error) {
    throw fileError(file, error);
  }
}

/** A file-system error as a message that names the path. */
export function fileError(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new CliError(`${file}: no such file or folder`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`${file}: permission denied`);
    case 'EISDIR':
      return new CliError(`${file}: is a folder`);
    default:
      return new CliError(`${file}: ${(error as Error).message}`);
  }
}

function fileSource(file: string, stat: fs.Stats): FileSource {
  if (!stat.isFile()) throw new CliError(`${file}: not a regular file or folder`);
  return { kind: 'file', name: file, path: file, size: stat.size, gzip: startsWithGzipMagic(file) };
}

function startsWithGzipMagic(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(2);
    const n = fs.readSync(fd, head, 0, 2, 0);
    return isGzipMagic(head.subarray(0, n));
  } catch (error) {
    throw fileError(file, error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function walk(folder: string, window: TimeWindow): FileSource[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw fileError(folder, error);
  }
  const found: FileSource[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    // Follows links to files; a link to a folder is not walked, so a link cycle cannot loop.
    if (entry.isDirectory()) {
      found.push(...walk(full, window));
      continue;
    }
    const stat = statOrFail(full);
    if (!stat.isFile()) continue;
    const day = keyDay(full);
    if (day !== undefined && !mayHoldDays(window, day)) continue;
    found.push(fileSource(full, stat));
  }
  return found;
}
