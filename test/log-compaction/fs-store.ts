import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore } from '../../lib/log-compaction/handler/run';

/**
 * A bucket on the local disk, for the compaction's steps: keys are paths under `root`, so DuckDB reads what the
 * steps publish. Like S3, copying a missing key fails, deleting one does not, and listings are sorted.
 */
export class FsStore implements ObjectStore {
  public readonly copies: string[] = [];
  public readonly deletes: string[] = [];

  constructor(public readonly root: string) {}

  file(key: string): string {
    return path.join(this.root, key);
  }

  async listCommonPrefixes(prefix: string): Promise<string[]> {
    const prefixes = new Set<string>();
    for (const key of await this.listKeys(prefix)) {
      const slash = key.indexOf('/', prefix.length);
      if (slash >= 0) prefixes.add(key.slice(0, slash + 1));
    }
    return [...prefixes].sort();
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else keys.push(path.relative(this.root, full).split(path.sep).join('/'));
      }
    };
    walk(this.root);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async put(key: string, body: string): Promise<void> {
    fs.mkdirSync(path.dirname(this.file(key)), { recursive: true });
    fs.writeFileSync(this.file(key), body);
  }

  async copy(from: string, to: string): Promise<void> {
    fs.mkdirSync(path.dirname(this.file(to)), { recursive: true });
    fs.copyFileSync(this.file(from), this.file(to));
    this.copies.push(to);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      fs.rmSync(this.file(key), { force: true });
      this.deletes.push(key);
    }
  }
}
