import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ACCESS_LOG_PATTERN, COLUMN_NAMES } from '../../lib/log-format';
import { MAX_QUOTES_INSIDE } from '../../lib/log-format/regex';
import { lineWith } from './hostile-lines';
import { PREVIOUS_REGEX } from './previous-regex';

/**
 * The regex was rebuilt so that java.util.regex cannot overflow on any line; every field it yields must stay what
 * the previous regex yielded on every real line, and on every generated line whose request URI and referrer hold
 * at most MAX_QUOTES_INSIDE quotes (the one bound the new regex adds).
 */
const PREVIOUS = new RegExp(`^(?:${PREVIOUS_REGEX})$`);

function groups(pattern: RegExp, line: string): (string | null)[] | null {
  const match = pattern.exec(line);
  return match === null ? null : match.slice(1).map((v) => v ?? null);
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const quotes = (s: string | null) => (s ?? '').split('"').length - 1;
const URI = COLUMN_NAMES.indexOf('request_uri');
const REFERRER = COLUMN_NAMES.indexOf('referrer');

describe('ACCESS_LOG_REGEX against the regex it replaced', () => {
  it('yields the same groups on every line of every fixture file (peer, external, cli)', () => {
    const lines = walk(FIXTURES).flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split(/\r?\n/)
        .map((text, i) => ({ where: `${path.relative(FIXTURES, f)}:${i + 1}`, text })),
    );
    const differing = lines
      .filter(
        (l) =>
          JSON.stringify(groups(PREVIOUS, l.text)) !== JSON.stringify(groups(ACCESS_LOG_PATTERN, l.text)),
      )
      .map((l) => l.where);
    expect(differing).toEqual([]);
    // Most fixture lines are records, so the comparison is over real reads, not only refusals.
    expect(lines.filter((l) => groups(PREVIOUS, l.text) !== null).length).toBeGreaterThan(1200);
  });

  // Fields made of the characters that move a line onto another path through either regex.
  const piece = fc.constantFrom('"', '"', ' ', '-', '"-"', 'a', '7', '[', ']', '\\', 'é');
  const text = fc.array(piece, { maxLength: 14 }).map((ps) => ps.join(''));
  // Number-like tokens: up to 18 digits, with a dash or a letter before or after (`12-`, `-5`, `-`, `9a`).
  const numberLike = fc
    .tuple(
      fc.constantFrom('', '-'),
      fc.array(fc.constantFrom('0', '9'), { maxLength: 18 }),
      fc.constantFrom('', '-', 'a', '-9'),
    )
    .map(([before, digits, after]) => before + digits.join('') + after)
    .filter((t) => t !== '');
  const changed = fc.constantFrom(...COLUMN_NAMES, 'bytessent', 'objectsize', 'httpstatus');
  const value = fc.oneof(
    text,
    text.map((t) => `"${t}"`),
    numberLike,
  );
  const line = fc
    .array(fc.tuple(changed, value), { maxLength: 4 })
    .map((changes) => lineWith(Object.fromEntries(changes)));

  it('reads no line the previous regex refused, and reads the same groups where the URI and referrer hold at most 8 quotes', () => {
    let compared = 0;
    fc.assert(
      fc.property(line, (l) => {
        const before = groups(PREVIOUS, l);
        const after = groups(ACCESS_LOG_PATTERN, l);
        if (before === null) {
          expect(after).toBeNull();
        } else if (
          quotes(before[URI]) <= MAX_QUOTES_INSIDE &&
          quotes(before[REFERRER]) <= MAX_QUOTES_INSIDE
        ) {
          compared++;
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 5000, seed: 9 },
    );
    expect(compared).toBeGreaterThan(1000);
  });
});
