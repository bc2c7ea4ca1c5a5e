import type * as Columns from '../../lib/log-format/columns';

/*
 * The splitter's grammar is written field by field for the layout in columns.ts. If a column is added in the
 * middle or the list is reordered, it must refuse to load rather than split every line into the wrong columns.
 */
describe('split.ts and the column layout of columns.ts', () => {
  afterEach(() => jest.resetModules());

  function loadSplitWith(columns: readonly Columns.Column[]): () => unknown {
    return () =>
      jest.isolateModules(() => {
        jest.doMock('../../lib/log-format/columns', () => {
          const actual = jest.requireActual<typeof Columns>('../../lib/log-format/columns');
          return { ...actual, COLUMNS: columns, COLUMN_NAMES: columns.map((c) => c.name) };
        });
        require('../../lib/log-format/split');
      });
  }

  it('loads with the layout columns.ts has', () => {
    const { COLUMNS } = jest.requireActual<typeof Columns>('../../lib/log-format/columns');
    expect(loadSplitWith(COLUMNS)).not.toThrow();
  });

  it('refuses to load, naming both files, when a column is inserted before the request URI', () => {
    const { COLUMNS } = jest.requireActual<typeof Columns>('../../lib/log-format/columns');
    const inserted = [
      ...COLUMNS.slice(0, 5),
      { name: 'newfield', type: 'string' } as const,
      ...COLUMNS.slice(5),
    ];
    expect(loadSplitWith(inserted)).toThrow(
      'log-format/split.ts no longer matches the column layout in columns.ts',
    );
  });

  // Each of these names a place in the grammar (where the request URI starts, which fields are numbers, ...).
  it.each([
    'requestdatetime',
    'requester',
    'request_uri',
    'httpstatus',
    'bytessent',
    'objectsize',
    'referrer',
    'useragent',
    'versionid',
  ])('refuses to load when %s is renamed', (name) => {
    const { COLUMNS } = jest.requireActual<typeof Columns>('../../lib/log-format/columns');
    const renamed = COLUMNS.map((c) => (c.name === name ? { ...c, name: `${name}2` } : c));
    expect(loadSplitWith(renamed)).toThrow(/no longer matches/);
  });

  it('refuses to load when a column is appended after the 27th', () => {
    const { COLUMNS } = jest.requireActual<typeof Columns>('../../lib/log-format/columns');
    expect(loadSplitWith([...COLUMNS, { name: 'newfield', type: 'string' }])).toThrow(/no longer matches/);
  });
});
