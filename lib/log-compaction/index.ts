export { LogCompaction, type LogCompactionOptions, type LogCompactionProps } from './log-compaction';
export { COMPACTED_COLUMNS, type CompactedColumn, type CompactedColumnType } from './sql';
