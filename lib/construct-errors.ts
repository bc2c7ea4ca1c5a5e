/**
 * The one way a construct of this library reports props it cannot build with. Every message starts with the
 * construct's class and its path (`BucketLogging MyStack/BucketLogging: concurrency must be ...`), so that in an
 * app with several instances the user knows which one to fix; the CDK app maps the prop the message names back
 * to its context key (lib/app-config.ts, `explainFailure`), aliased props by the class name at the start.
 */
import type { IConstruct } from 'constructs';

/**
 * An error naming the construct (`kind`, its class as the user wrote it; spelled out rather than read from
 * `constructor.name`, which bundlers rename) at `scope`, and every problem found (each a sentence that names
 * the prop and the fix).
 */
export function propsError(scope: IConstruct, kind: string, problems: string | readonly string[]): Error {
  const text = (typeof problems === 'string' ? [problems] : problems).map(asSentence).join(' ');
  return new Error(`${kind} ${scope.node.path}: ${text}`);
}

/**
 * The problem with a full stop if it has none, so that several read as separate sentences (`... (got 0).
 * transitionToInfrequentAccessAfter must be ...`) whether or not their authors ended them.
 */
function asSentence(problem: string): string {
  const text = problem.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Throws {@link propsError} when any problem was found; problems that are `undefined` are none. */
export function throwIfProblems(
  scope: IConstruct,
  kind: string,
  problems: ReadonlyArray<string | undefined>,
): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw propsError(scope, kind, found);
}
