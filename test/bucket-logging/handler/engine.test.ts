import {
  drive,
  finished,
  type NameSource,
  newCursor,
  type Work,
} from '../../../lib/bucket-logging/handler/engine';

/** A source of `pages` pages of `size` names each, recording the tokens it was asked for. */
function pagedSource(pages: number, size: number): NameSource & { asked: Array<string | undefined> } {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    async nextPage(token) {
      asked.push(token);
      const page = token === undefined ? 0 : Number(token);
      const names = Array.from({ length: size }, (_, i) => `b-${page}-${i}`);
      return { names, next: page + 1 < pages ? String(page + 1) : undefined };
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('drive', () => {
  it('works on every name of every page, never more than `concurrency` at once', async () => {
    const source = pagedSource(3, 10);
    const seen: string[] = [];
    let running = 0;
    let peak = 0;
    const work: Work = async (name) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      seen.push(name);
      running--;
      return 'done';
    };
    const cursor = await drive(newCursor(), source, work, {
      concurrency: 4,
      deadline: Infinity,
      now: Date.now,
      maxRetry: 10,
    });
    expect(finished(cursor)).toBe(true);
    expect(seen.sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `b-${Math.floor(i / 10)}-${i % 10}`).sort(),
    );
    expect(peak).toBe(4);
    expect(source.asked).toEqual([undefined, '1', '2']);
  });

  it('stops at the deadline with the rest in the cursor, and a second call finishes each name once', async () => {
    const source = pagedSource(3, 10);
    const counts = new Map<string, number>();
    let clock = 0;
    const work: Work = async (name) => {
      await tick();
      clock++;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return 'done';
    };
    const first = await drive(newCursor(), source, work, {
      concurrency: 2,
      deadline: 12,
      now: () => clock,
      maxRetry: 10,
    });
    expect(finished(first)).toBe(false);
    expect(counts.size).toBeGreaterThanOrEqual(12);
    expect(counts.size).toBeLessThan(30);
    // What is left is exactly what was not done.
    const saved = JSON.parse(JSON.stringify(first));
    expect(saved.pending.every((n: string) => !counts.has(n))).toBe(true);

    const second = await drive(saved, source, work, {
      concurrency: 2,
      deadline: Infinity,
      now: () => clock,
      maxRetry: 10,
    });
    expect(finished(second)).toBe(true);
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries deferred names once in a final pass, at a quarter of the concurrency, without deferring again', async () => {
    const source = pagedSource(1, 8);
    const calls: Array<[string, boolean]> = [];
    let running = 0;
    let peakInFinalPass = 0;
    const work: Work = async (name, _lane, mayDefer) => {
      calls.push([name, mayDefer]);
      if (!mayDefer) {
        running++;
        peakInFinalPass = Math.max(peakInFinalPass, running);
        await tick();
        running--;
        return 'done';
      }
      return name.endsWith('-1') || name.endsWith('-5') || name.endsWith('-6') ? 'deferred' : 'done';
    };
    const cursor = await drive(newCursor(), source, work, {
      concurrency: 8,
      deadline: Infinity,
      now: Date.now,
      maxRetry: 10,
    });
    expect(finished(cursor)).toBe(true);
    expect(calls.filter(([, mayDefer]) => !mayDefer).map(([n]) => n)).toEqual(['b-0-1', 'b-0-5', 'b-0-6']);
    expect(peakInFinalPass).toBe(2);
  });

  it('stops deferring when the retry list is full', async () => {
    const source = pagedSource(1, 5);
    const mayDeferSeen: boolean[] = [];
    const work: Work = async (_name, _lane, mayDefer) => {
      mayDeferSeen.push(mayDefer);
      return mayDefer ? 'deferred' : 'done';
    };
    await drive(newCursor(), source, work, {
      concurrency: 1,
      deadline: Infinity,
      now: Date.now,
      maxRetry: 2,
    });
    expect(mayDeferSeen).toEqual([true, true, false, false, false, false, false]);
  });

  it('rethrows a listing failure after the work in flight, keeping what is left', async () => {
    let calls = 0;
    const source: NameSource = {
      async nextPage(token) {
        calls++;
        if (token !== undefined) throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
        return { names: ['a', 'b'], next: 'page-2' };
      },
    };
    const cursor = newCursor();
    await expect(
      drive(cursor, source, async () => 'done', {
        concurrency: 2,
        deadline: Infinity,
        now: Date.now,
        maxRetry: 1,
      }),
    ).rejects.toThrow('denied');
    expect(calls).toBe(2);
    expect(cursor.next).toBe('page-2');
    expect(cursor.sourceDone).toBe(false);
  });
});

describe('finished', () => {
  const done = { pending: [], sourceDone: true, retry: [], waiting: [] };

  it('is true only when nothing is pending, listed, to retry or waiting', () => {
    expect(finished(done)).toBe(true);
    expect(finished(newCursor())).toBe(false);
    expect(finished({ ...done, sourceDone: false, next: 'page-2' })).toBe(false);
    expect(finished({ ...done, pending: ['a'] })).toBe(false);
    expect(finished({ ...done, retry: ['a'] })).toBe(false);
    expect(finished({ ...done, waiting: ['a'] })).toBe(false);
  });

  it('reads a cursor saved before names could wait (no `waiting` field)', () => {
    expect(finished({ pending: [], sourceDone: true, retry: [] })).toBe(true);
  });
});

describe('drive, at its limits', () => {
  const forever = { concurrency: 2, deadline: Infinity, now: Date.now, maxRetry: 10 };

  it('starts no name once the deadline is reached', async () => {
    const source = pagedSource(1, 3);
    const seen: string[] = [];

    const cursor = await drive(
      newCursor(),
      source,
      async (name) => {
        seen.push(name);
        return 'done';
      },
      { ...forever, deadline: 1_000, now: () => 1_000 },
    );

    expect(seen).toEqual([]);
    expect(finished(cursor)).toBe(false);
  });

  it('stops before the next name once asked to stand down, keeping the rest in the cursor', async () => {
    const source = pagedSource(1, 5);
    const seen: string[] = [];

    const cursor = await drive(
      newCursor(),
      source,
      async (name) => {
        seen.push(name);
        return 'done';
      },
      { ...forever, concurrency: 1, stop: () => seen.length >= 2 },
    );

    expect(seen).toEqual(['b-0-0', 'b-0-1']);
    expect(cursor.pending).toEqual(['b-0-2', 'b-0-3', 'b-0-4']);
  });

  it('keeps a name that is not ready yet for the next call, which takes it first', async () => {
    const source = pagedSource(1, 3);
    let ready = false;
    const seen: string[] = [];
    const work: Work = async (name) => {
      seen.push(name);
      return name === 'b-0-1' && !ready ? 'later' : 'done';
    };

    const first = await drive(newCursor(), source, work, { ...forever, concurrency: 1 });

    expect(finished(first)).toBe(false);
    expect(first.waiting).toEqual(['b-0-1']);
    ready = true;
    seen.length = 0;
    const second = await drive(JSON.parse(JSON.stringify(first)), source, work, forever);
    expect(seen).toEqual(['b-0-1']);
    expect(finished(second)).toBe(true);
  });

  it('keeps a name that the final pass finds not ready yet', async () => {
    const source = pagedSource(1, 2);
    const work: Work = async (name, _lane, mayDefer) => {
      if (name !== 'b-0-0') return 'done';
      return mayDefer ? 'deferred' : 'later';
    };

    const cursor = await drive(newCursor(), source, work, forever);

    expect(cursor.retry).toEqual([]);
    expect(cursor.waiting).toEqual(['b-0-0']);
    expect(finished(cursor)).toBe(false);
  });

  it('leaves the names the final pass did not reach before the deadline for the next call', async () => {
    const source = pagedSource(1, 3);
    let clock = 0;
    const retried: string[] = [];
    const work: Work = async (name, _lane, mayDefer) => {
      if (mayDefer) return 'deferred';
      retried.push(name);
      clock++;
      return 'done';
    };
    const options = { concurrency: 4, deadline: 1, now: () => clock, maxRetry: 10 };

    const first = await drive(newCursor(), source, work, options);

    expect(retried).toEqual(['b-0-0']);
    expect(first.retry).toEqual(['b-0-1', 'b-0-2']);
    const second = await drive(first, source, work, { ...options, deadline: Infinity });
    expect(retried).toEqual(['b-0-0', 'b-0-1', 'b-0-2']);
    expect(finished(second)).toBe(true);
  });

  it('asks for the next page before the current one runs out, so that workers do not wait at its end', async () => {
    const source = pagedSource(2, 10);
    let completed = 0;
    let completedWhenAsked: number | undefined;
    const asking: NameSource = {
      nextPage(token) {
        if (token === '1') completedWhenAsked = completed;
        return source.nextPage(token);
      },
    };

    await drive(
      newCursor(),
      asking,
      async () => {
        await tick();
        completed++;
        return 'done';
      },
      forever,
    );

    // Two workers: the page is asked for when fewer than four names are left to take, not after the last.
    expect(completedWhenAsked).toBeLessThanOrEqual(8);
  });

  it('reads no further ahead than the workers need, so that a cursor saved at the deadline stays small', async () => {
    const source = pagedSource(5, 10);
    let clock = 0;

    const cursor = await drive(
      newCursor(),
      source,
      async () => {
        clock++;
        return 'done';
      },
      { concurrency: 2, deadline: 3, now: () => clock, maxRetry: 10 },
    );

    expect(source.asked).toEqual([undefined]);
    expect(cursor.pending).toHaveLength(7);
    expect(cursor.next).toBe('1');
  });
});
