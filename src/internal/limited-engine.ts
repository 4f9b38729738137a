import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { AnswerEvent, Question } from '../types.js';
import type { ConcurrencyLimit } from './ConcurrencyLimit.js';

/** The engine with answer, answerStream and summary run under `limit` (everything else passes through). */
export function limitedEngine(engine: PolicyEngine, limit: ConcurrencyLimit): PolicyEngine {
  return {
    status: () => engine.status(),
    retrieve: (query) => engine.retrieve(query),
    answer: (question: Question) => limit.run(() => engine.answer(question)),
    answerStream: async function* (question: Question): AsyncIterable<AnswerEvent> {
      await limit.acquire();
      try {
        yield* engine.answerStream(question);
      } finally {
        limit.release();
      }
    },
    summary: (issuer, options) => limit.run(() => engine.summary(issuer, options)),
    compare: (request) => limit.run(() => engine.compare(request)),
    issuers: () => engine.issuers(),
    documents: () => engine.documents(),
    exampleQuestions: (language) => engine.exampleQuestions(language),
    documentSummary: (docId) => engine.documentSummary(docId),
    resolveIssuer: (name) => engine.resolveIssuer(name),
    passage: (id) => engine.passage(id),
    figures: (query) => engine.figures(query),
    passageFigures: (id) => engine.passageFigures(id),
    close: () => engine.close(),
  };
}
