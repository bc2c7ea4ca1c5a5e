import type { TaskStats, UnparsedSample } from './consumer';
import type { Task } from './task';

/** What the main thread and a scan worker say to each other. */
export type ToWorker =
  | { readonly type: 'task'; readonly seq: number; readonly task: Task }
  /** Task `seq` may produce more output. */
  | { readonly type: 'ack'; readonly seq: number };

export type FromWorker =
  | { readonly type: 'output'; readonly seq: number; readonly chunk: Uint8Array }
  | { readonly type: 'progress'; readonly bytes: number; readonly lines: number }
  | { readonly type: 'done'; readonly seq: number; readonly stats: TaskStats }
  | {
      readonly type: 'failed';
      readonly seq: number;
      readonly message: string;
      readonly stats: TaskStats;
      readonly strict?: UnparsedSample;
    };
