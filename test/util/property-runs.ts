// How many cases a property test tries. `npm run mutation` runs the tests once per mutant, through Stryker's
// instrumented code (several times slower), so stryker.config.mjs sets PROPERTY_RUNS_SCALE=0.1: a tenth of
// the cases. A mutant that survives that is tried again by hand with every case before it is called
// equivalent (test/mutation/equivalent-mutants.md); `npm test` and CI always try every case.
const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? '1');

/** `n` cases, or `n` scaled by PROPERTY_RUNS_SCALE (at least one). */
export function runs(n: number): number {
  return Math.max(1, Math.ceil(n * scale));
}
