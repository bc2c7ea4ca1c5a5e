import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESERVED_PREFIX } from 's3-access-logs/conventions';
import { CliError, UsageError } from '../errors';
import { s3Client, s3Error } from './s3-client';
import { isS3Url, parseS3Url } from './s3-url';
import type { FileSource, Source } from './sources';
import { isGzipMagic } from './sources';
import type { TimeWindow } from './time-window';
import { keyDay, mayHoldDays } from './time-window';

/** What resolving found, including inputs that turned out empty or unreadable (reported, not fatal). */
export interface ResolvedInputs {
  /** Each file or object once, however many arguments name it (a file and its folder, a path twice). */
  readonly sources: Source[];
  /** Arguments that named a folder or S3 prefix holding nothing to read. */
  readonly empty: string[];
  /** Inputs that could not be read, one message each, naming the input and the reason. */
  readonly failed: string[];
  /** Files and objects left out by the date in their name (outside `--since`/`--until`). */
  readonly skippedByName: number;
}

/** The folder of the project's own objects in a log bucket (`_s3-access-logs`). */
const RESERVED_FOLDER = RESERVED_PREFIX.replace(/\/$/, '');

interface Found {
  readonly sources: Source[];
  readonly failed: string[];
  skippedByName: number;
}

/**
 * Turns the command's input arguments into sources, in the order given: files as they are; folders walked
 * recursively in name order (hidden entries skipped, files dated outside `--since`/`--until` by their
 * S3-style name skipped and counted); `-` for standard input; `s3://bucket/prefix` listed. A missing or
 * unreadable path, or an S3 prefix that cannot be listed, is reported in `failed` with a message that names it,
 * and the rest is resolved.
 */
export async function resolveInputs(args: readonly string[], window: TimeWindow): Promise<ResolvedInputs> {
  if (args.length === 0)
    throw new UsageError('no inputs: give log files, folders, - (standard input) or s3://bucket/prefix');
  if (args.filter((arg) => arg === '-').length > 1)
    throw new UsageError('- (standard input) may be given only once');
  const found: Found = { sources: [], failed: [], skippedByName: 0 };
  const empty: string[] = [];
  // An input named twice is read, and reported when it fails, once.
  const named = new Set<string>();
  for (const arg of args) {
    const key = arg === '-' || isS3Url(arg) ? arg : path.resolve(arg);
    if (named.has(key)) continue;
    named.add(key);
    const before = found.sources.length;
    const failedBefore = found.failed.length;
    const skippedBefore = found.skippedByName;
    try {
      await resolveOne(arg, window, found);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      found.failed.push(error.message);
    }
    const nothing =
      found.sources.length === before &&
      found.failed.length === failedBefore &&
      found.skippedByName === skippedBefore;
    if (nothing) empty.push(arg);
  }
  return {
    sources: once(found.sources),
    empty,
    // Overlapping folders (logs/ and logs/2024/) meet the same unreadable entry twice: one message.
    failed: [...new Set(found.failed)],
    skippedByName: found.skippedByName,
  };
}

/** Sources with repeats dropped (the first one kept): files by their real path, objects by bucket and key. */
function once(sources: readonly Source[]): Source[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const id = identity(source);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function identity(source: Source): string {
  switch (source.kind) {
    case 'file':
      try {
        return `file:${fs.realpathSync(source.path)}`;
      } catch {
        return `file:${path.resolve(source.path)}`;
      }
    case 's3':
      return `s3:${source.bucket}/${source.key}`;
    case 'stdin':
      return 'stdin';
    default: {
      const unexpected: never = source;
      throw new Error(`unknown source ${JSON.stringify(unexpected)}`);
    }
  }
}

async function resolveOne(arg: string, window: TimeWindow, found: Found): Promise<void> {
  if (arg === '-') {
    found.sources.push({ kind: 'stdin', name: '-' });
    return;
  }
  if (isS3Url(arg)) {
    const location = parseS3Url(arg);
    // Loaded on use, with the SDK (require, not import(): see engine/duckdb.ts).
    const { listLogObjects } = require('./s3-list') as typeof import('./s3-list');
    try {
      const objects = await listLogObjects(await s3Client(), location, window, () => {
        found.skippedByName++;
      });
      found.sources.push(...objects);
      return;
    } catch (error) {
      throw s3Error(`cannot list ${arg}`, error);
    }
  }
  const stat = statOrFail(arg);
  if (stat.isDirectory()) walk(arg, window, found);
  else found.sources.push(fileSource(arg, stat));
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

/** Adds the folder's files; a part that cannot be read is reported in `found.failed` and the rest walked. */
function walk(folder: string, window: TimeWindow, found: Found): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    found.failed.push(fileError(folder, error).message);
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    // A copy of a whole log bucket holds the project's own objects (reports, compacted Parquet) there: no logs,
    // and skipped as they are in S3. No bucket name starts with `_`, so no log folder is named so.
    if (entry.name === RESERVED_FOLDER && entry.isDirectory()) continue;
    const full = path.join(folder, entry.name);
    // Follows links to files; a link to a folder is not walked, so a link cycle cannot loop.
    if (entry.isDirectory()) {
      walk(full, window, found);
      continue;
    }
    try {
      const stat = statOrFail(full);
      if (!stat.isFile()) continue;
      const day = keyDay(full);
      if (day !== undefined && !mayHoldDays(window, day)) {
        found.skippedByName++;
        continue;
      }
      found.sources.push(fileSource(full, stat));
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      found.failed.push(error.message);
    }
  }
}
