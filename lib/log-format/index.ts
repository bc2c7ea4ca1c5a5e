/**
 * The one definition of the S3 server access log record: columns, types, the RegexSerDe regex and the reference
 * parser. The Athena table, the Lambda handlers, the CLI and the tests import it; nothing else spells the
 * columns or the regex. No aws-cdk-lib imports: this module is bundled into Lambda functions and the CLI.
 */
export { AWS_DOCUMENTED_REGEX } from './aws-documented-regex';
export {
  COLUMN_NAMES,
  COLUMNS,
  type Column,
  type ColumnName,
  type ColumnType,
  type LogRecord,
  MIN_FIELDS,
} from './columns';
export { ACCESS_LOG_PATTERN, ACCESS_LOG_REGEX, parseLineWithRegex } from './regex';
