/**
 * A local HTTP stub of the few S3 operations bucket logging uses, for the benchmark and the handler's fault
 * tests (never shipped, never imported by lib/). It answers path-style requests on 127.0.0.1 the way S3 does:
 * XML bodies, S3 error codes, ListBuckets pagination with BucketRegion, GetBucketLocation with its quirks
 * (empty for us-east-1, `EU` for eu-west-1), a fixed latency per call and a share of `503 SlowDown` answers.
 * Faults can be injected per operation and bucket: an S3 error, or no answer at all (a hung connection).
 *
 * Admin paths start with `/_stub/` (no S3 bucket name can start with `_`): they are not delayed or throttled.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from './prng';

export interface StubLogging {
  targetBucket: string;
  targetPrefix: string;
  /** `partitioned:EventTime`, `partitioned:DeliveryTime`, `simple`, or `none` (no TargetObjectKeyFormat). */
  keyFormat: string;
}

export interface StubBucket {
  name: string;
  region: string;
  tags: Record<string, string>;
  logging: StubLogging | null;
}

export interface StubOptions {
  /** Delay before every S3 answer. */
  latencyMs: number;
  /** Share of S3 calls answered `503 SlowDown`, 0 to 1. */
  throttleRate: number;
  /** Seed of the pseudo-random throttling, so that runs are comparable. */
  seed: number;
  /** Largest page ListBuckets returns, whatever max-buckets asks (S3's is 10,000). */
  maxPage: number;
  /** Answer ListBuckets without BucketRegion and ignore its bucket-region filter, as S3-compatible services do. */
  noBucketRegion?: boolean;
}

/** An injected fault: an S3 error, or `hang` (the request is read and never answered). */
export type StubFault = { readonly code: string; readonly status: number } | 'hang';

export interface StubStats {
  calls: Record<string, number>;
  throttled: number;
  rejected: Record<string, number>;
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unesc(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One element's text, or undefined; throws MalformedXML when the element occurs more than once. */
function single(xml: string, tag: string): string | undefined {
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>|<${tag}\\s*/>`, 'g');
  const matches = [...xml.matchAll(re)];
  if (matches.length > 1) throw new S3Error(400, 'MalformedXML', `more than one ${tag}`);
  if (matches.length === 0) return undefined;
  return matches[0][1] ?? '';
}

/**
 * Parses a PutBucketLogging body the way S3 validates it: the root must be BucketLoggingStatus; an empty one
 * turns logging off; LoggingEnabled needs TargetBucket and TargetPrefix; TargetObjectKeyFormat holds exactly
 * one of SimplePrefix or PartitionedPrefix, whose PartitionDateSource is EventTime or DeliveryTime.
 */
export function parseLoggingStatus(body: string): StubLogging | null {
  const root = body.replace(/<\?xml[^>]*\?>/, '').trim();
  if (!/^<BucketLoggingStatus[\s>/]/.test(root) || !/(<\/BucketLoggingStatus>|\/>)$/.test(root)) {
    throw new S3Error(400, 'MalformedXML', 'root element must be BucketLoggingStatus');
  }
  const enabled = single(root, 'LoggingEnabled');
  if (enabled === undefined) {
    if (/<[A-Za-z]/.test(root.replace(/^<BucketLoggingStatus[^>]*>/, ''))) {
      throw new S3Error(400, 'MalformedXML', 'unexpected element in BucketLoggingStatus');
    }
    return null;
  }
  const targetBucket = single(enabled, 'TargetBucket');
  const targetPrefix = single(enabled, 'TargetPrefix');
  if (!targetBucket || targetPrefix === undefined) {
    throw new S3Error(400, 'MalformedXML', 'LoggingEnabled needs TargetBucket and TargetPrefix');
  }
  const format = single(enabled, 'TargetObjectKeyFormat');
  let keyFormat = 'none';
  if (format !== undefined) {
    const simple = single(format, 'SimplePrefix');
    const partitioned = single(format, 'PartitionedPrefix');
    if ((simple === undefined) === (partitioned === undefined)) {
      throw new S3Error(400, 'MalformedXML', 'TargetObjectKeyFormat needs exactly one of its members');
    }
    if (partitioned !== undefined) {
      const source = single(partitioned, 'PartitionDateSource');
      if (source !== 'EventTime' && source !== 'DeliveryTime') {
        throw new S3Error(400, 'MalformedXML', `PartitionDateSource ${source} is not valid`);
      }
      keyFormat = `partitioned:${source}`;
    } else {
      keyFormat = 'simple';
    }
  }
  return { targetBucket: unesc(targetBucket), targetPrefix: unesc(targetPrefix), keyFormat };
}

function loggingXml(logging: StubLogging | null): string {
  if (logging === null) return `<BucketLoggingStatus xmlns="${XMLNS}"/>`;
  let format = '';
  if (logging.keyFormat === 'simple')
    format = '<TargetObjectKeyFormat><SimplePrefix/></TargetObjectKeyFormat>';
  else if (logging.keyFormat.startsWith('partitioned:')) {
    const source = logging.keyFormat.slice('partitioned:'.length);
    format = `<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>${source}</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat>`;
  }
  return (
    `<BucketLoggingStatus xmlns="${XMLNS}"><LoggingEnabled><TargetBucket>${esc(logging.targetBucket)}</TargetBucket>` +
    `<TargetPrefix>${esc(logging.targetPrefix)}</TargetPrefix>${format}</LoggingEnabled></BucketLoggingStatus>`
  );
}

/** The S3 stub. Buckets are listed in name order, as S3 does. */
export class S3Stub {
  readonly buckets = new Map<string, StubBucket>();
  readonly objects = new Map<string, string>();
  stats: StubStats = { calls: {}, throttled: 0, rejected: {} };
  private readonly random: () => number;
  private sortedNames: string[] | undefined;
  private server: Server | undefined;
  /** Faults to inject, in order, per `Operation bucket` (or `Operation` for ListBuckets). */
  private readonly faults = new Map<string, StubFault[]>();
  /** Requests left unanswered by a `hang` fault, so that close() can end them. */
  private readonly hung: ServerResponse[] = [];

  /** The next calls of `op` (on `bucket`, when given) meet these faults, one per call. */
  failNext(op: string, bucket: string | undefined, ...faults: StubFault[]): this {
    this.faults.set(bucket ? `${op} ${bucket}` : op, faults);
    return this;
  }

  /** Every call of `op` on `bucket` (or on any bucket) meets this fault; undefined clears it. */
  failAlways(op: string, bucket: string | undefined, fault: StubFault | undefined): this {
    const key = bucket ? `${op} ${bucket}` : op;
    if (fault === undefined) this.always.delete(key);
    else this.always.set(key, fault);
    return this;
  }

  private readonly always = new Map<string, StubFault>();

  private injected(op: string, bucketName: string): StubFault | undefined {
    const keys = [`${op} ${bucketName}`, op];
    for (const key of keys) {
      const fault = this.faults.get(key)?.shift() ?? this.always.get(key);
      if (fault !== undefined) return fault;
    }
    return undefined;
  }

  constructor(readonly options: StubOptions) {
    this.random = prng(options.seed);
  }

  addBucket(bucket: StubBucket): void {
    this.buckets.set(bucket.name, bucket);
    this.sortedNames = undefined;
  }

  resetStats(): void {
    this.stats = { calls: {}, throttled: 0, rejected: {} };
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stub');
    if (url.pathname.startsWith('/_stub/')) return this.admin(url, body, res);

    const op = operationOf(req.method ?? 'GET', url);
    this.stats.calls[op] = (this.stats.calls[op] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const fault = this.injected(op, decodeURIComponent(url.pathname.slice(1)).split('/')[0]);
    if (fault === 'hang') {
      this.hung.push(res);
      return;
    }
    if (fault !== undefined) {
      this.stats.rejected[fault.code] = (this.stats.rejected[fault.code] ?? 0) + 1;
      return sendError(res, new S3Error(fault.status, fault.code, `${fault.code} (injected)`));
    }
    if (this.random() < this.options.throttleRate) {
      this.stats.throttled++;
      return sendError(res, new S3Error(503, 'SlowDown', 'Please reduce your request rate.'));
    }
    try {
      const xml = this.answer(op, url, body);
      res.statusCode = 200;
      res.setHeader('x-amz-request-id', 'STUB');
      if (op === 'PutObject') res.setHeader('ETag', '"stub"');
      if (xml) res.setHeader('Content-Type', 'application/xml');
      res.end(xml);
    } catch (err) {
      if (!(err instanceof S3Error)) throw err;
      this.stats.rejected[err.code] = (this.stats.rejected[err.code] ?? 0) + 1;
      sendError(res, err);
    }
  }

  private answer(op: string, url: URL, body: string): string {
    const [bucketName, ...keyParts] = decodeURIComponent(url.pathname.slice(1)).split('/');
    switch (op) {
      case 'ListBuckets':
        return this.listBuckets(url.searchParams);
      case 'PutObject': {
        this.bucket(bucketName);
        this.objects.set(`${bucketName}/${keyParts.join('/')}`, body);
        return '';
      }
      case 'GetBucketLogging':
        return loggingXml(this.bucket(bucketName).logging);
      case 'GetBucketLocation': {
        const region = this.bucket(bucketName).region;
        const constraint = region === 'us-east-1' ? '' : region === 'eu-west-1' ? 'EU' : region;
        return `<LocationConstraint xmlns="${XMLNS}">${constraint}</LocationConstraint>`;
      }
      case 'PutBucketLogging': {
        const bucket = this.bucket(bucketName);
        const logging = parseLoggingStatus(body);
        if (logging !== null) {
          const target = this.buckets.get(logging.targetBucket);
          if (target === undefined || target.region !== bucket.region) {
            throw new S3Error(
              400,
              'InvalidTargetBucketForLogging',
              'The target bucket for logging does not exist or is not in the same Region',
            );
          }
        }
        bucket.logging = logging;
        return '';
      }
      case 'GetBucketTagging': {
        const tags = Object.entries(this.bucket(bucketName).tags);
        if (tags.length === 0) throw new S3Error(404, 'NoSuchTagSet', 'The TagSet does not exist');
        const set = tags.map(([k, v]) => `<Tag><Key>${esc(k)}</Key><Value>${esc(v)}</Value></Tag>`).join('');
        return `<Tagging xmlns="${XMLNS}"><TagSet>${set}</TagSet></Tagging>`;
      }
      default:
        throw new S3Error(501, 'NotImplemented', `${op} is not implemented by the stub`);
    }
  }

  private bucket(name: string): StubBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    return bucket;
  }

  private listBuckets(q: URLSearchParams): string {
    this.sortedNames ??= [...this.buckets.keys()].sort();
    const region = q.get('bucket-region');
    const prefix = q.get('prefix') ?? '';
    const max = Math.min(Number(q.get('max-buckets') ?? this.options.maxPage), this.options.maxPage);
    const token = q.get('continuation-token');
    const after = token ? Buffer.from(token, 'base64url').toString() : '';
    const page: StubBucket[] = [];
    let more = false;
    for (const name of this.sortedNames) {
      if (name <= after || !name.startsWith(prefix)) continue;
      const bucket = this.buckets.get(name)!;
      if (region && bucket.region !== region && !this.options.noBucketRegion) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(bucket);
    }
    const items = page
      .map(
        (b) =>
          `<Bucket><Name>${b.name}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate>` +
          `${this.options.noBucketRegion ? '' : `<BucketRegion>${b.region}</BucketRegion>`}</Bucket>`,
      )
      .join('');
    const next = more ? Buffer.from(page[page.length - 1].name).toString('base64url') : undefined;
    return (
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>stub</ID></Owner><Buckets>${items}</Buckets>` +
      `${next ? `<ContinuationToken>${next}</ContinuationToken>` : ''}</ListAllMyBucketsResult>`
    );
  }

  private admin(url: URL, body: string, res: ServerResponse): void {
    let result: unknown;
    switch (url.pathname) {
      case '/_stub/stats':
        result = this.stats;
        break;
      case '/_stub/reset-stats':
        this.resetStats();
        result = {};
        break;
      case '/_stub/buckets':
        result = [...this.buckets.values()];
        break;
      case '/_stub/add-buckets':
        for (const b of JSON.parse(body) as StubBucket[]) this.addBucket(b);
        result = { count: this.buckets.size };
        break;
      case '/_stub/objects':
        result = [...this.objects.keys()];
        break;
      default:
        res.statusCode = 404;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(result ?? null));
  }
}

function operationOf(method: string, url: URL): string {
  const path = decodeURIComponent(url.pathname.slice(1));
  if (path === '') return 'ListBuckets';
  const slash = path.indexOf('/');
  const bucketLevel = slash === -1 || slash === path.length - 1;
  const q = url.searchParams;
  if (bucketLevel && q.has('logging')) return method === 'PUT' ? 'PutBucketLogging' : 'GetBucketLogging';
  if (bucketLevel && q.has('tagging')) return method === 'PUT' ? 'PutBucketTagging' : 'GetBucketTagging';
  if (bucketLevel && q.has('location') && method === 'GET') return 'GetBucketLocation';
  if (!bucketLevel && method === 'PUT') return 'PutObject';
  return `${method} ${url.search || '(no subresource)'}`;
}

function sendError(res: ServerResponse, err: S3Error): void {
  res.statusCode = err.status;
  res.setHeader('Content-Type', 'application/xml');
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${esc(err.message)}</Message>` +
      '<RequestId>STUB</RequestId><HostId>stub</HostId></Error>',
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
