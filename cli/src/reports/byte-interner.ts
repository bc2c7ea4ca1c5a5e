/**
 * Gives each distinct byte string a small integer id, without making a string for a value seen before: the
 * SigV2 tally meets the same requesters, user agents and IPs over and over, and decoding and hashing them as
 * strings on every line cost a quarter of a scan. The id's text is decoded once, when first seen.
 */
export class ByteInterner {
  /** Hash of the bytes → ids with that hash. */
  private readonly byHash = new Map<number, number[]>();
  private readonly bytes: Buffer[] = [];
  /** Each id's text. */
  readonly values: string[] = [];

  /** The id of `buf[s, e)`. */
  id(buf: Buffer, s: number, e: number): number {
    const hash = hashOf(buf, s, e);
    const ids = this.byHash.get(hash);
    if (ids !== undefined) {
      for (let i = 0; i < ids.length; i++) if (same(this.bytes[ids[i]], buf, s, e)) return ids[i];
    }
    const id = this.values.length;
    this.bytes.push(Buffer.from(buf.subarray(s, e)));
    this.values.push(buf.toString(undefined, s, e));
    if (ids === undefined) this.byHash.set(hash, [id]);
    else ids.push(id);
    return id;
  }
}

/** Long values are hashed by their length and their first and last 16 bytes; `same` settles the rest. */
const SAMPLE = 16;

function hashOf(buf: Buffer, s: number, e: number): number {
  let h = (0x811c9dc5 ^ (e - s)) | 0;
  if (e - s <= 2 * SAMPLE) {
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  } else {
    for (let i = s; i < s + SAMPLE; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    for (let i = e - SAMPLE; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  }
  // Kept to 30 bits: a small integer, which a Map hashes and compares without allocating.
  return h & 0x3fffffff;
}

function same(known: Buffer, buf: Buffer, s: number, e: number): boolean {
  if (known.length !== e - s) return false;
  if (known.length > 64) return known.compare(buf, s, e) === 0;
  for (let i = 0; i < known.length; i++) if (known[i] !== buf[s + i]) return false;
  return true;
}
