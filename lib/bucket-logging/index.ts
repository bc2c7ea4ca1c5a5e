export { KeyFormat } from '../conventions';
export * from './bucket-logging';
export {
  COUNT_NAMES,
  type CountName,
  DEFAULT_CONCURRENCY,
  type GlueTableRef,
  REPORT_KEY_ATTRIBUTE,
} from './types';
