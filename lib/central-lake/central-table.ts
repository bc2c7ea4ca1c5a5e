import type * as glue from 'aws-cdk-lib/aws-glue';
import { COMPACTED_COLUMNS, DAY_COLUMN, PARQUET_COMPRESSION } from '../log-compaction/sql';
import { CENTRAL_DATA_PREFIX } from './layout';

/**
 * The central table's definition: the delivered Parquet as it is (the compacted table's columns), partitioned by
 * `day` only, with one projected location per day that covers every account and Region below it, so no list of
 * accounts is kept anywhere. Account and Region are read from the object key by the queries (`"$path"`).
 */
export function centralTableInput(input: {
  /** The central bucket (its literal name: the table and its projection read the same text). */
  readonly bucketName: string;
  readonly tableName: string;
  /** Days the bucket keeps: the projection reaches as far back. */
  readonly retentionDays: number;
}): glue.CfnTable.TableInputProperty {
  const location = `s3://${input.bucketName}/${CENTRAL_DATA_PREFIX}`;
  return {
    name: input.tableName,
    description:
      'Every account’s compacted days; account and Region come from the object key ("$path"), see the saved queries',
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: [{ name: DAY_COLUMN, type: 'string', comment: 'Day of the requests, yyyy/MM/dd (UTC)' }],
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'parquet.compression': PARQUET_COMPRESSION,
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': `NOW-${input.retentionDays}DAYS,NOW`,
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': `${location}\${${DAY_COLUMN}}/`,
    },
    storageDescriptor: {
      location,
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      columns: COMPACTED_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
    },
  };
}
