/**
 * A one-line progress bar on standard error: bytes read, throughput, lines per second and time left. It shows
 * only on a terminal, and only once the work has run for a second, so quick runs, pipes and CI logs stay
 * clean. It redraws at most five times a second.
 */

/** What the bar needs of a stream (process.stderr in practice). */
export interface TerminalLike {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  add(bytes: number, lines: number): void;
  /** Erases the bar (before the command prints its result). */
  finish(): void;
}

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 200;

export function progressBar(
  stream: TerminalLike,
  totalBytes: number | undefined,
  options: { readonly quiet?: boolean; readonly now?: () => number } = {},
): Progress | undefined {
  if (options.quiet || !stream.isTTY) return undefined;
  const now = options.now ?? Date.now;
  const started = now();
  let bytes = 0;
  let lines = 0;
  let drawnAt = 0;
  let shown = false;
  return {
    add(b, l) {
      bytes += b;
      lines += l;
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - drawnAt < REDRAW_MS) return;
      drawnAt = t;
      shown = true;
      stream.write(
        `\r${renderProgress(bytes, lines, totalBytes, (t - started) / 1000, stream.columns || 80)}\x1b[K`,
      );
    },
    finish() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${(bytes / 1e3).toFixed(0)} kB`;
}

function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return n.toFixed(0);
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The bar's text, fitted to `columns`. */
export function renderProgress(
  bytes: number,
  lines: number,
  total: number | undefined,
  seconds: number,
  columns: number,
): string {
  const rate = seconds > 0 ? bytes / seconds : 0;
  const stats = [`${size(rate)}/s`, `${count(seconds > 0 ? lines / seconds : 0)} lines/s`];
  if (total === undefined || total <= 0) {
    return [size(bytes), ...stats].join('  ').slice(0, columns - 1);
  }
  const fraction = Math.min(1, bytes / total);
  const eta = rate > 0 ? duration((total - bytes) / rate) : '?';
  const text = [
    `${Math.floor(fraction * 100)
      .toString()
      .padStart(3)}%`,
    `${size(bytes)} of ${size(total)}`,
    ...stats,
    `ETA ${eta}`,
  ].join('  ');
  const barWidth = Math.min(30, columns - 1 - text.length - 3);
  if (barWidth < 5) return text.slice(0, columns - 1);
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${text}`;
}
