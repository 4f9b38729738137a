import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/errors/index.js';
import { ChannelScopes, parseScopes, readScopesFile } from '../../src/scopes/index.js';
import type { DocumentInfo, DocumentMeta } from '../../src/types.js';
import { tempDir } from '../helpers/temp-dir.js';

function doc(id: string, meta: Partial<DocumentMeta>): DocumentInfo {
  return {
    id,
    path: `${id}.txt`,
    chunkCount: 1,
    sections: [],
    meta: {
      title: id,
      issuers: [],
      docNumber: null,
      date: null,
      publishedDate: null,
      region: null,
      kind: null,
      signers: [],
      source: null,
      tags: [],
      origin: {},
      format: 'txt',
      ocr: null,
      ...meta,
    },
  };
}

const LIBRARY = [
  doc('energy/zj-grid', {
    issuers: [{ short: '浙江能源监管办', full: '国家能源局浙江监管办公室' }],
    region: { code: '330000', name: '浙江省', level: 'province' },
    tags: ['电力'],
  }),
  doc('energy/tz-grid', { region: { code: '331000', name: '台州市', level: 'city' } }),
  doc('energy/js-grid', { region: { code: '320000', name: '江苏省', level: 'province' }, tags: ['电力'] }),
  doc('state/gwy', { issuers: [{ short: '国务院办公厅', full: '国务院办公厅' }] }),
];

function fails(json: unknown, pattern: RegExp) {
  assert.throws(
    () => parseScopes(json, 'scopes.json'),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.variable === 'POLICYBOT_SCOPES_FILE' &&
      pattern.test(error.message) &&
      error.message.includes('scopes.json'),
  );
}

describe('scopes file', () => {
  it('fails with the place and the reason', () => {
    fails({ slack: { C1: 'nope' } }, /slack\.C1: unknown set "nope" \(sets: all\)/);
    fails({ sets: { a: { regions: ['火星'] } } }, /sets\.a\.regions: "火星" is not a region name/);
    fails({ sets: { a: {} } }, /sets\.a: a set needs at least one of/);
    fails({ sets: { a: { folder: ['x'] } } }, /sets\.a/);
    fails({ slack: { general: 'all' } }, /must be a Slack channel id/);
    fails({ sets: { all: { tags: ['x'] } } }, /reserved/);
    fails({ dm: 42 }, /dm/);
  });

  it('reads a file and says when it is missing or not JSON', async () => {
    const dir = await tempDir();
    const good = join(dir, 'ok.json');
    await writeFile(good, JSON.stringify({ sets: { e: { folders: ['energy'] } }, slack: { C1: 'e' } }));
    assert.equal((await readScopesFile(good)).slack.get('C1')?.name, 'e');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ sets: ');
    await assert.rejects(readScopesFile(bad), /bad\.json: is not valid JSON/);
    await assert.rejects(
      readScopesFile(join(dir, 'missing.json')),
      /missing\.json: cannot be read \(ENOENT\)/,
    );
  });

  it('resolves sets: fields are all required, values alternatives; regions include what lies within', () => {
    const file = parseScopes(
      {
        sets: { zhejiang: { regions: ['浙江'] }, power: { folders: ['energy/'], tags: ['电力'] } },
        slack: { CZJ: 'zhejiang', CPOWER: 'power', CSTATE: { issuers: ['国务院办公厅'] } },
        wecom: { wrAll: 'all' },
        dm: 'power',
      },
      'scopes.json',
    );
    const scopes = new ChannelScopes(file, LIBRARY);
    assert.deepEqual(scopes.forSlack('CZJ', false).docIds, ['energy/zj-grid', 'energy/tz-grid']);
    assert.deepEqual(scopes.forSlack('CPOWER', false).docIds, ['energy/zj-grid', 'energy/js-grid']);
    assert.deepEqual(scopes.forSlack('CSTATE', false).docIds, ['state/gwy']);
    assert.equal(scopes.forSlack('CSTATE', false).source, 'channel');
    // A DM, and a channel with no entry, get the DM default.
    assert.equal(scopes.forSlack('CZJ', true).name, 'power');
    assert.equal(scopes.forSlack('COTHER', false).source, 'dm-default');
    assert.equal(scopes.forWecom('wrAll').docIds, null);
    assert.equal(scopes.forWecom(null).name, 'power');
    assert.equal(ChannelScopes.unscoped().forSlack('C1', false).docIds, null);
  });
});
