export * from './access-log-bucket';
export * from './access-logs-stack';
export * from './log-format';
