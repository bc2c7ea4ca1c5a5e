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
//                                                        not list: a row naming their place and mutator)
import { readFileSync } from 'node:fs';

const mode = ['--survivors', '--unlisted'].includes(process.argv[2]) ? process.argv[2] : undefined;
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
  const listed = mode === '--unlisted' ? listedMutants() : new Set();
  for (const { status, line } of latest) {
    if (status !== 'Survived' && status !== 'NoCoverage') continue;
    const [, place, mutator] = line.split('\t');
    const short = `${place.replace(/^.*\//, '')}\t${mutator}`;
    if (!listed.has(short)) console.log(line);
  }
  process.exit(0);
}

/** `file:line:column\tmutator` of every row of the equivalent-mutants tables (a row may name several of each). */
function listedMutants() {
  const md = readFileSync(new URL('equivalent-mutants.md', import.meta.url), 'utf8');
  const listed = new Set();
  for (const row of md.split('\n').filter((l) => l.startsWith('| ') && /\.ts:\d+:\d+/.test(l))) {
    // The first cell names the places; the mutator cell is the one of mutator names only (a table may add a
    // column, such as the place on an older commit, between them).
    const [placeCell, ...cells] = row.split(' | ');
    const mutatorCell = cells.find((cell) => /^[A-Z][A-Za-z]+( \/ [A-Z][A-Za-z]+)*$/.test(cell.trim())) ?? '';
    const file = placeCell.match(/([\w-]+\.ts):/)[1];
    for (const [, lineCol] of placeCell.matchAll(/(\d+:\d+)/g)) {
      for (const mutator of mutatorCell.split(/[^A-Za-z]+/).filter(Boolean)) {
        listed.add(`${file}:${lineCol}\t${mutator}`);
      }
    }
  }
  return listed;
}
const rows = new Map();
const total = { detected: 0, valid: 0, survived: 0, noCoverage: 0 };
for (const { status, file } of latest) {
  if (INVALID.has(status)) continue;
  const row = rows.get(file) ?? { detected: 0, valid: 0, survived: 0, noCoverage: 0 };
  rows.set(file, row);
  for (const r of [row, total]) {
    r.valid++;
    if (DETECTED.has(status)) r.detected++;
    if (status === 'Survived') r.survived++;
    if (status === 'NoCoverage') r.noCoverage++;
  }
}
const pct = (r) => `${((100 * r.detected) / r.valid).toFixed(1)}%`;
console.log('file\tscore\tdetected\tsurvived\tno coverage\tmutants');
for (const [file, r] of [...rows].sort()) {
  console.log(`${file}\t${pct(r)}\t${r.detected}\t${r.survived}\t${r.noCoverage}\t${r.valid}`);
}
console.log(`all\t${pct(total)}\t${total.detected}\t${total.survived}\t${total.noCoverage}\t${total.valid}`);
