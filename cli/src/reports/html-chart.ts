import { grouped } from './numbers';

/**
 * A line chart over UTC days as inline SVG: no script, no fonts or styles from anywhere else, so the report is
 * one file that opens offline. A day missing from `days` (no signed request that day, so probably no logs) is
 * a gap in every line, not a zero.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  /** Value per day (days since 1970-01-01); a covered day without an entry is 0. */
  readonly values: ReadonlyMap<number, number>;
}

export interface LineChart {
  /** What the chart shows, for screen readers and the tooltip of each point. */
  readonly label: string;
  /** The days the inputs cover, ascending. */
  readonly days: readonly number[];
  readonly series: readonly Series[];
  /** Formats a value for the axis and the tooltips. */
  readonly format: (value: number) => string;
  /** Upper end of the value axis. @default from the data */
  readonly max?: number;
  /** Smallest step between ticks (1 for counts, so no tick repeats a rounded value). @default none */
  readonly minStep?: number;
}

const WIDTH = 960;
const HEIGHT = 300;
const LEFT = 64;
const RIGHT = 40;
const TOP = 12;
const BOTTOM = 28;
/** Up to this many days, each point gets a marker (and a tooltip). */
const MARKED_DAYS = 92;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** 1, 2 or 5 times a power of ten: a tick step that gives about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

export function lineChartSvg(chart: LineChart): string {
  const { days, series, format } = chart;
  if (days.length === 0)
    return '<p class="note">No request in these logs has a readable time: nothing to draw.</p>';
  const dataMax = Math.max(0, ...series.flatMap((s) => [...s.values.values()]));
  const step = Math.max(chart.minStep ?? 0, niceStep(chart.max ?? Math.max(dataMax, 1), 4));
  const yMax = chart.max ?? Math.max(step, Math.ceil(dataMax / step) * step);
  const first = days[0] ?? 0;
  const span = Math.max(1, (days[days.length - 1] ?? 0) - first);
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (day: number) => (days.length === 1 ? LEFT + plotW / 2 : LEFT + ((day - first) / span) * plotW);
  const y = (v: number) => TOP + plotH - (v / yMax) * plotH;
  const px = (n: number) => n.toFixed(1);

  const grid: string[] = [];
  for (let v = 0; v <= yMax + step / 1e6; v += step) {
    grid.push(
      `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(v))}" y2="${px(y(v))}"/>` +
        `<text class="tick" x="${LEFT - 6}" y="${px(y(v) + 4)}" text-anchor="end">${escapeHtml(format(v))}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const xLabels = days
    .filter((_, i) => i % labelEvery === 0)
    .map(
      (d) => `<text class="tick" x="${px(x(d))}" y="${HEIGHT - 8}" text-anchor="middle">${isoDay(d)}</text>`,
    );

  const lines = series.map((s) => {
    let path = '';
    let previous: number | undefined;
    for (const d of days) {
      // A break in the covered days starts a new segment.
      const command = previous !== undefined && d === previous + 1 ? 'L' : 'M';
      path += `${command}${px(x(d))},${px(y(s.values.get(d) ?? 0))}`;
      previous = d;
    }
    const markers =
      days.length <= MARKED_DAYS
        ? days
            .map((d) => {
              const v = s.values.get(d) ?? 0;
              const tip = `${s.name}, ${isoDay(d)}: ${format(v)}`;
              return `<circle cx="${px(x(d))}" cy="${px(y(v))}" r="3"><title>${escapeHtml(tip)}</title></circle>`;
            })
            .join('')
        : '';
    return (
      `<g class="series" data-series="${escapeHtml(s.name)}" stroke="${s.color}" fill="${s.color}">` +
      `<path d="${path}" fill="none" stroke-width="2"/>${markers}</g>`
    );
  });

  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(chart.label)}">` +
    `${grid.join('')}${xLabels.join('')}` +
    `<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(0)}" y2="${y(0)}"/>` +
    `${lines.join('')}</svg>`
  );
}

/** The legend under a chart: each series' colour, name and total. */
export function legendHtml(series: readonly Series[], totals: readonly number[]): string {
  const items = series.map(
    (s, i) =>
      `<li><span class="swatch" style="background:${s.color}"></span>` +
      `<span class="name">${escapeHtml(s.name)}</span> <span class="count">${grouped(totals[i])}</span></li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}
