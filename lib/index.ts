export * from './access-log-bucket';
export * from './access-log-table';
export * from './access-logs-stack';
export * from './log-format';
export * from './saved-queries';
