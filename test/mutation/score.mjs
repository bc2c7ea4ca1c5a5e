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
import { readFileSync } from 'node:fs';

const mode = ['--survivors', '--unlisted', '--ranges'].includes(process.argv[2])
  ? process.argv[2]
  : undefined;
const logs = process.argv.slice(mode ? 3 : 2);
if (logs.length === 0) {
  console.error('usage: node test/mutation/score.mjs <mutants.tsv> [<later mutants.tsv> ...]');
  process.exit(2);
}
const DETECTED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['CompileError', 'RuntimeError']);

/** Every mutant of the first log, by name; each later log's result replaces the one it names. */
const byName = new Map();
for (const [index, log] of logs.entries()) {
  const replaced = new Set();
  for (const line of readFileSync(log, 'utf8').trim().split('\n').slice(1)) {
    const [status, place, mutator, replacement, , to] = line.split('\t');
    const name = `${place}\t${mutator}\t${replacement}`;
    const mutant = { status, file: place.replace(/:\d+:\d+$/, ''), to, line };
    const same = byName.get(name) ?? [];
    byName.set(name, same);
    if (index === 0) {
      same.push(mutant);
      continue;
    }
    const open = same.filter((m) => !replaced.has(m));
    const target = pick(open, to);
    if (target === undefined) {
      console.error(`${log}: ${name.replaceAll('\t', ' ')} is not in ${logs[0]}, left out`);
      continue;
    }
    Object.assign(target, mutant);
    replaced.add(target);
  }
}

/**
 * The mutant a rerun's result is for: the one that ends where it ends when both logs say (logs written before
 * the reporter recorded the end do not), else the first one not yet detected (a rerun retests survivors), else
 * the first.
 */
function pick(open, to) {
  if (to !== undefined) {
    const exact = open.find((m) => m.to === to);
    if (exact !== undefined) return exact;
  }
  return (
    open.find((m) => m.to === undefined && !DETECTED.has(m.status)) ?? open.find((m) => m.to === undefined)
  );
}

const latest = [...byName.values()].flat();
if (mode) {
  const listed = mode === '--unlisted' ? listedMutants() : undefined;
  const shown = latest.filter(({ status, line }) => {
    if (status !== 'Survived' && status !== 'NoCoverage') return false;
    return listed === undefined || !isListed(listed, line);
  });
  if (mode === '--ranges') {
    // Stryker's --mutate ranges count columns from 0, the log (Stryker's report) from 1.
    const ranges = shown.map(({ line }) => {
      const [, place, , , , to] = line.split('\t');
      const [, file, startLine, startColumn] = place.match(/^(.*):(\d+):(\d+)$/);
      const [endLine, endColumn] = to.split(':');
      return `${file}:${startLine}:${startColumn - 1}-${endLine}:${endColumn - 1}`;
    });
    console.log([...new Set(ranges)].join(','));
  } else {
    for (const { line } of shown) console.log(line);
  }
  process.exit(mode === '--unlisted' && shown.length > 0 ? 1 : 0);
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
const rows = new Map();
const total = { detected: 0, timeout: 0, valid: 0, survived: 0, noCoverage: 0 };
for (const { status, file } of latest) {
  if (INVALID.has(status)) continue;
  const row = rows.get(file) ?? { detected: 0, timeout: 0, valid: 0, survived: 0, noCoverage: 0 };
  rows.set(file, row);
  for (const r of [row, total]) {
    r.valid++;
    if (DETECTED.has(status)) r.detected++;
    if (status === 'Timeout') r.timeout++;
    if (status === 'Survived') r.survived++;
    if (status === 'NoCoverage') r.noCoverage++;
  }
}
const pct = (r) => (r.valid === 0 ? 'n/a' : `${((100 * r.detected) / r.valid).toFixed(1)}%`);
console.log('file\tscore\tdetected\t(timeout)\tsurvived\tno coverage\tmutants');
for (const [file, r] of [...rows].sort()) {
  console.log(`${file}\t${pct(r)}\t${r.detected}\t${r.timeout}\t${r.survived}\t${r.noCoverage}\t${r.valid}`);
}
console.log(
  `all\t${pct(total)}\t${total.detected}\t${total.timeout}\t${total.survived}\t${total.noCoverage}\t${total.valid}`,
);
