/**
 * An LLM endpoint that accepts connections and never answers: what a question costs then. With the circuit
 * breaker off every ask waits for its request budget (rewrite + answer together) and no longer; with the breaker
 * open, asks are extractive at once — the extra over an engine without any LLM is the number to watch.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PolicyEngine } from '../src/engine/PolicyEngine.js';
import type { Logger } from '../src/logging/logger.js';
import { createBenchEngine } from './lib/bench-engine.js';
import { type LatencySummary, summarize } from './lib/stats.js';

export interface LlmHangOutput {
  budgetMs: number;
  concurrency: number;
  /** Breaker off: every ask meets the hang. */
  hanging: LatencySummary;
  /** Breaker open after a few failures. */
  breakerOpen: LatencySummary;
  /** The same asks with no LLM configured. */
  extractive: LatencySummary;
  /** Model connections still open once every ask had returned (each should have been aborted). */
  leftOpenConnections: number;
}

const QUESTIONS = [
  '2021年新建了多少个5G基站？',
  '小微企业融资担保有什么政策？',
  '工业互联网平台的发展目标是什么？',
  '千兆光网覆盖了多少户家庭？',
];

/** Loads the segmenter's dictionary and the like, so no measured ask pays a one-time cost. */
async function warmUp(engine: PolicyEngine): Promise<void> {
  for (const text of QUESTIONS) await engine.retrieve({ text });
}

async function timedAsks(engine: PolicyEngine, count: number, concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await engine.answer({ text: QUESTIONS[i % QUESTIONS.length] as string, requestId: `bench-${i}` });
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times;
}

export async function runLlmHang(options: {
  root: string;
  work: string;
  smoke: boolean;
  logger: Logger;
}): Promise<LlmHangOutput> {
  const budgetMs = options.smoke ? 600 : 3000;
  const asks = options.smoke ? 8 : 40;
  const concurrency = options.smoke ? 4 : 10;
  let open = 0;
  const hang = createServer((req) => {
    open += 1;
    req.socket.once('close', () => {
      open -= 1;
    });
  });
  await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/v1`;
  const llmEnv = {
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: baseURL,
    OPENAI_TIMEOUT_MS: String(budgetMs),
    POLICYBOT_LLM_BUDGET_MS: String(budgetMs),
  };
  try {
    const hanging = await createBenchEngine(options.root, options.work, options.logger, {
      ...llmEnv,
      POLICYBOT_LLM_BREAKER_FAILURES: '0',
    });
    await warmUp(hanging.engine);
    const hangingTimes = await timedAsks(hanging.engine, asks, concurrency);
    await hanging.engine.close();
    // Give aborted sockets a moment to be seen as closed by the server.
    await new Promise((r) => setTimeout(r, 200));
    const leftOpenConnections = open;

    const breaker = await createBenchEngine(options.root, options.work, options.logger, {
      ...llmEnv,
      POLICYBOT_LLM_BREAKER_FAILURES: '3',
      POLICYBOT_LLM_BREAKER_COOLDOWN_MS: '600000',
    });
    await warmUp(breaker.engine);
    // Open the circuit with answerable questions (a refused one never calls the model).
    while (breaker.engine.status().llm.circuit?.state !== 'open') {
      await breaker.engine.answer({ text: QUESTIONS[0] as string, requestId: 'bench-open' });
    }
    const openTimes = await timedAsks(breaker.engine, asks * 2, 1);
    await breaker.engine.close();

    const plain = await createBenchEngine(options.root, options.work, options.logger);
    await warmUp(plain.engine);
    const plainTimes = await timedAsks(plain.engine, asks * 2, 1);
    await plain.engine.close();

    return {
      budgetMs,
      concurrency,
      hanging: summarize(hangingTimes),
      breakerOpen: summarize(openTimes),
      extractive: summarize(plainTimes),
      leftOpenConnections,
    };
  } finally {
    hang.closeAllConnections();
    await new Promise<void>((resolve) => hang.close(() => resolve()));
  }
}
