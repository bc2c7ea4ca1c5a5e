// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Athena location templates spell ${column} literally.
/**
 * The two Glue tables of the compaction, as TableInputs: pure, so they are tested without a stack.
 */
import type * as glue from 'aws-cdk-lib/aws-glue';
import { locationTemplate, tableLocation } from '../access-log-table/table-settings';
import { KeyFormat } from '../conventions';
import { ACCESS_LOG_REGEX, COLUMNS } from '../log-format';
import { DAILY_PREFIX } from './plan';
import { BUCKET_COLUMN, COMPACTED_COLUMNS, DAY_COLUMN, PARQUET_COMPRESSION } from './sql';

const DAY_KEY = { name: DAY_COLUMN, type: 'string', comment: 'Day of the requests, yyyy/MM/dd (UTC)' };

/** The `day` partition's date projection (AWS's own access-log example). */
function dayProjection(start: string): Record<string, string> {
  return {
    [`projection.${DAY_COLUMN}.type`]: 'date',
    [`projection.${DAY_COLUMN}.format`]: 'yyyy/MM/dd',
    [`projection.${DAY_COLUMN}.range`]: `${start},NOW`,
    [`projection.${DAY_COLUMN}.interval`]: '1',
    [`projection.${DAY_COLUMN}.interval.unit`]: 'DAYS',
  };
}

/**
 * The compaction's source: the raw table's layout, regex and columns, but with `bucket` an `injected`
 * projection. Every query must then list its buckets (`bucket IN (...)`), so no list of every bucket is kept
 * anywhere (the raw table's enum stops at Glue's 512,000-character parameter).
 */
export function sourceTableInput(input: {
  readonly name: string;
  readonly logBucketName: string;
  readonly prefixTemplate: string;
  readonly account: string;
  readonly region: string;
  readonly projectionStart: string;
}): glue.CfnTable.TableInputProperty {
  const template = locationTemplate({ ...input, keyFormat: KeyFormat.PARTITIONED });
  return {
    name: input.name,
    description: 'Raw S3 access logs for the compaction: every query must list its buckets (bucket IN (...))',
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: [
      { name: BUCKET_COLUMN, type: 'string', comment: 'Source bucket (injected: queries list them)' },
      DAY_KEY,
    ],
    parameters: {
      EXTERNAL: 'TRUE',
      'projection.enabled': 'true',
      [`projection.${BUCKET_COLUMN}.type`]: 'injected',
      ...dayProjection(input.projectionStart),
      'storage.location.template': template,
    },
    storageDescriptor: {
      location: tableLocation(template),
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      serdeInfo: {
        serializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe',
        parameters: { 'input.regex': ACCESS_LOG_REGEX },
      },
      columns: COLUMNS.map((c) => ({ name: c.name, type: c.type })),
    },
  };
}

/** The compacted table: ZSTD Parquet under `_s3-access-logs/daily/<yyyy/MM/dd>/`, only `day` a partition. */
export function compactedTableInput(input: {
  readonly name: string;
  readonly logBucketName: string;
  readonly projectionStart: string;
}): glue.CfnTable.TableInputProperty {
  const root = `s3://${input.logBucketName}/${DAILY_PREFIX}`;
  return {
    name: input.name,
    description: 'S3 access logs of every bucket, compacted daily into Parquet (s3-access-logs)',
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: [DAY_KEY],
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'parquet.compression': PARQUET_COMPRESSION,
      'projection.enabled': 'true',
      ...dayProjection(input.projectionStart),
      'storage.location.template': `${root}\${${DAY_COLUMN}}/`,
    },
    storageDescriptor: {
      location: root,
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: {
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        parameters: { 'serialization.format': '1' },
      },
      columns: COMPACTED_COLUMNS.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
    },
  };
}
