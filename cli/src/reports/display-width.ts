/**
 * How many terminal columns text takes: East Asian wide and fullwidth characters and emoji take two, combining
 * marks and other zero-width code points none. Counted per grapheme (Intl.Segmenter), so an emoji sequence or a
 * letter with its accents is one unit, never split. (string-width does this too, but is ESM-only since v6 and this
 * package is CommonJS for Node 20.)
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Unicode's East Asian Width W and F code points, by block (EastAsianWidth.txt, Unicode 15): Hangul Jamo
 * initials, CJK radicals to Yi, Hangul syllables, CJK compatibility ideographs, vertical and small forms,
 * fullwidth forms, and the supplementary ideographic planes.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}/u;
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]+$/u;

function wide(codePoint: number): boolean {
  for (const [low, high] of WIDE) {
    if (codePoint < low) return false;
    if (codePoint <= high) return true;
  }
  return false;
}

/** The columns one grapheme takes: 0, 1 or 2. */
function graphemeWidth(grapheme: string): number {
  const first = grapheme.codePointAt(0) ?? 0;
  if (first < 0x300) return first < 0x20 || (first >= 0x7f && first < 0xa0) ? 0 : 1;
  if (ZERO.test(grapheme)) return 0;
  return wide(first) || EMOJI.test(grapheme) ? 2 : 1;
}

/** The text's graphemes with their widths. */
export function graphemes(text: string): { readonly text: string; readonly width: number }[] {
  return Array.from(segmenter.segment(text), ({ segment }) => ({
    text: segment,
    width: graphemeWidth(segment),
  }));
}

/** The columns `text` takes in a terminal. */
export function displayWidth(text: string): number {
  // Printable ASCII, by far the usual case, is one column a character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const g of graphemes(text)) width += g.width;
  return width;
}
