import type { RequestHandler } from 'express';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { EngineStatus } from '../types.js';

/** `GET /healthz` body. `degraded` means answers work but with keyword-only retrieval. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  index: { loaded: boolean; chunks: number; documents: number; fingerprint: string | null };
  embedder: EngineStatus['embedder'];
  llm: EngineStatus['llm'];
  frontEnds: string[];
}

export function healthReport(status: EngineStatus, frontEnds: string[]): HealthReport {
  return {
    status: !status.indexLoaded ? 'unavailable' : status.embedder.mode === 'dense' ? 'ok' : 'degraded',
    index: {
      loaded: status.indexLoaded,
      chunks: status.chunkCount,
      documents: status.documentCount,
      fingerprint: status.corpusFingerprint,
    },
    embedder: status.embedder,
    llm: status.llm,
    frontEnds,
  };
}

/** 200 while the index is loaded (even keyword-only), 503 otherwise, so a load balancer can act on it. */
export function healthHandler(engine: PolicyEngine, frontEnds: () => string[]): RequestHandler {
  return (_req, res) => {
    const report = healthReport(engine.status(), frontEnds());
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'unavailable' ? 503 : 200).json(report);
  };
}
