import { parentPort, workerData } from 'node:worker_threads';
import type { JobSpec } from './consumer';
import type { FromWorker, ToWorker } from './messages';
import { runTask, TaskError, type TaskHooks } from './task';

/**
 * A scan worker thread: runs the tasks the main thread sends (several at once for S3 objects) and sends back
 * output, progress and results. It loads from compiled JavaScript or, in a repository checkout, through tsx.
 */

const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as a worker thread');
const job = workerData as JobSpec;
const acks = new Map<number, () => void>();

/** Progress goes out every few MiB, not on every read. */
const PROGRESS_BYTES = 4 << 20;
let bytes = 0;
let lines = 0;

function post(message: FromWorker): void {
  if (message.type === 'output') {
    const chunk = message.chunk;
    // Hand the memory over when the chunk owns its whole ArrayBuffer (never a slice of Buffer's shared pool).
    const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
    port?.postMessage(message, own ? [chunk.buffer as ArrayBuffer] : []);
  } else {
    port?.postMessage(message);
  }
}

function flushProgress(): void {
  if (bytes === 0 && lines === 0) return;
  post({ type: 'progress', bytes, lines });
  bytes = 0;
  lines = 0;
}

async function run(seq: number, message: Extract<ToWorker, { type: 'task' }>): Promise<void> {
  const hooks: TaskHooks = {
    emit: (chunk) =>
      new Promise<void>((resolve) => {
        acks.set(seq, resolve);
        post({ type: 'output', seq, chunk });
      }),
    progress: (b, l) => {
      bytes += b;
      lines += l;
      if (bytes >= PROGRESS_BYTES) flushProgress();
    },
  };
  try {
    const stats = await runTask(message.task, job, hooks);
    flushProgress();
    post({ type: 'done', seq, stats });
  } catch (error) {
    flushProgress();
    if (error instanceof TaskError) {
      post({ type: 'failed', seq, message: error.message, stats: error.stats, strict: error.strict?.sample });
    } else {
      throw error;
    }
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'task':
      void run(message.seq, message);
      break;
    case 'ack': {
      const resume = acks.get(message.seq);
      acks.delete(message.seq);
      resume?.();
      break;
    }
    default: {
      const unexpected: never = message;
      throw new Error(`unknown message ${JSON.stringify(unexpected)}`);
    }
  }
});
