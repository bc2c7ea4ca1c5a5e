/**
 * What the command reads, after its arguments are resolved: each source is named the way the user will see it
 * in messages (the path as given or found, `-`, or `s3://bucket/key`).
 */
export type Source = FileSource | StdinSource | S3Source;

export interface FileSource {
  readonly kind: 'file';
  readonly name: string;
  readonly path: string;
  readonly size: number;
  /** Starts with the gzip magic bytes (whatever its name), so it is read whole through gunzip. */
  readonly gzip: boolean;
}

export interface StdinSource {
  readonly kind: 'stdin';
  readonly name: '-';
}

export interface S3Source {
  readonly kind: 's3';
  readonly name: string;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
}

/** Bytes known in advance (for the progress bar), or undefined when a source has no known size. */
export function knownSize(source: Source): number | undefined {
  switch (source.kind) {
    case 'file':
    case 's3':
      return source.size;
    case 'stdin':
      return undefined;
    default: {
      const unexpected: never = source;
      throw new Error(`unknown source ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The first two bytes of every gzip stream (RFC 1952). */
export function isGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
