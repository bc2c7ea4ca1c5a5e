import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ColumnName, parseLineWithRegex } from '../../lib/log-format';
import { PEER_DIR } from './peer-lines';

/** Elastic's `aws.s3access.*` field for each of our columns it also reads. */
const ELASTIC_TO_COLUMN: Record<string, ColumnName> = {
  bucket: 'bucket_name',
  bucket_owner: 'bucketowner',
  remote_ip: 'remoteip',
  request_id: 'requestid',
  http_status: 'httpstatus',
  error_code: 'errorcode',
  bytes_sent: 'bytessent',
  object_size: 'objectsize',
  total_time: 'totaltime',
  turn_around_time: 'turnaroundtime',
  user_agent: 'useragent',
  version_id: 'versionid',
  host_id: 'hostid',
  signature_version: 'sigv',
  cipher_suite: 'ciphersuite',
  authentication_type: 'authtype',
  host_header: 'endpoint',
  tls_version: 'tlsversion',
  point_arn: 'accesspointarn',
  aclrequired: 'aclrequired',
  operation: 'operation',
  key: 'key',
  requester: 'requester',
  request_uri: 'request_uri',
};

interface ElasticDocument {
  readonly aws: { readonly s3access: Record<string, string | number> };
  readonly event: { readonly original: string };
}

const expected: ElasticDocument[] = JSON.parse(
  fs.readFileSync(
    path.join(PEER_DIR, 'elastic-integrations', 'test-s3-server-access.log-expected.json'),
    'utf8',
  ),
).expected;

describe("Elastic's expected output for its S3 access log pipeline test", () => {
  it('covers every line of the fixture', () => {
    expect(expected).toHaveLength(10);
  });

  it.each(expected.map((doc, i) => [i + 1, doc] as const))(
    'equals our reading of line %i, compared as text',
    (_n, doc) => {
      const record = parseLineWithRegex(doc.event.original);
      expect(record).not.toBeNull();
      for (const elasticField of Object.keys(doc.aws.s3access)) {
        // Every field Elastic reads is one we map: nothing in its output goes unchecked.
        expect(Object.keys(ELASTIC_TO_COLUMN)).toContain(elasticField);
      }
      const theirs: Record<string, string | null> = {};
      const ours: Record<string, string | null> = {};
      for (const [elasticField, column] of Object.entries(ELASTIC_TO_COLUMN)) {
        const value = doc.aws.s3access[elasticField];
        // A field Elastic leaves out is NULL here. Elastic keeps a quoted "-" request URI as the text "-"
        // (the S3.EXPIRE.OBJECT line); the table reads `-` and `"-"` as NULL in every column.
        const elasticDash = elasticField === 'request_uri' && value === '-';
        theirs[column] = value === undefined || elasticDash ? null : String(value);
        ours[column] = record![column] === null ? null : String(record![column]);
      }
      expect(ours).toEqual(theirs);
    },
  );
});
