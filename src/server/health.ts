import type { RequestHandler } from 'express';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { SharedStateHealth } from '../internal/state-health.js';
import type { CorpusProblem, EngineStatus, SnapshotStatus } from '../types.js';
import { publicModelName, redactPaths } from './redact-paths.js';

/**
 * `GET /healthz` body. `degraded` means something is missing, each reason listed in `degraded`: the index cannot
 * answer (its last retrieval failed), a newer index snapshot was refused (damaged; the loaded one answers),
 * keyword-only retrieval, the LLM circuit open (extractive answers), shared state unreachable
 * (process-local dedupe and limits). Nothing in it names a path on this machine.
 */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  degraded: string[];
  index: {
    loaded: boolean;
    chunks: number;
    documents: number;
    fingerprint: string | null;
    /** The snapshot answering and a newer one refused, when the server watches for snapshots. */
    snapshot: SnapshotStatus | null;
    /** Why the index cannot answer; null while it answers. */
    problem: string | null;
  };
  embedder: EngineStatus['embedder'];
  llm: EngineStatus['llm'];
  /** Corpus files the server could not read at start-up (it answers from the index it has). */
  corpus: { problems: CorpusProblem[] };
  sharedState: SharedStateHealth;
  frontEnds: string[];
}

const LOCAL_STATE: SharedStateHealth = { backend: 'memory', status: 'ok', since: null, reason: null };

export function healthReport(
  status: EngineStatus,
  frontEnds: string[],
  sharedState: SharedStateHealth = LOCAL_STATE,
): HealthReport {
  const degraded: string[] = [];
  const indexProblem = status.indexProblem ? redactPaths(status.indexProblem) : null;
  if (indexProblem) degraded.push(`index cannot answer: ${indexProblem}`);
  const refused = status.snapshot?.refused ?? null;
  if (refused) {
    degraded.push(`newer index snapshot ${refused.name} refused: answering from the one loaded`);
  }
  const fallbackFrom = status.snapshot?.fallbackFrom ?? null;
  if (fallbackFrom) {
    degraded.push(
      `index snapshot ${fallbackFrom.name} is damaged and could not be rebuilt: answering from the previous snapshot ${status.snapshot?.current}`,
    );
  }
  if (status.embedder.mode !== 'dense') degraded.push('keyword-only retrieval (no embedding model)');
  if (status.llm.circuit && status.llm.circuit.state !== 'closed') {
    degraded.push(`language model circuit ${status.llm.circuit.state}: answers are extractive`);
  }
  if (sharedState.status !== 'ok') {
    degraded.push('shared state (Redis) unreachable: dedupe, rate limits and caches are process-local');
  }
  return {
    status: !status.indexLoaded ? 'unavailable' : degraded.length > 0 ? 'degraded' : 'ok',
    degraded,
    index: {
      loaded: status.indexLoaded,
      chunks: status.chunkCount,
      documents: status.documentCount,
      fingerprint: status.corpusFingerprint,
      snapshot: status.snapshot
        ? {
            ...status.snapshot,
            refused: refused ? { name: refused.name, reason: redactPaths(refused.reason) } : null,
            fallbackFrom: fallbackFrom
              ? { name: fallbackFrom.name, reason: redactPaths(fallbackFrom.reason) }
              : null,
          }
        : null,
      problem: indexProblem,
    },
    embedder: {
      mode: status.embedder.mode,
      model: status.embedder.model === null ? null : publicModelName(status.embedder.model),
      reason: status.embedder.reason === null ? null : redactPaths(status.embedder.reason),
    },
    llm: status.llm,
    corpus: {
      problems: status.corpusProblems.map((p) => ({
        path: redactPaths(p.path),
        message: redactPaths(p.message),
      })),
    },
    sharedState: {
      ...sharedState,
      reason: sharedState.reason === null ? null : redactPaths(sharedState.reason),
    },
    frontEnds,
  };
}

/** 200 while the index is loaded (even degraded), 503 otherwise, so a load balancer can act on it. */
export function healthHandler(
  engine: PolicyEngine,
  frontEnds: () => string[],
  sharedState?: () => SharedStateHealth,
): RequestHandler {
  return (_req, res) => {
    const report = healthReport(engine.status(), frontEnds(), sharedState?.());
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'unavailable' ? 503 : 200).json(report);
  };
}
