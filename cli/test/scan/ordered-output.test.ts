import { OrderedOutput } from '../../src/scan/ordered-output';

const text = (s: string) => Buffer.from(s);

describe('OrderedOutput', () => {
  it('writes chunks in task order whatever order tasks send and finish in', async () => {
    const written: string[] = [];
    const output = new OrderedOutput(async (c) => {
      written.push(Buffer.from(c).toString());
    });
    await output.chunk(2, text('c1'));
    await output.chunk(1, text('b1'));
    await output.chunk(0, text('a1'));
    output.finish(2);
    await output.chunk(1, text('b2'));
    output.finish(1);
    await output.chunk(0, text('a2'));
    output.finish(0);
    await output.drained();
    expect(written.join(' ')).toBe('a1 a2 b1 b2 c1');
  });

  it('pauses a later task whose waiting output passes the limit until it is the head', async () => {
    const output = new OrderedOutput(async () => {});
    let resumed = false;
    const pending = output.chunk(1, new Uint8Array(17 << 20)).then(() => {
      resumed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(resumed).toBe(false);
    output.finish(0);
    await pending;
    expect(resumed).toBe(true);
  });

  it('drops output of tasks after a stop', async () => {
    const written: string[] = [];
    const output = new OrderedOutput(async (c) => {
      written.push(Buffer.from(c).toString());
    });
    await output.chunk(0, text('a'));
    await output.chunk(2, text('c'));
    output.stopAfter(1);
    await output.chunk(1, text('b'));
    output.finish(0);
    output.finish(1);
    output.finish(2);
    await output.drained();
    expect(written).toEqual(['a', 'b']);
  });
});
