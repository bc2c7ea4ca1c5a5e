/**
 * What arrived at the function, decided before anything else: a custom resource's isComplete call, the
 * scheduled sweep, a CloudTrail CreateBucket call, or something else (a test event, a misrouted rule, `null`),
 * which is logged and ignored: an event the function cannot use must never fail it (EventBridge would retry
 * it, and the error would hide real ones).
 */
import type { CdkCustomResourceIsCompleteEvent, EventBridgeEvent } from 'aws-lambda';

export type CreateBucketDetail = { eventName?: string; requestParameters?: { bucketName?: string } };

export type ClassifiedEvent =
  | { readonly kind: 'custom-resource'; readonly event: CdkCustomResourceIsCompleteEvent }
  | { readonly kind: 'sweep'; readonly event: EventBridgeEvent<'Scheduled Event', unknown> }
  | {
      readonly kind: 'create-bucket';
      readonly event: EventBridgeEvent<'AWS API Call via CloudTrail', CreateBucketDetail>;
    }
  | { readonly kind: 'ignored'; readonly reason: string; readonly summary: string };

const REQUEST_TYPES = new Set(['Create', 'Update', 'Delete']);
/** Enough of an ignored event to recognise it in the log, never the whole of it. */
const SUMMARY_LENGTH = 300;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function summary(event: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(event) ?? String(event);
  } catch {
    text = String(event);
  }
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH)}...` : text;
}

export function classifyEvent(event: unknown): ClassifiedEvent {
  const ignored = (reason: string): ClassifiedEvent => ({ kind: 'ignored', reason, summary: summary(event) });
  if (!isObject(event)) return ignored('not an object');
  if ('RequestType' in event) {
    const props = event.ResourceProperties;
    if (!REQUEST_TYPES.has(String(event.RequestType)) || !isObject(props) || typeof props.Config !== 'string')
      return ignored('a custom resource event without a known RequestType and a Config');
    return { kind: 'custom-resource', event: event as unknown as CdkCustomResourceIsCompleteEvent };
  }
  const detailType = event['detail-type'];
  if (detailType === 'Scheduled Event') {
    return { kind: 'sweep', event: event as unknown as EventBridgeEvent<'Scheduled Event', unknown> };
  }
  if (detailType === 'AWS API Call via CloudTrail') {
    const detail = event.detail;
    const params = isObject(detail) ? detail.requestParameters : undefined;
    const bucket = isObject(params) ? params.bucketName : undefined;
    if (!isObject(detail) || detail.eventName !== 'CreateBucket')
      return ignored('a CloudTrail event that is not CreateBucket');
    if (typeof bucket !== 'string' || bucket === '')
      return ignored('a CreateBucket event without a bucket name');
    return {
      kind: 'create-bucket',
      event: event as unknown as EventBridgeEvent<'AWS API Call via CloudTrail', CreateBucketDetail>,
    };
  }
  return ignored(detailType === undefined ? 'no detail-type' : `unknown detail-type ${summary(detailType)}`);
}
