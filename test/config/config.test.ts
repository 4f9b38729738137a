import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';

test('defaults need no environment at all', () => {
  const config = loadConfig({});
  assert.equal(config.server.port, 3000);
  assert.equal(config.server.host, '127.0.0.1');
  assert.equal(config.llm, null);
  assert.equal(config.slack, null);
  assert.equal(config.wecom.app, null);
  assert.equal(config.embedding.model, 'Xenova/bge-small-zh-v1.5');
  assert.equal(config.embedding.modelsDir, 'embeddings/models');
});

test('values are trimmed and overrides win over the environment', () => {
  const config = loadConfig({ PORT: ' 8080 ', OPENAI_API_KEY: 'sk-test ' }, { PORT: '9090' });
  assert.equal(config.server.port, 9090);
  assert.equal(config.llm?.apiKey, 'sk-test');
});

function failsNaming(env: Record<string, string>, variable: string) {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === variable && error.message.includes(variable),
  );
}

test('a bad or missing setting fails fast with the variable name', () => {
  failsNaming({ PORT: 'eighty' }, 'PORT');
  failsNaming({ OPENAI_BASE_URL: 'not a url', OPENAI_API_KEY: 'x' }, 'OPENAI_BASE_URL');
  failsNaming({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'OPENAI_API_KEY');
  failsNaming({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET');
  failsNaming({ WECOM_CORP_ID: 'wx1' }, 'WECOM_AGENT_ID');
  failsNaming(
    { WECOM_AIBOT_TOKEN: 't', WECOM_AIBOT_ENCODING_AES_KEY: 'short' },
    'WECOM_AIBOT_ENCODING_AES_KEY',
  );
  failsNaming({ POLICYBOT_CHUNK_SIZE: '100', POLICYBOT_CHUNK_OVERLAP: '100' }, 'POLICYBOT_CHUNK_OVERLAP');
  failsNaming({ POLICYBOT_REQUIRE_MODEL: 'maybe' }, 'POLICYBOT_REQUIRE_MODEL');
  failsNaming({ SLACK_SLASH_COMMAND: 'policy' }, 'SLACK_SLASH_COMMAND');
});

test('complete groups switch front ends on', () => {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    SLACK_CHANNEL_ALLOWLIST: 'C1, C2,,',
    WECOM_AIBOT_TOKEN: 't',
    WECOM_AIBOT_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    WECOM_API_BASE: 'http://127.0.0.1:9/',
  });
  assert.deepEqual(config.slack?.channelAllowlist, ['C1', 'C2']);
  assert.equal(config.slack?.rateLimitPerMinute, 10);
  assert.equal(config.wecom.aibot?.token, 't');
  assert.equal(config.wecom.app, null);
  assert.equal(config.wecom.apiBase, 'http://127.0.0.1:9');
});

test('OCR is on by default with one worker per core; POLICYBOT_OCR=off and a worker count are validated', () => {
  const defaults = loadConfig({});
  assert.deepEqual(defaults.ocr, { enabled: true, workers: undefined, cacheDir: 'embeddings/cache' });
  const set = loadConfig({
    POLICYBOT_OCR: 'off',
    POLICYBOT_OCR_WORKERS: '3',
    POLICYBOT_INDEX_DIR: '/srv/idx',
  });
  assert.deepEqual(set.ocr, { enabled: false, workers: 3, cacheDir: '/srv/idx/cache' });
  failsNaming({ POLICYBOT_OCR: 'sometimes' }, 'POLICYBOT_OCR');
  failsNaming({ POLICYBOT_OCR_WORKERS: '0' }, 'POLICYBOT_OCR_WORKERS');
});
