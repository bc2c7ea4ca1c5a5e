/**
 * Pure decisions behind the AccessLogTable: where the table reads, its projection settings and the checks on
 * its props. Kept apart from the construct so they are tested without synthesizing a stack.
 */
import { Token } from 'aws-cdk-lib';
import {
  BUCKET_PLACEHOLDER,
  BUCKET_PROJECTION_VALUES_PARAMETER,
  KeyFormat,
  NO_BUCKETS_PLACEHOLDER,
  reservedPrefixProblem,
  targetPrefixFor,
} from '../conventions';
import {
  bytesScannedCutoffProblem,
  glueNameProblem,
  projectionStartProblem,
  workGroupNameProblem,
} from '../prop-rules';

/** The projected partition columns' names, as they appear in the location template and in queries. */
export const BUCKET_COLUMN = 'bucket';
export const DAY_COLUMN = 'day';

/** Where S3 puts the log objects of one source bucket and day, as Athena's `storage.location.template`. */
export interface LocationInput {
  /** Name of the log bucket (may be a token). */
  readonly logBucketName: string;
  /** The target prefix template (`{bucket}` stands for the source bucket). */
  readonly prefixTemplate: string;
  readonly keyFormat: KeyFormat;
  /** Account and Region of the log bucket (may be tokens): the partitioned layout writes them into keys. */
  readonly account: string;
  readonly region: string;
}

/**
 * The location template. Partitioned: `s3://<log bucket>/<prefix>/<account>/<region>/${bucket}/${day}`, where the
 * prefix's `{bucket}` is `${bucket}` too (one column may appear twice). Simple: `s3://<log bucket>/<prefix>`,
 * which must hold `{bucket}`; keys carry no date folders, so the table has no `day` column.
 */
export function locationTemplate(input: LocationInput): string {
  const prefix = targetPrefixFor(input.prefixTemplate, `\${${BUCKET_COLUMN}}`);
  switch (input.keyFormat) {
    case KeyFormat.PARTITIONED:
      return `s3://${input.logBucketName}/${prefix}${input.account}/${input.region}/\${${BUCKET_COLUMN}}/\${${DAY_COLUMN}}`;
    case KeyFormat.SIMPLE:
      return `s3://${input.logBucketName}/${prefix}`;
    default: {
      const unknown: never = input.keyFormat;
      throw new Error(`Unknown key format: ${String(unknown)}`);
    }
  }
}

/**
 * The table's LOCATION: the template's fixed part, up to the folder that holds the first `${...}`. Athena reads
 * through the template when projection is on; Glue still requires a location.
 */
export function tableLocation(template: string): string {
  const firstVariable = template.indexOf('${');
  return template.slice(0, template.lastIndexOf('/', firstVariable) + 1);
}

/** Partition projection parameters of the Glue table. */
export function projectionParameters(keyFormat: KeyFormat, projectionStart: string, template: string) {
  const bucket = {
    'projection.enabled': 'true',
    [`projection.${BUCKET_COLUMN}.type`]: 'enum',
    [BUCKET_PROJECTION_VALUES_PARAMETER]: NO_BUCKETS_PLACEHOLDER,
    'storage.location.template': template,
  };
  if (keyFormat === KeyFormat.SIMPLE) return bucket;
  return {
    ...bucket,
    [`projection.${DAY_COLUMN}.type`]: 'date',
    [`projection.${DAY_COLUMN}.format`]: 'yyyy/MM/dd',
    [`projection.${DAY_COLUMN}.range`]: `${projectionStart},NOW`,
    [`projection.${DAY_COLUMN}.interval`]: '1',
    [`projection.${DAY_COLUMN}.interval.unit`]: 'DAYS',
  };
}

/** The table's props with their defaults, in the units the checks and the resources use. */
export interface TableSettings {
  readonly databaseName: string;
  readonly tableName: string;
  readonly workGroupName: string;
  readonly prefixTemplate: string;
  readonly keyFormat: KeyFormat;
  readonly projectionStart: string;
  readonly bytesScannedCutoffPerQuery: number;
  /** Undefined for an unresolved token. */
  readonly queryResultsRetentionDays: number | undefined;
}

/**
 * Every problem with the table's props, as messages naming the prop and the fix (undefined entries are none).
 * Tokens are skipped.
 */
export function settingsProblems(props: TableSettings): Array<string | undefined> {
  const problems = [
    glueNameProblem('databaseName', props.databaseName),
    glueNameProblem('tableName', props.tableName),
    workGroupNameProblem('workGroupName', props.workGroupName),
    projectionStartProblem('projectionStart', props.projectionStart),
    bytesScannedCutoffProblem('bytesScannedCutoffPerQuery', props.bytesScannedCutoffPerQuery),
  ];
  const template = props.prefixTemplate;
  if (!Token.isUnresolved(template)) {
    const reserved = reservedPrefixProblem(template);
    if (reserved !== undefined) problems.push(reserved);
    if (template.includes('$') || template.startsWith('/')) {
      problems.push(`prefixTemplate '${template}' must not contain '$' or start with '/'.`);
    }
    if (
      props.keyFormat === KeyFormat.SIMPLE &&
      !(template.includes(BUCKET_PLACEHOLDER) && template.endsWith('/'))
    ) {
      problems.push(
        `prefixTemplate '${template}' must contain ${BUCKET_PLACEHOLDER} and end with '/' when keyFormat is ` +
          `'simple': the simple layout has nothing else that tells one source bucket's logs from another's. ` +
          `Use ${BUCKET_PLACEHOLDER}/ or keyFormat 'partitioned'.`,
      );
    }
  }
  const resultDays = props.queryResultsRetentionDays;
  if (resultDays !== undefined && (!Number.isInteger(resultDays) || resultDays < 1)) {
    problems.push(`queryResultsRetention must be a whole number of days, at least 1 (got ${resultDays}).`);
  }
  return problems;
}
