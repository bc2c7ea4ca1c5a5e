/**
 * Runs the S3 stub in its own process, so that the benchmark's handler and the stub do not share one event
 * loop (the machine has two cores). The parent sends the options and buckets; the child answers with its URL.
 */
import { S3Stub, type StubBucket, type StubOptions } from './s3-stub';

interface StartMessage {
  options: StubOptions;
  buckets: StubBucket[];
}

process.once('message', (message: StartMessage) => {
  const stub = new S3Stub(message.options);
  for (const bucket of message.buckets) stub.addBucket(bucket);
  stub.listen().then(
    (url) => process.send?.({ url }),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
