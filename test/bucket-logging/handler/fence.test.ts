import { fenceHolds, type WriteFence } from '../../../lib/bucket-logging/handler/fence';
import type { Settings } from '../../../lib/bucket-logging/handler/schema';

const deployed: Settings = { generation: 'update#2', fingerprint: 'f2', deleted: false, at: 't' };
const deleted: Settings = { generation: 'delete#3', fingerprint: 'deleted', deleted: true, at: 't' };

describe('fenceHolds', () => {
  it.each<[string, Settings | undefined, WriteFence, boolean]>([
    [
      'the deploy run that wrote the settings',
      deployed,
      { kind: 'generation', generation: 'update#2' },
      true,
    ],
    ['a deploy run a newer one replaced', deployed, { kind: 'generation', generation: 'update#1' }, false],
    ['a deploy run after the delete', deleted, { kind: 'generation', generation: 'update#2' }, false],
    [
      'a deploy run before any settings (it writes them first)',
      undefined,
      { kind: 'generation', generation: 'create#1' },
      false,
    ],
    ['a sweep with the deployed settings', deployed, { kind: 'fingerprint', fingerprint: 'f2' }, true],
    ['a sweep with old settings', deployed, { kind: 'fingerprint', fingerprint: 'f1' }, false],
    ['a sweep after the delete', deleted, { kind: 'fingerprint', fingerprint: 'f2' }, false],
    [
      'a sweep whose settings spell "deleted"',
      deleted,
      { kind: 'fingerprint', fingerprint: 'deleted' },
      false,
    ],
    [
      'a sweep before this release deployed (no settings item)',
      undefined,
      { kind: 'fingerprint', fingerprint: 'f1' },
      true,
    ],
    ['the delete that wrote the marker', deleted, { kind: 'delete', generation: 'delete#3' }, true],
    ['an older delete', deleted, { kind: 'delete', generation: 'delete#1' }, false],
    [
      'a delete whose marker a new create replaced',
      deployed,
      { kind: 'delete', generation: 'delete#3' },
      false,
    ],
  ])('%s: %p', (_case, settings, fence, holds) => {
    expect(fenceHolds(settings, fence)).toBe(holds);
  });
});
