// A Stryker reporter that appends each mutant's result to reports/mutation/mutants.tsv as soon as it is known,
// so survivors can be read (and a run's partial score counted) while a run of an hour or more is still going,
// or after it was stopped.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const FILE = process.env.MUTANT_LOG ?? 'reports/mutation/mutants.tsv';

class MutantLogReporter {
  static inject = [];

  constructor() {
    mkdirSync(path.dirname(FILE), { recursive: true });
    writeFileSync(FILE, 'status\tplace\tmutator\treplacement\ttime\tto\n');
  }

  onMutantTested(result) {
    const place = `${path.relative(process.cwd(), result.fileName)}:${result.location.start.line}:${result.location.start.column}`;
    const replacement = JSON.stringify(result.replacement ?? '');
    const when = new Date().toISOString().slice(11, 19);
    // Where the mutated code ends: mutants with the same place, mutator and replacement differ there.
    const to = `${result.location.end.line}:${result.location.end.column}`;
    appendFileSync(
      FILE,
      `${result.status}\t${place}\t${result.mutatorName}\t${replacement}\t${when}\t${to}\n`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutant-log', MutantLogReporter)];
