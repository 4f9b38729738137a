/**
 * Front-end acknowledgement latency: runs bench/slack-ack.ts, bench/wecom-ack.ts and bench/web-api.ts (each
 * in its own process, when the script and its front end exist) and collects their results.
 *
 * Contract for those scripts: `node --import tsx bench/<name>.ts --concurrency N --requests M --json` prints a
 * JSON object as its last stdout line with at least `p50` and `p99` (ms), optionally `errors` and `note`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type FrontEndResult =
  | {
      status: 'measured';
      concurrency: number;
      requests: number;
      p50: number;
      p99: number;
      errors: number | null;
      note?: string;
      raw: Record<string, unknown>;
    }
  | { status: 'not measured'; reason: string };

export type FrontEndResults = Record<'slack' | 'wecom' | 'web', FrontEndResult>;

interface Target {
  name: keyof FrontEndResults;
  script: string;
  /** The front end's source entry; without it there is nothing to measure. */
  requires: string;
}

const TARGETS: Target[] = [
  { name: 'slack', script: 'bench/slack-ack.ts', requires: 'src/slack/index.ts' },
  { name: 'wecom', script: 'bench/wecom-ack.ts', requires: 'src/wecom/index.ts' },
  { name: 'web', script: 'bench/web-api.ts', requires: 'src/server/index.ts' },
];

function runScript(root: string, script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${script} exited with ${code ?? signal}: ${err.trim().slice(-600)}`));
    });
  });
}

function parseResult(stdout: string, concurrency: number, requests: number): FrontEndResult {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(last) as Record<string, unknown>;
  } catch {
    return {
      status: 'not measured',
      reason: `no JSON result line in the script's output: ${last.slice(0, 200)}`,
    };
  }
  // Accept { p50, p99 } at the top level or under `ack`.
  const source = (typeof raw.ack === 'object' && raw.ack !== null ? raw.ack : raw) as Record<string, unknown>;
  const p50 = Number(source.p50 ?? source.p50Ms);
  const p99 = Number(source.p99 ?? source.p99Ms);
  if (!Number.isFinite(p50) || !Number.isFinite(p99)) {
    return { status: 'not measured', reason: 'result line has no numeric p50/p99' };
  }
  const errors = Number(source.errors ?? raw.errors);
  return {
    status: 'measured',
    concurrency: Number(source.concurrency ?? raw.concurrency ?? concurrency),
    requests: Number(source.requests ?? raw.requests ?? requests),
    p50,
    p99,
    errors: Number.isFinite(errors) ? errors : null,
    ...(typeof raw.note === 'string' ? { note: raw.note } : {}),
    raw,
  };
}

export async function runFrontEnds(options: {
  root: string;
  concurrency: number;
  requests: number;
  smoke: boolean;
}): Promise<FrontEndResults> {
  const out = {} as FrontEndResults;
  for (const target of TARGETS) {
    if (!existsSync(join(options.root, target.requires))) {
      out[target.name] = { status: 'not measured', reason: `${target.requires} does not exist yet` };
      continue;
    }
    if (!existsSync(join(options.root, target.script))) {
      out[target.name] = { status: 'not measured', reason: `${target.script} does not exist yet` };
      continue;
    }
    try {
      const stdout = await runScript(
        options.root,
        target.script,
        ['--concurrency', String(options.concurrency), '--requests', String(options.requests), '--json'],
        options.smoke ? 60_000 : 300_000,
      );
      out[target.name] = parseResult(stdout, options.concurrency, options.requests);
    } catch (error) {
      out[target.name] = {
        status: 'not measured',
        reason: error instanceof Error ? error.message.slice(0, 300) : String(error),
      };
    }
  }
  return out;
}
