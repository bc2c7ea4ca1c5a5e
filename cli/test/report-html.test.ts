import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { DAYS, HOSTILE_AGENT, monthOfLog, REQUESTERS, withFields } from './report-lines';

/*
 * The HTML report as a person sees it: the real command writes the file, Debian's chromium opens it with no
 * network, and the test reads the rendered page. A screenshot goes to test-artifacts/ (TEST_ARTIFACTS_DIR to
 * change). In CI (CI=true) a missing chromium fails the test (.ci/run installs it); elsewhere the test is
 * skipped and says how to install it.
 */

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'cli', 'bin', 's3-access-logs.js');
const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? path.join(ROOT, 'test-artifacts');
const TOP = 5;

function chromiumPath(): string | undefined {
  const which = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  return found === '' ? undefined : found;
}

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const chromium = chromiumPath();
const inCi = process.env.CI === 'true';
if (chromium === undefined && !inCi) {
  console.warn(
    'report-html.test.ts skipped: chromium is not installed (apt-get install -y chromium; CI=true fails instead)',
  );
}

if (chromium === undefined && inCi) {
  it('has chromium to render the HTML report in (CI=true)', () => {
    throw new Error('chromium is not installed: .ci/run installs it with `apt-get install -y chromium`');
  });
}

(chromium === undefined ? describe.skip : describe)(
  chromium === undefined
    ? 'the HTML report in a browser (skipped: no chromium; `apt-get install -y chromium` to run it)'
    : 'the HTML report in a browser',
  () => {
    const log = monthOfLog();
    let dir: string;
    let browser: Browser;
    let html: string;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-'));
      fs.writeFileSync(path.join(dir, 'access.log'), log.text);
      html = path.join(dir, 'report.html');
      const result = await run(['report', path.join(dir, 'access.log'), '-o', html, '--top', String(TOP)]);
      expect(result).toMatchObject({ code: 0 });
      expect(result.stderr).toContain(`wrote ${html}`);
      browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        // Root (as in CI) cannot use chromium's sandbox.
        args: ['--no-sandbox', '--disable-gpu'],
      });
    });
    afterAll(async () => {
      await browser?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('renders with no console errors, fetches nothing and runs no script from the logs', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html).href]);
      expect(await page.evaluate(() => (globalThis as { __ran?: boolean }).__ran)).toBeUndefined();
      const agents = await page.$$eval('#requesters tbody tr', (rows) =>
        rows.map((r) => r.textContent ?? ''),
      );
      expect(agents.some((text) => text.includes(HOSTILE_AGENT))).toBe(true);

      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
      await page.close();
    });

    it('draws one line per top requester, most SigV2 requests first, and one for the rest', async () => {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(html).href);
      const series = await page.$$eval('#per-requester svg .series', (groups) =>
        groups.map((g) => g.getAttribute('data-series')),
      );
      const expected = [...log.sigv2].sort((a, b) => b[1] - a[1]).map(([r]) => r);
      expect(series).toEqual([...expected.slice(0, TOP), `other requesters (${REQUESTERS.length - TOP})`]);
      // Each line has a point per day the logs cover, and the day without logs is a gap between two segments.
      const points = await page.$$eval('#per-requester svg .series:first-of-type circle', (c) => c.length);
      expect(points).toBe(DAYS - 1);
      const path0 = await page.$eval('#per-requester svg .series path', (p) => p.getAttribute('d') ?? '');
      expect(path0.match(/M/g)).toHaveLength(2);
      await page.close();
    });

    it('wraps long bucket names only after a separator in a narrow window', async () => {
      // The month's SigV2 lines, each requester in a long bucket of its own (bucket_name rewritten).
      const lines = log.text
        .split('\n')
        .filter((l) => l.includes(' SigV2 '))
        .map((l) => {
          const i = REQUESTERS.findIndex((r) => l.includes(` ${r} `));
          return withFields(l, {
            bucket_name: `amzn-s3-demo-bucket-${i}-access-logs-archive.eu-west-1.example`,
          });
        });
      const narrow = path.join(dir, 'buckets.html');
      fs.writeFileSync(path.join(dir, 'buckets.log'), `${lines.join('\n')}\n`);
      const result = await run(['report', path.join(dir, 'buckets.log'), '-o', narrow]);
      expect(result.code).toBe(0);
      const page = await browser.newPage();
      await page.setViewport({ width: 700, height: 900 });
      await page.goto(pathToFileURL(narrow).href);
      // For each bucket shown, the character before every line break (where the next character's box starts
      // lower than the last one's).
      const breaks = await page.$$eval('#requesters tbody td:nth-child(9) .value', (spans) =>
        spans.map((span) => {
          const doc = (span as unknown as { ownerDocument: { createRange(): DomRange } }).ownerDocument;
          type DomRange = {
            setStart(n: unknown, o: number): void;
            setEnd(n: unknown, o: number): void;
            getBoundingClientRect(): { top: number };
          };
          const chars: { ch: string; top: number }[] = [];
          for (const node of Array.from(
            (span as unknown as { childNodes: ArrayLike<{ nodeType: number; textContent: string | null }> })
              .childNodes,
          )) {
            if (node.nodeType !== 3) continue;
            const text = node.textContent ?? '';
            for (let i = 0; i < text.length; i++) {
              const range = doc.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              chars.push({ ch: text[i], top: range.getBoundingClientRect().top });
            }
          }
          const before: string[] = [];
          for (let i = 1; i < chars.length; i++)
            if (chars[i].top > chars[i - 1].top + 1) before.push(chars[i - 1].ch);
          return { text: chars.map((c) => c.ch).join(''), before };
        }),
      );
      expect(breaks.length).toBeGreaterThan(0);
      // The window is too narrow for the names on one line: they do wrap, and only after - or .
      expect(breaks.some((b) => b.before.length > 0)).toBe(true);
      for (const b of breaks) for (const ch of b.before) expect(`${b.text}: ${ch}`).toMatch(/: [-.]$/);
      await page.close();
    });

    it('lists every SigV2 requester with its requests, and the share of SigV2 per day', async () => {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(html).href);
      const rows = await page.$$eval('#requesters tbody tr', (trs) =>
        // The project compiles without the DOM's types: say what is read from each cell.
        trs.map((tr) =>
          Array.from(tr.children as ArrayLike<{ textContent: string | null }>, (td) => td.textContent ?? ''),
        ),
      );
      expect(rows).toHaveLength(REQUESTERS.length);
      for (const [requester, requests] of log.sigv2) {
        const row = rows.find((r) => r[1].trim() === requester);
        expect(row?.[2]).toBe(requests.toLocaleString('en-US'));
        expect(row?.[4]).toContain('AuthHeader');
        expect(row?.[5]).toContain('TLSV1.1');
      }
      const share = await page.$$eval('#share svg .series', (groups) => groups.length);
      expect(share).toBe(1);
      const total = [...log.sigv2.values()].reduce((a, b) => a + b, 0);
      const summary = await page.$eval('.summary', (s) => s.textContent ?? '');
      expect(summary).toContain(`${Math.round((100 * total) / (total + log.sigv4))} %of signed requests`);
      await page.close();
    });
  },
);
