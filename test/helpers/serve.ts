import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, REPO } from './cli.js';

/** A running `policybot serve` (the built CLI) on a free port. */
export interface Replica {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

export async function startServe(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${stdout}\n${stderr}`)), 90_000);
    const check = () => {
      const match = stdout.match(/policybot is ready: (http:\/\/\S+)/);
      // The shared-state line comes last, after the corpus lines.
      if (match?.[1] && /shared state:/.test(stdout)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', () => reject(new Error(`exited early:\n${stdout}\n${stderr}`)));
  });
  return {
    url,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
