import { COLUMN_NAMES, COLUMNS, MIN_FIELDS } from '../../lib/log-format';

describe('COLUMNS', () => {
  it("lists AWS's 27 column names in line order", () => {
    expect(COLUMN_NAMES).toEqual([
      'bucketowner',
      'bucket_name',
      'requestdatetime',
      'remoteip',
      'requester',
      'requestid',
      'operation',
      'key',
      'request_uri',
      'httpstatus',
      'errorcode',
      'bytessent',
      'objectsize',
      'totaltime',
      'turnaroundtime',
      'referrer',
      'useragent',
      'versionid',
      'hostid',
      'sigv',
      'ciphersuite',
      'authtype',
      'endpoint',
      'tlsversion',
      'accesspointarn',
      'aclrequired',
      'sourceregion',
    ]);
  });

  it('types bytessent and objectsize as bigint and every other column as string', () => {
    const bigints = COLUMNS.filter((c) => c.type === 'bigint').map((c) => c.name);
    expect(bigints).toEqual(['bytessent', 'objectsize']);
    expect(COLUMNS.filter((c) => c.type !== 'bigint' && c.type !== 'string')).toEqual([]);
  });

  it('makes versionid the last field every record has', () => {
    expect(COLUMN_NAMES[MIN_FIELDS - 1]).toBe('versionid');
  });
});
