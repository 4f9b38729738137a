import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../worker.ts', import.meta.url));
const MAX_STDERR = 4_000;

/**
 * Runs `bench/worker.ts <mode>` in a fresh Node process (clean heap, so memory and load numbers are not
 * polluted by earlier work) and returns the JSON object it prints on its last stdout line.
 */
export function runWorker<T>(mode: string, args: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', WORKER, mode, JSON.stringify(args)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-MAX_STDERR);
      if (process.env.BENCH_VERBOSE) process.stderr.write(d);
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs).unref()
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as T);
      } else {
        reject(new Error(`worker ${mode} exited with ${code ?? signal}: ${stderr.trim().slice(-1_500)}`));
      }
    });
  });
}
