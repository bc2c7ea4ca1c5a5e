/**
 * The bytes the log format's readers (split.ts, quick-check.ts) look for. Readers copy them into module-level
 * constants (`const { SPACE } = BYTE`) once at load: some module loaders (tsx, esbuild's CommonJS output) turn
 * every use of an imported name into a getter call, which costs on a path taken for every line.
 */
export const BYTE = {
  SPACE: 0x20,
  QUOTE: 0x22,
  DASH: 0x2d,
  OPEN_BRACKET: 0x5b,
  CLOSE_BRACKET: 0x5d,
  DIGIT_0: 0x30,
  DIGIT_9: 0x39,
} as const;
