import { progressBar, renderProgress } from '../src/progress';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 100, write: (t: string) => writes.push(t), writes };
}

describe('progressBar', () => {
  it('draws nothing off a terminal or with --quiet', () => {
    expect(progressBar(terminal(false), 100)).toBeUndefined();
    expect(progressBar(terminal(true), 100, { quiet: true })).toBeUndefined();
  });

  it('stays hidden for the first second, then redraws at most five times a second and erases itself', () => {
    let now = 0;
    const tty = terminal(true);
    const bar = progressBar(tty, 1000, { now: () => now })!;
    bar.add(100, 10);
    now = 1500;
    bar.add(100, 10);
    now = 1600;
    bar.add(100, 10);
    now = 1800;
    bar.add(100, 10);
    bar.finish();
    expect(tty.writes).toHaveLength(3);
    expect(tty.writes[0]).toMatch(/^\r\[.*\] +20%/);
    expect(tty.writes[1]).toMatch(/ 40% /);
    expect(tty.writes[2]).toBe('\r\x1b[K');
  });
});

describe('renderProgress', () => {
  it('shows bytes, throughput, lines per second and time left, within the width', () => {
    const text = renderProgress(300e6, 500_000, 1e9, 1, 80);
    expect(text).toBe('[######..............]  30%  300 MB of 1.0 GB  300 MB/s  500k lines/s  ETA 0:02');
    expect(text.length).toBeLessThan(80);
    expect(renderProgress(300e6, 500_000, 1e9, 1, 60).length).toBeLessThan(60);
  });

  it('shows what it can when the total is unknown (standard input)', () => {
    expect(renderProgress(2e9, 3e6, undefined, 2, 80)).toBe('2.0 GB  1.0 GB/s  1.5M lines/s');
  });
});
