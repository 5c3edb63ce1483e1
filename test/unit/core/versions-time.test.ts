import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersionStrings, versionLabel } from '../../../src/core/model/versions';
import { deriveOffsetMinutes, localInstant, utcInstant } from '../../../src/core/model/time';

test('versions sort semantically', () => {
  const sorted = ['v1.10.0', 'v1.9.0', 'v2.0.0', 'v2.0.0-rc.1', 'v2.0.0-alpha', 'v1.9.1', '0.3.17', '2025.09.29', '2025.10.01'].sort(compareVersionStrings);
  assert.deepEqual(sorted, ['0.3.17', 'v1.9.0', 'v1.9.1', 'v1.10.0', 'v2.0.0-alpha', 'v2.0.0-rc.1', 'v2.0.0', '2025.09.29', '2025.10.01']);
});

test('numeric pre-release identifiers sort before alphanumeric ones', () => {
  assert.ok(compareVersionStrings('1.0.0-1', '1.0.0-alpha') < 0);
  assert.ok(compareVersionStrings('1.0.0-rc.2', '1.0.0-rc.10') < 0);
  assert.equal(compareVersionStrings('v1.2', '1.2.0'), 0);
});

test('strings that are not versions sort after versions', () => {
  assert.deepEqual(['latest', 'v1.0.0', 'beta'].sort(compareVersionStrings), ['v1.0.0', 'beta', 'latest']);
});

test('labels mark derived ordinals', () => {
  assert.equal(versionLabel('v2.0.0', 5), 'v2.0.0 (#5)');
  assert.equal(versionLabel(undefined, 5), '#5');
  assert.equal(versionLabel('#3', 5), '"#3" (#5)');
});

test('offset derives from local and UTC stamps of one row', () => {
  // flowyml-1.7-projects was written with TZ=America/New_York.
  assert.equal(deriveOffsetMinutes('2026-12-04T14:28:52.964244', '2026-12-04 19:28:52'), -300);
  assert.equal(deriveOffsetMinutes('2026-12-04T20:07:03.548155', '2026-12-04 20:07:03'), 0);
  assert.equal(deriveOffsetMinutes('2026-12-04T20:07:03', '2026-12-04 20:37:03'), -30);
  assert.equal(deriveOffsetMinutes('2026-12-04T20:07:03', '2026-12-04 20:14:03'), undefined);
  assert.equal(deriveOffsetMinutes('garbage', '2026-12-04 20:14:03'), undefined);
});

test('naive times become instants', () => {
  assert.deepEqual(utcInstant('2026-12-04 19:28:52'), { raw: '2026-12-04 19:28:52', iso: '2026-12-04T19:28:52.000Z', zone: 'utc' });
  assert.equal(localInstant('2026-12-04T14:28:52.964244', -300)?.iso, '2026-12-04T19:28:52.964Z');
  assert.equal(localInstant('2026-12-04T14:28:52.964244', -300)?.zone, 'derived-offset');
  assert.equal(utcInstant('2026-12-04T19:28:53.040721+00:00')?.zone, 'explicit');
});

test('naive time without offset is read in the viewer zone and flagged', () => {
  const instant = localInstant('2026-06-01T12:00:00', undefined);
  assert.equal(instant?.zone, 'assumed-local');
  const expected = new Date(2026, 5, 1, 12, 0, 0).toISOString();
  assert.equal(instant?.iso, expected);
});

test('text that is not a time keeps its raw form', () => {
  assert.deepEqual(localInstant('yesterday', 0), { raw: 'yesterday', iso: undefined, zone: 'assumed-local' });
});
