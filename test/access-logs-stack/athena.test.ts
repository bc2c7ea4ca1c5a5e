import { Duration } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { AccessLogsStackProps } from '../../lib/access-logs-stack';
import { synthStack } from '../util/stack';

const synth = (props: AccessLogsStackProps = {}) => synthStack(props);

function tableParameters(template: Template): Record<string, unknown> {
  return Object.values(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput.Parameters;
}

describe('AccessLogsStack with Athena', () => {
  it('has one Glue database, table and workgroup by default (without compaction), reading its own log bucket', () => {
    const { stack, template } = synth({ logCompactionEnabled: false });
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.resourceCountIs('AWS::Glue::Table', 1);
    template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    const location = JSON.stringify(tableParameters(template)['storage.location.template']);
    expect(location).toContain(stack.resolve(stack.logBucket.bucket.bucketName).Ref);
  });

  it('projects days as far back as the log bucket keeps logs', () => {
    const { template } = synth({ logBucket: { retention: Duration.days(400) } });
    expect(tableParameters(template)['projection.day.range']).toBe('NOW-400DAYS,NOW');
  });

  it('projects every table as far back as the retention when the app passes settings without projectionStart', () => {
    // The app's options name every key, unset ones as undefined: an undefined must not undo the default.
    const { template } = synth({
      logBucket: { retention: Duration.days(400) },
      accessLogTable: { projectionStart: undefined },
      logCompaction: { projectionStart: undefined },
    });
    const ranges = Object.values(template.findResources('AWS::Glue::Table')).map(
      (t) => t.Properties.TableInput.Parameters['projection.day.range'],
    );
    expect(ranges.length).toBeGreaterThan(1);
    expect(new Set(ranges)).toEqual(new Set(['NOW-400DAYS,NOW']));
  });

  it('lets an explicit projectionStart win over the retention', () => {
    const { template } = synth({
      logBucket: { retention: Duration.days(400) },
      accessLogTable: { projectionStart: '2024/06/01' },
    });
    expect(tableParameters(template)['projection.day.range']).toBe('2024/06/01,NOW');
  });

  it('leaves Athena out with accessLogTableEnabled: false', () => {
    const { stack, template } = synth({ accessLogTableEnabled: false });
    template.resourceCountIs('AWS::Glue::Table', 0);
    template.resourceCountIs('AWS::Athena::WorkGroup', 0);
    expect(stack.accessLogTable).toBeUndefined();
  });

  it('refuses logCompactionEnabled true without the table, saying what to change', () => {
    expect(() => synth({ logCompactionEnabled: true, accessLogTableEnabled: false })).toThrow(
      'AccessLogsStack S3AccessLogs-us-east-1: logCompactionEnabled needs the Athena table (the compaction reads ' +
        'and writes Athena tables): remove accessLogTableEnabled: false, or set logCompactionEnabled to false.',
    );
  });
});
