import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { lifecycleOf } from './app-lifecycle.js';
import { finalizeHttpApp } from './create-http-app.js';

export interface HttpServerHandle {
  /** Where to open the chat page, e.g. "http://127.0.0.1:3000". */
  url: string;
  port: number;
  /** Stops accepting, ends SSE streams and keep-alive connections, resolves when all sockets are gone. */
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  /** After this long, connections still open at shutdown are cut (default 5 s). */
  shutdownGraceMs?: number;
}

/** An address a browser can open: wildcard binds become localhost, IPv6 literals get brackets. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        'PORT',
        `${port} is already in use on ${host}; stop the other process or set PORT`,
      );
    case 'EACCES':
      return new ConfigError('PORT', `not allowed to listen on ${port}; use a port above 1023`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ConfigError('HOST', `cannot listen on "${host}"; use 127.0.0.1, 0.0.0.0 or a local address`);
    default:
      return error;
  }
}

/**
 * Listens on `host:port` (port 0 picks a free one) and returns the URL and a graceful `close()`.
 * Appends the app's final 404 and error sink first, so mount every route before calling this.
 */
export async function startHttpServer(
  app: Express,
  options: ListenOptions,
  logger: Logger,
): Promise<HttpServerHandle> {
  finalizeHttpApp(app, logger);
  const lifecycle = lifecycleOf(app);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, options.port, options.host));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));
  // A response that finishes during shutdown releases its socket instead of idling in keep-alive.
  server.on('request', (req, res) => {
    res.on('finish', () => {
      if (lifecycle.closing) req.socket.end();
    });
  });

  const { port } = server.address() as AddressInfo;
  const url = `http://${browsableHost(options.host)}:${port}`;
  logger.info({ url, host: options.host, port }, 'http server listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      lifecycle.closing = true;
      const cutoff = setTimeout(() => {
        logger.warn('closing connections still open after the shutdown grace period');
        server.closeAllConnections();
      }, options.shutdownGraceMs ?? 5000);
      cutoff.unref();
      server.close(() => {
        clearTimeout(cutoff);
        logger.info('http server closed');
        resolve();
      });
      server.closeIdleConnections();
      for (const stream of [...lifecycle.streams]) stream.close();
    });
    return closing;
  };
  return { url, port, close };
}
