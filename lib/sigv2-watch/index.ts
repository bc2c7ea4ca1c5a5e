export type {
  DisappearedRequester,
  FacetSummary,
  FacetValue,
  RequesterDigest,
  Sigv2Digest,
} from './digest';
export type { FacetName } from './digest-sql';
export { METRIC_NAMES, METRIC_NAMESPACE, type MetricKey, ORG_METRIC_NAMESPACE } from './metrics';
export {
  type CompactedTableSource,
  Sigv2Watch,
  type Sigv2WatchOptions,
  type Sigv2WatchProps,
} from './sigv2-watch';
export { EVENT_DETAIL_TYPE, EVENT_SOURCE } from './types';
