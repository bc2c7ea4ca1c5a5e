import * as fs from 'node:fs';
import * as path from 'node:path';

/** test/fixtures/peer: log lines written by other projects, copied unchanged (see its README). */
export const PEER_DIR = path.join(__dirname, '..', 'fixtures', 'peer');

/** One non-empty line of a peer fixture file. */
export interface PeerLine {
  /** Path below test/fixtures/peer. */
  readonly file: string;
  /** 1-based line number in that file. */
  readonly lineNumber: number;
  readonly text: string;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every file of raw log lines (not the READMEs, nor the upstream projects' expected outputs). */
export function peerLogFiles(): string[] {
  return walk(PEER_DIR)
    .filter((f) => !/\.(md|json|tsv)$/.test(f))
    .map((f) => path.relative(PEER_DIR, f))
    .sort();
}

/** Every non-empty line of one fixture file, or of all of them. */
export function peerLines(file?: string): PeerLine[] {
  const files = file === undefined ? peerLogFiles() : [file];
  return files.flatMap((f) =>
    fs
      .readFileSync(path.join(PEER_DIR, f), 'utf8')
      .split('\n')
      .map((text, i) => ({ file: f, lineNumber: i + 1, text }))
      .filter((l) => l.text !== ''),
  );
}

/** The line that its source left malformed (two spaces after the remote IP); see the fixtures' README. */
export function isKnownMalformed(line: PeerLine): boolean {
  return (
    line.file === path.join('dandi-extraction', '2022-01-01-05-06-35-0123456789ABCDEF') &&
    line.text.includes('[03/Aug/2022:')
  );
}
