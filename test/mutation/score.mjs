// Mutation score over one or more mutant logs (test/mutation/mutant-log-reporter.mjs writes them), later logs
// overriding earlier ones: a full run followed by reruns of its survivors gives each mutant its latest status.
// A mutant is named by place, mutator and replacement; where Stryker makes several with the same name (the
// same replacement for code that starts at one place and ends at different places), see `pick`.
// Reruns must be of the same source as the first log (places are line:column).
// The score is Stryker's: (killed + timeout) / (all but compile and runtime errors), per file and in total.
//
//   node test/mutation/score.mjs reports/mutation/handler.tsv reports/mutation/rerun.tsv
//   node test/mutation/score.mjs --survivors <logs...>   (the mutants whose latest status is Survived or NoCoverage)
//   node test/mutation/score.mjs --unlisted <logs...>    (those of them test/mutation/equivalent-mutants.md does
//                                                        not list: a row with their place, mutator and
//                                                        replacement; exits 1 when there are any)
//   node test/mutation/score.mjs --ranges <logs...>      (the survivors' places as Stryker's --mutate takes them)
import { existsSync, readFileSync } from 'node:fs';

const MODES = ['--survivors', '--unlisted', '--ranges'];
const DETECTED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['CompileError', 'RuntimeError']);

const mode = MODES.includes(process.argv[2]) ? process.argv[2] : undefined;
const logs = process.argv.slice(mode ? 3 : 2);
const missing = logs.filter((log) => !existsSync(log));
if (logs.length === 0 || missing.length > 0) {
  if (missing.length > 0) console.error(`no such mutant log: ${missing.join(', ')}`);
  console.error(`usage: node test/mutation/score.mjs [${MODES.join(' | ')}] <mutants.tsv> [<rerun.tsv> ...]`);
  process.exit(2);
}

const latest = mergedLogs(logs);
if (mode === undefined) {
  printScores(latest);
} else {
  const listed = mode === '--unlisted' ? listedMutants() : undefined;
  const shown = latest.filter(
    ({ status, line }) =>
      (status === 'Survived' || status === 'NoCoverage') && (listed === undefined || !isListed(listed, line)),
  );
  if (mode === '--ranges') console.log([...new Set(shown.map(({ line }) => mutateRange(line)))].join(','));
  else for (const { line } of shown) console.log(line);
  process.exit(mode === '--unlisted' && shown.length > 0 ? 1 : 0);
}

/** Every mutant of the first log, each at the result of the last log that names it. */
function mergedLogs([first, ...reruns]) {
  const byName = new Map();
  for (const log of [first, ...reruns]) {
    const replaced = new Set();
    for (const line of readFileSync(log, 'utf8').trim().split('\n').slice(1)) {
      const [status, place, mutator, replacement, , to] = line.split('\t');
      const name = `${place}\t${mutator}\t${replacement}`;
      const mutant = { status, file: place.replace(/:\d+:\d+$/, ''), to, line };
      const same = byName.get(name) ?? [];
      byName.set(name, same);
      if (log === first) {
        same.push(mutant);
        continue;
      }
      const target = pick(
        same.filter((m) => !replaced.has(m)),
        to,
      );
      if (target === undefined) {
        console.error(`${log}: ${name.replaceAll('\t', ' ')} is not in ${first}, left out`);
        continue;
      }
      Object.assign(target, mutant);
      replaced.add(target);
    }
  }
  return [...byName.values()].flat();
}

/**
 * The mutant a rerun's result is for: the one that ends where it ends when both logs say (logs written before
 * the reporter recorded the end do not), else the first one not yet detected (a rerun retests survivors), else
 * the first.
 */
function pick(open, to) {
  const exact = to === undefined ? undefined : open.find((m) => m.to === to);
  return (
    exact ??
    open.find((m) => m.to === undefined && !DETECTED.has(m.status)) ??
    open.find((m) => m.to === undefined)
  );
}

/**
 * A mutant's place as Stryker's --mutate takes it: columns from 0 where the log (Stryker's report) counts from 1.
 * A log written before the reporter recorded where a mutant ends gives its whole line (its neighbours too).
 */
function mutateRange(line) {
  const [, place, , , , to] = line.split('\t');
  const [, file, startLine, startColumn] = place.match(/^(.*):(\d+):(\d+)$/);
  if (to === undefined) return `${file}:${startLine}-${startLine}`;
  const [endLine, endColumn] = to.split(':');
  return `${file}:${startLine}:${startColumn - 1}-${endLine}:${endColumn - 1}`;
}

/** True when a row of equivalent-mutants.md names the mutant's place and mutator and shows its replacement. */
function isListed(listed, line) {
  const [, place, mutator, replacement] = line.split('\t');
  const shown = JSON.parse(replacement);
  const rows = listed.get(`${place}\t${mutator}`) ?? [];
  // The md writes an empty template literal as `` ` ` `` (a backtick cannot stand alone in Markdown code).
  return rows.some((cell) => cell.includes(shown) || (shown === '``' && cell.includes('` `')));
}

/**
 * The rows of the equivalent-mutants tables by `path:line:column\tmutator` (a row may name several places and
 * mutators), each with its replacement cell. A row's file is in the folder of the `## lib/...` heading above it.
 */
function listedMutants() {
  const md = readFileSync(new URL('equivalent-mutants.md', import.meta.url), 'utf8');
  const listed = new Map();
  let folder = '';
  for (const row of md.split('\n')) {
    const heading = row.match(/^## (lib\/\S+\/)[\w-]+\.ts/);
    if (heading) folder = heading[1];
    if (!row.startsWith('| ') || !/\.ts:\d+:\d+/.test(row)) continue;
    // The first cell names the places; the mutator cell is the one of mutator names only (a table may add a
    // column, such as the place on an older commit, between them); the replacement follows it.
    const cells = row.replaceAll('\\|', '|').split(' | ');
    const at = cells.findIndex(
      (cell, i) => i > 0 && /^[A-Z][A-Za-z]+( \/ [A-Z][A-Za-z]+)*$/.test(cell.trim()),
    );
    if (at < 0) continue;
    const file = cells[0].match(/([\w-]+\.ts):/)[1];
    for (const [, lineCol] of cells[0].matchAll(/(\d+:\d+)/g)) {
      for (const mutator of cells[at].split(/[^A-Za-z]+/).filter(Boolean)) {
        const key = `${folder}${file}:${lineCol}\t${mutator}`;
        listed.set(key, [...(listed.get(key) ?? []), cells[at + 1] ?? '']);
      }
    }
  }
  return listed;
}

/** Stryker's table: a row per file and one for all, mutants with errors left out. */
function printScores(mutants) {
  const count = () => ({ detected: 0, timeout: 0, survived: 0, noCoverage: 0, valid: 0 });
  const rows = new Map();
  const total = count();
  for (const { status, file } of mutants) {
    if (INVALID.has(status)) continue;
    if (!rows.has(file)) rows.set(file, count());
    for (const r of [rows.get(file), total]) {
      r.valid++;
      if (DETECTED.has(status)) r.detected++;
      if (status === 'Timeout') r.timeout++;
      if (status === 'Survived') r.survived++;
      if (status === 'NoCoverage') r.noCoverage++;
    }
  }
  const pct = (r) => (r.valid === 0 ? 'n/a' : `${((100 * r.detected) / r.valid).toFixed(1)}%`);
  const cells = (name, r) =>
    [name, pct(r), r.detected, r.timeout, r.survived, r.noCoverage, r.valid].join('\t');
  console.log('file\tscore\tdetected\t(timeout)\tsurvived\tno coverage\tmutants');
  for (const [file, r] of [...rows].sort()) console.log(cells(file, r));
  console.log(cells('all', total));
}
