/**
 * test/mutation/score.mjs, which the README's mutation scores come from: a run merged with reruns of its
 * survivors, the survivors equivalent-mutants.md does not explain, and the ranges a rerun takes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(__dirname, 'score.mjs');
const HEADER = 'status\tplace\tmutator\treplacement\ttime\tto';
const dir = mkdtempSync(path.join(tmpdir(), 'score-'));

/** A mutant log as the reporter writes it; `to` may be left out, as in logs written before it was recorded. */
function log(name: string, rows: string[][]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${[HEADER, ...rows.map((r) => r.join('\t'))].join('\n')}\n`);
  return file;
}

function score(...args: string[]) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: run.status, out: run.stdout.trim().split('\n'), err: run.stderr };
}

const F = 'lib/x/a.ts';

describe('score.mjs', () => {
  it('counts each mutant at its latest result, errors left out, timeouts as detected', () => {
    const run = log('run.tsv', [
      ['Killed', `${F}:1:1`, 'StringLiteral', '""', 't', '1:5'],
      ['Timeout', `${F}:2:1`, 'BlockStatement', '"{}"', 't', '3:2'],
      ['Survived', `${F}:4:1`, 'ConditionalExpression', '"true"', 't', '4:9'],
      ['NoCoverage', `${F}:5:1`, 'ConditionalExpression', '"false"', 't', '5:9'],
      ['RuntimeError', `${F}:6:1`, 'StringLiteral', '""', 't', '6:5'],
    ]);
    const rerun = log('rerun.tsv', [['Killed', `${F}:4:1`, 'ConditionalExpression', '"true"', 't', '4:9']]);

    expect(score(run).out.at(-1)).toBe('all\t50.0%\t2\t1\t1\t1\t4');
    expect(score(run, rerun).out.at(-1)).toBe('all\t75.0%\t3\t1\t0\t1\t4');
  });

  it('gives a rerun result to the mutant that ends where it ends, among mutants of one name', () => {
    const run = log('same-name.tsv', [
      ['Survived', `${F}:7:3`, 'ConditionalExpression', '"true"', 't', '7:20'],
      ['Survived', `${F}:7:3`, 'ConditionalExpression', '"true"', 't', '7:40'],
    ]);
    const rerun = log('same-name-rerun.tsv', [
      ['Killed', `${F}:7:3`, 'ConditionalExpression', '"true"', 't', '7:40'],
    ]);

    expect(score('--survivors', run, rerun).out).toEqual([
      ['Survived', `${F}:7:3`, 'ConditionalExpression', '"true"', 't', '7:20'].join('\t'),
    ]);
  });

  it('without recorded ends, gives a rerun result to a mutant not yet detected', () => {
    const run = log('old.tsv', [
      ['Killed', `${F}:8:3`, 'ConditionalExpression', '"true"'],
      ['Survived', `${F}:8:3`, 'ConditionalExpression', '"true"'],
    ]);
    const rerun = log('old-rerun.tsv', [['Killed', `${F}:8:3`, 'ConditionalExpression', '"true"']]);

    expect(score(run, rerun).out.at(-1)).toBe('all\t100.0%\t2\t0\t0\t0\t2');
  });

  it('prints the survivors as --mutate ranges, columns from 0, the whole line where the end is unknown', () => {
    const run = log('ranges.tsv', [
      ['Survived', `${F}:10:5`, 'EqualityOperator', '"a <= b"', 't', '10:11'],
      ['Killed', `${F}:11:5`, 'EqualityOperator', '"a <= b"', 't', '11:11'],
    ]);
    const old = log('ranges-old.tsv', [['NoCoverage', `${F}:12:5`, 'BlockStatement', '"{}"']]);

    expect(score('--ranges', run).out).toEqual([`${F}:10:4-10:10`]);
    expect(score('--ranges', old).out).toEqual([`${F}:12-12`]);
  });

  it('--unlisted passes a survivor the list names by place, mutator and replacement, and fails the others', () => {
    // engine.ts:121:7: five survivors with these mutators are listed in equivalent-mutants.md.
    const place = 'lib/bucket-logging/handler/engine.ts:121:7';
    const listed = [
      'Survived',
      place,
      'LogicalOperator',
      '"cursor.pending.length > 0 && !cursor.sourceDone"',
    ];
    const otherReplacement = ['Survived', place, 'ConditionalExpression', '"true"'];
    const otherFolder = ['Survived', 'lib/log-format/engine.ts:121:7', ...listed.slice(2)];

    expect(score('--unlisted', log('listed.tsv', [listed]))).toMatchObject({ status: 0, out: [''] });
    const unlisted = score('--unlisted', log('unlisted.tsv', [listed, otherReplacement, otherFolder]));
    expect(unlisted.status).toBe(1);
    expect(unlisted.out).toEqual([otherReplacement.join('\t'), otherFolder.join('\t')]);
  });

  it('names a missing log and exits 2, without a stack trace', () => {
    const run = score(path.join(dir, 'nope.tsv'));

    expect(run.status).toBe(2);
    expect(run.err).toContain('no such mutant log:');
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});
