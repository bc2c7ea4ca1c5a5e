import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
};

/** `<!-- include: FILE -->` followed by a fenced code block: the README shows FILE verbatim. */
const INCLUDE = /<!-- include: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g;

describe('README.md', () => {
  const includes = [...README.matchAll(INCLUDE)].map((m) => ({ file: m[1], shown: m[2] }));

  it('shows the embedding example that CI compiles and synthesizes', () => {
    expect(includes.map((i) => i.file)).toContain('examples/embedding/app.ts');
  });

  it.each(includes)('shows $file exactly as it is in the repository', ({ file, shown }) => {
    expect(shown).toBe(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  });

  it('states the peer-dependency ranges of package.json', () => {
    const embedding = README.slice(README.indexOf('## Embedding in your own stack'));
    for (const [name, range] of Object.entries(pkg.peerDependencies)) {
      expect(embedding).toContain(`\`${name}\` \`${range}\``);
    }
  });
});
