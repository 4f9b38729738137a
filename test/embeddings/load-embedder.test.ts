import assert from 'node:assert/strict';
import { cp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Embedder } from '../../src/embeddings/Embedder.js';
import { loadEmbedder, pullModel } from '../../src/embeddings/load-embedder.js';
import { ErrorCode, ModelUnavailableError } from '../../src/errors/index.js';
import type { Logger } from '../../src/logging/logger.js';
import { blockNetwork } from './network-guard.js';
import { tinyModelFixture } from './tiny-model-fixture.js';

function recordingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);
const norm = (a: Float32Array) => Math.sqrt(cosine(a, a));

describe('loadEmbedder', () => {
  let fixture: Awaited<ReturnType<typeof tinyModelFixture>>;
  let embedder: Embedder;
  let networkCalls: string[];

  before(async () => {
    fixture = await tinyModelFixture();
    const guard = blockNetwork();
    networkCalls = guard.calls;
    try {
      const { logger, lines } = recordingLogger();
      const load = await loadEmbedder(
        {
          model: fixture.modelDir,
          modelsDir: join(fixture.root, 'models'),
          allowRemote: false,
          required: false,
        },
        logger,
      );
      assert.ok(load.embedder, load.warning ?? 'no embedder');
      embedder = load.embedder;
      assert.match(load.warning ?? '', /TEST EMBEDDING MODEL/);
      assert.ok(
        lines.some((l) => l.level === 40 && /TEST EMBEDDING MODEL/.test(l.msg)),
        'logged at warn',
      );
      // Use the model while the network is still blocked.
      await embedder.embedQueries(['工业和信息化部']);
      await embedder.embedPassages(['中小企业数字化转型']);
    } finally {
      guard.restore();
    }
  });
  after(async () => {
    await embedder?.dispose();
    await fixture.cleanup();
  });

  it('loads the generated test model through the normal path without touching the network', () => {
    assert.deepEqual(networkCalls, []);
    assert.equal(embedder.modelId, fixture.modelDir);
    assert.equal(embedder.dimension, 64);
    assert.equal(embedder.isTestModel, true);
  });

  it('returns unit vectors of the model dimension, in input order', async () => {
    const texts = ['推进工业互联网创新发展', '中小企业', '加强网络安全保障能力建设，推动数据安全', 'a'];
    const progress: [number, number][] = [];
    const vectors = await embedder.embedPassages(texts, (done, total) => progress.push([done, total]));
    assert.equal(vectors.length, texts.length);
    for (const v of vectors) {
      assert.equal(v.length, 64);
      assert.ok(Math.abs(norm(v) - 1) < 1e-4, `norm ${norm(v)}`);
    }
    assert.deepEqual(progress.at(-1), [4, 4]);
    const [single] = await embedder.embedPassages([texts[2] as string]);
    assert.ok(single);
    assert.ok(cosine(single, vectors[2] as Float32Array) > 0.9999, 'order restored after length sorting');
    assert.deepEqual(await embedder.embedQueries([]), []);
  });

  it('puts texts sharing characters closer than unrelated ones', async () => {
    const [query, similar, unrelated] = await embedder.embedQueries([
      '促进中小企业数字化转型',
      '推动中小企业加快数字化转型升级',
      '加强网络安全和数据安全保障',
    ]);
    assert.ok(query && similar && unrelated);
    const near = cosine(query, similar);
    const far = cosine(query, unrelated);
    assert.ok(near > far + 0.2, `similar ${near.toFixed(3)} vs unrelated ${far.toFixed(3)}`);
  });

  it('applies the family query prefix (e5 directory → "query: ")', async () => {
    const e5Dir = join(fixture.root, 'multilingual-e5-small');
    await cp(fixture.modelDir, e5Dir, { recursive: true });
    const load = await loadEmbedder(
      { model: e5Dir, modelsDir: join(fixture.root, 'models'), allowRemote: false, required: false },
      recordingLogger().logger,
    );
    assert.ok(load.embedder);
    try {
      const [prefixed] = await load.embedder.embedQueries(['税收优惠']);
      const [manual] = await embedder.embedQueries(['query: 税收优惠']);
      const [bare] = await embedder.embedQueries(['税收优惠']);
      const [passage] = await load.embedder.embedPassages(['税收优惠']);
      const [manualPassage] = await embedder.embedPassages(['passage: 税收优惠']);
      assert.ok(prefixed && manual && bare && passage && manualPassage);
      assert.ok(cosine(prefixed, manual) > 0.9999);
      assert.ok(cosine(prefixed, bare) < 0.99);
      assert.ok(cosine(passage, manualPassage) > 0.9999);
    } finally {
      await load.embedder.dispose();
    }
  });

  it('falls back to keyword-only with a loud warning when the model is missing, offline', async () => {
    const guard = blockNetwork();
    const { logger, lines } = recordingLogger();
    try {
      const load = await loadEmbedder(
        {
          model: 'Xenova/bge-small-zh-v1.5',
          modelsDir: join(fixture.root, 'models'),
          allowRemote: false,
          required: false,
        },
        logger,
      );
      assert.equal(load.embedder, null);
      assert.match(load.warning, /KEYWORD-ONLY/);
      assert.match(load.warning, /Xenova\/bge-small-zh-v1\.5/);
      assert.match(load.warning, /POLICYBOT_EMBEDDING_MODEL/);
      assert.match(load.warning, /policybot models pull/);
      assert.ok(load.warning.split('\n').length > 5, 'multi-line');
      assert.ok(lines.some((l) => l.level === 40 && l.msg === load.warning));
      assert.deepEqual(guard.calls, []);
    } finally {
      guard.restore();
    }
  });

  it('has a network guard that does see transformers.js downloads (so the zero-call checks can fail)', async () => {
    const guard = blockNetwork();
    try {
      const load = await loadEmbedder(
        {
          model: 'Xenova/bge-small-zh-v1.5',
          modelsDir: join(fixture.root, 'models'),
          allowRemote: true,
          required: false,
        },
        recordingLogger().logger,
      );
      assert.equal(load.embedder, null);
      assert.match(load.warning, /download from the model hub failed/);
      assert.ok(
        guard.calls.some((c) => c.includes('huggingface.co')),
        guard.calls.join('\n'),
      );
    } finally {
      guard.restore();
    }
  });

  it('reports a missing local directory the same way', async () => {
    const load = await loadEmbedder(
      { model: join(fixture.root, 'nope'), modelsDir: 'unused', allowRemote: true, required: false },
      recordingLogger().logger,
    );
    assert.equal(load.embedder, null);
    assert.match(load.warning, /local directory/);
  });

  it('throws ModelUnavailableError when the model is required', async () => {
    const guard = blockNetwork();
    try {
      await assert.rejects(
        loadEmbedder(
          {
            model: 'Xenova/multilingual-e5-small',
            modelsDir: join(fixture.root, 'models'),
            allowRemote: false,
            required: true,
          },
          recordingLogger().logger,
        ),
        (error: unknown) => {
          assert.ok(error instanceof ModelUnavailableError);
          assert.equal(error.code, ErrorCode.ModelUnavailable);
          assert.match(error.message, /POLICYBOT_EMBEDDING_MODEL/);
          return true;
        },
      );
      assert.deepEqual(guard.calls, []);
    } finally {
      guard.restore();
    }
  });
});

describe('pullModel', () => {
  let fixture: Awaited<ReturnType<typeof tinyModelFixture>>;
  let server: Server;
  let host: string;
  const requested: string[] = [];

  before(async () => {
    fixture = await tinyModelFixture();
    // A stand-in for the hub: serves /<owner>/<name>/resolve/main/<file> from the generated model.
    server = createServer(async (req, res) => {
      requested.push(req.url ?? '');
      const match = /^\/policybot\/tiny-model\/resolve\/main\/(.+)$/.exec(req.url ?? '');
      const body = match
        ? await readFile(join(fixture.modelDir, match[1] as string)).catch(() => null)
        : null;
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fixture.cleanup();
  });

  it('downloads into modelsDir/<id>, after which it loads with remote loading off', async () => {
    const modelsDir = join(fixture.root, 'models');
    const files = await pullModel('policybot/tiny-model', modelsDir, recordingLogger().logger, {
      remoteHost: host,
    });
    assert.ok(files.includes(join('policybot', 'tiny-model', 'onnx', 'model.onnx')), files.join(', '));
    assert.ok(files.includes(join('policybot', 'tiny-model', 'tokenizer.json')));
    assert.ok(requested.some((u) => u.endsWith('/onnx/model.onnx')));

    const before = requested.length;
    // Air-gapped deployments keep the default allowRemote=true: a complete cache must not be re-fetched.
    for (const allowRemote of [false, true]) {
      const guard = blockNetwork();
      try {
        const load = await loadEmbedder(
          { model: 'policybot/tiny-model', modelsDir, allowRemote, required: true },
          recordingLogger().logger,
        );
        assert.ok(load.embedder);
        await load.embedder.dispose();
        assert.deepEqual(guard.calls, [], `allowRemote=${allowRemote}`);
      } finally {
        guard.restore();
      }
    }
    assert.equal(requested.length, before, 'loading from the cache made no requests');
  });

  it('throws ModelUnavailableError when the hub does not have the model', async () => {
    await assert.rejects(
      pullModel('policybot/absent', join(fixture.root, 'models'), recordingLogger().logger, {
        remoteHost: host,
      }),
      ModelUnavailableError,
    );
  });
});
