import { Size } from 'aws-cdk-lib';
import { CONTEXT_KEYS, optionalSize } from '../../lib/app-config';
import { configFrom as config } from '../util/app-config';

describe('app config: Athena context keys', () => {
  it('turns Athena on by default and off with accessLogTableEnabled=false', () => {
    expect(config({}).accessLogTableEnabled).toBe(true);
    expect(config({ accessLogTableEnabled: 'false' }).accessLogTableEnabled).toBe(false);
  });

  it('reads every AccessLogTable setting from a context key named like its prop', () => {
    const options = config({
      databaseName: 'logs_db',
      tableName: 'logs',
      projectionStart: '2024/01/01',
      workGroupName: 'logs-wg',
      bytesScannedCutoffPerQuery: '500MiB',
      queryResultsRetention: '3',
    }).accessLogTable;
    expect(options).toMatchObject({
      databaseName: 'logs_db',
      tableName: 'logs',
      projectionStart: '2024/01/01',
      workGroupName: 'logs-wg',
    });
    expect(options.bytesScannedCutoffPerQuery?.toBytes()).toBe(500 * 1024 ** 2);
    expect(options.queryResultsRetention?.toDays()).toBe(3);
    for (const key of Object.keys(options)) expect(CONTEXT_KEYS).toHaveProperty(key);
  });

  it.each([
    ['10', Size.gibibytes(10)],
    [2, Size.gibibytes(2)],
    ['1TiB', Size.tebibytes(1)],
    ['64 mib', Size.mebibytes(64)],
  ])('reads the scan cap %p', (value, size) => {
    expect(optionalSize(() => value, 'bytesScannedCutoffPerQuery')?.toBytes()).toBe(size.toBytes());
  });

  it('rejects a scan cap it cannot read, naming the key', () => {
    expect(() => optionalSize(() => '10 GB', 'bytesScannedCutoffPerQuery')).toThrow(
      /Context bytesScannedCutoffPerQuery must be a whole number with MiB, GiB or TiB/,
    );
  });
});
