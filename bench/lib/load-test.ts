import { summarize } from './stats.js';

export interface LoadTestResult {
  requests: number;
  concurrency: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** Requests that failed or answered with an unexpected status. */
  errors: number;
  firstError: string | null;
}

/**
 * Sends `requests` requests from `concurrency` parallel loops (so that many are always in flight) and times
 * each from send to the end of the response body.
 */
export async function loadTest(
  requests: number,
  concurrency: number,
  send: (i: number) => Promise<Response>,
  ok: (response: Response) => boolean = (r) => r.status === 200,
): Promise<LoadTestResult> {
  const samples: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | null = null;
  const loop = async () => {
    for (let i = next++; i < requests; i = next++) {
      const started = performance.now();
      try {
        const response = await send(i);
        await response.arrayBuffer();
        samples.push(performance.now() - started);
        if (!ok(response)) {
          errors++;
          firstError ??= `HTTP ${response.status}`;
        }
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, loop));
  const s = summarize(samples);
  return { requests, concurrency, p50: s.p50, p99: s.p99, mean: s.mean, max: s.max, errors, firstError };
}

/** `--name value` from argv, as a number. */
export function numberArg(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const value = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
