/**
 * A real `redis-server` (Debian package `redis-server`) on 127.0.0.1 at a free port, for the shared-state tests.
 * Found on PATH or at /usr/bin/redis-server. Without it the suites are skipped with one line — except under
 * `CI=true`, where they fail with a message naming the fix (`.ci/run` installs it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { after, before } from 'node:test';
import { RedisConnection } from '../../src/internal/redis/connection.js';
import type { Logger } from '../../src/logging/logger.js';

export function findRedisServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  return existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null;
}

export const REDIS_MISSING =
  'redis-server not found (CI=true makes this a failure): .ci/run installs it; elsewhere apt-get install -y redis-server';

/** The `skip` option for a suite that needs redis-server. */
export function redisSkip(): string | false {
  if (findRedisServer() || process.env.CI === 'true') return false;
  return 'redis-server not found: apt-get install -y redis-server to run the shared-state tests';
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** True once the server answers PING on `port`. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (an empty database: no persistence). */
  start(): Promise<void>;
  /** SIGSTOP/SIGCONT: the socket stays open but nothing is answered (a hung Redis). */
  pause(): void;
  resume(): void;
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error(REDIS_MISSING);
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = async () => {
    const proc = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += d;
    });
    const deadline = Date.now() + 10_000;
    while (!(await pings(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
  };
}

/** A redis-server for one suite and two connections to it standing for two replicas (see `useRedisReplicas`). */
export interface RedisReplicas {
  server: RedisServer;
  a: RedisConnection;
  b: RedisConnection;
  /** Another connection (300 ms command timeout), with the suite's key prefix unless told. */
  open(keyPrefix?: string): Promise<RedisConnection>;
}

/**
 * Starts a redis-server and two connections before the enclosing suite and stops them after it; the fields of
 * the returned object are set once the suite's `before` has run. Fails with REDIS_MISSING (naming the fix) when
 * redis-server is absent under CI=true.
 */
export function useRedisReplicas(keyPrefix: string, logger: Logger): RedisReplicas {
  const replicas = {
    open: (prefix = keyPrefix) =>
      RedisConnection.open({
        url: replicas.server.url,
        commandTimeoutMs: 300,
        connectTimeoutMs: 1000,
        keyPrefix: prefix,
        logger,
      }),
  } as RedisReplicas;
  before(async () => {
    replicas.server = await startRedisServer();
    replicas.a = await replicas.open();
    replicas.b = await replicas.open();
  });
  after(async () => {
    await replicas.a?.close();
    await replicas.b?.close();
    await replicas.server?.stop();
  });
  return replicas;
}
