import { join } from 'node:path';
import { composeAnswer } from '../../src/answer/compose.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import * as engineModule from '../../src/engine/createEngine.js';
import {
  createRetrievalEngine,
  engineStatus,
  passageContext,
  retrieveWithDepartment,
} from '../../src/engine/createEngine.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import type { Logger } from '../../src/logging/logger.js';
import type { Answer, AnswerEvent, Question } from '../../src/types.js';

/** Environment for an engine over the seed corpus with the tiny TEST model, its index under `workDir`. */
export function benchEnv(root: string, workDir: string, tinyModelDir: string): Record<string, string> {
  return {
    POLICYBOT_CORPUS_DIR: join(root, 'corpus'),
    POLICYBOT_INDEX_DIR: workDir,
    POLICYBOT_EMBEDDING_MODEL: tinyModelDir,
    POLICYBOT_MODELS_DIR: join(workDir, 'models'),
    POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
    POLICYBOT_REQUIRE_MODEL: 'true',
  };
}

/**
 * The product engine over the seed corpus: `createEngine` when it exists; until then a stand-in with the same
 * answer path (hybrid retrieve + extractive compose, no LLM) so front-end benchmarks do real work per message.
 */
export async function createBenchEngine(
  config: Config,
  logger: Logger,
): Promise<{ engine: PolicyEngine; via: string }> {
  const factory = (engineModule as Record<string, unknown>).createEngine;
  if (typeof factory === 'function') {
    const engine = (await factory({ config, logger, ensureIndex: true })) as PolicyEngine;
    return { engine, via: 'createEngine' };
  }
  const r = await createRetrievalEngine({ config, logger, ensureIndex: true });
  const answer = async (question: Question): Promise<Answer> => {
    const result = await retrieveWithDepartment(r.retriever, {
      text: question.text,
      k: 5,
      ...(question.department ? { department: question.department } : {}),
    });
    return composeAnswer(question, question.text, result, {
      llm: null,
      logger,
      maxChars: config.answer.maxChars,
    });
  };
  const engine: PolicyEngine = {
    status: () => engineStatus(r.index, r.embedder, r.warnings, config),
    retrieve: (query) => retrieveWithDepartment(r.retriever, query),
    answer,
    async *answerStream(question: Question): AsyncIterable<AnswerEvent> {
      yield { type: 'final', answer: await answer(question) };
    },
    summary: () => Promise.reject(new Error('summary is not part of the benchmark stand-in engine')),
    departments: () =>
      r.retriever
        .listDepartments()
        .map((d) => ({ ...d, docId: '', articleTitle: '', chunkCount: 0, sections: [] })),
    resolveDepartment: (name) => r.retriever.resolveDepartment(name),
    passage: (id) => passageContext(r.index, id),
    close: async () => {
      r.index.keyword.close();
    },
  };
  return { engine, via: 'retrieval engine + extractive compose (createEngine not available yet)' };
}

export function benchConfig(root: string, workDir: string, tinyModelDir: string): Config {
  return loadConfig({}, benchEnv(root, workDir, tinyModelDir));
}
