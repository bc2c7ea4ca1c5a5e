import { ACCESS_LOG_REGEX } from '../../lib/log-format';
import { PREVIOUS_REGEX } from './previous-regex';

/**
 * The regex runs in java.util.regex (Athena) and in JavaScript (the reference parser, the tests). These checks
 * read its source and reject every construct whose meaning differs between the two, or that one lacks.
 */

interface Group {
  readonly start: number;
  readonly end: number;
  readonly capturing: boolean;
  /** The quantifier after the closing parenthesis, if any. */
  readonly quantifier: string;
}

/** Groups of a pattern and the escapes and classes it uses (a scanner just big enough for this regex). */
function scan(source: string): { groups: Group[]; escapes: string[]; classes: string[]; outside: string } {
  const groups: Group[] = [];
  const open: { start: number; capturing: boolean }[] = [];
  const escapes: string[] = [];
  const classes: string[] = [];
  let outside = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      escapes.push(source.slice(i, i + 2));
      outside += source.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      let j = i + 1;
      while (source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      classes.push(source.slice(i, j + 1));
      i = j;
    } else if (c === '(') {
      open.push({ start: i, capturing: source[i + 1] !== '?' });
      outside += c;
    } else if (c === ')') {
      const g = open.pop()!;
      const quantifier = /^(\*\?|\+\?|\?\?|\*|\+|\?|\{[0-9,]+\})?/.exec(source.slice(i + 1))![0];
      groups.push({ ...g, end: i, quantifier });
      outside += c;
    } else {
      outside += c;
    }
  }
  return { groups, escapes, classes, outside };
}

/** The most iterations a group may repeat: java.util.regex recurses once per iteration of a repeated group. */
const MAX_GROUP_REPEATS = 16;

/**
 * The quantifiers on groups that can repeat more than MAX_GROUP_REPEATS times. java.util.regex runs `*`, `+` and
 * `{m,}` over one character or class as a loop, but over a group as one level of recursion per iteration, so a
 * line with enough iterations (a few thousand quotes) overflows the default thread stack.
 */
function unboundedGroupRepeats(source: string): string[] {
  return scan(source)
    .groups.map((g) => g.quantifier)
    .filter((q) => {
      if (q === '' || q === '?' || q === '??') return false;
      const bounded = /^\{[0-9]+,([0-9]+)\}$/.exec(q);
      return bounded === null || Number(bounded[1]) > MAX_GROUP_REPEATS;
    });
}

describe('ACCESS_LOG_REGEX syntax', () => {
  const { groups, escapes, classes, outside } = scan(ACCESS_LOG_REGEX);

  it('uses no possessive quantifier', () => {
    expect(outside).not.toMatch(/[*+?}]\+/);
  });

  it('uses no atomic group, lookbehind, named group, inline flag or lookahead', () => {
    expect(outside).not.toMatch(/\(\?[^:]/);
  });

  it('escapes only ] [ and uses \\s \\S only inside [\\s\\S] (no \\Q..\\E, backreference, \\d, \\w, \\b)', () => {
    expect(new Set(escapes)).toEqual(new Set(['\\[', '\\]']));
    for (const cls of classes) {
      const body = cls.slice(1, -1).replace(/^\^/, '');
      // No nested class or intersection (Java reads `[` and `&&` inside a class as operators).
      expect(body).not.toMatch(/\[|&&/);
      const classEscapes = body.match(/\\./g) ?? [];
      expect(cls === '[\\s\\S]' || classEscapes.every((e) => e === '\\]')).toBe(true);
    }
  });

  it('has no unescaped dot (Java does not match U+0085 with it; JavaScript does)', () => {
    expect(outside).not.toContain('.');
  });

  it('puts no capture group inside a repeated group (Java keeps a capture from an earlier iteration)', () => {
    const repeated = groups.filter((g) => /^[*+{]/.test(g.quantifier));
    for (const r of repeated) {
      expect(groups.filter((g) => g.capturing && g.start > r.start && g.end < r.end)).toEqual([]);
    }
    expect(groups.filter((g) => g.capturing && /^[*+{]/.test(g.quantifier))).toEqual([]);
  });

  it('repeats a group at most 16 times, so java.util.regex recursion stays shallow on any line', () => {
    expect(unboundedGroupRepeats(ACCESS_LOG_REGEX)).toEqual([]);
    // The check finds what overflowed: the regex before this rule repeated its quoted segments without bound.
    expect(unboundedGroupRepeats(PREVIOUS_REGEX)).toEqual(['*?', '*?', '*']);
  });

  it('compiles as a JavaScript RegExp without flags', () => {
    expect(() => new RegExp(ACCESS_LOG_REGEX)).not.toThrow();
  });
});
