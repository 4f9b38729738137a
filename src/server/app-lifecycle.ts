import type { Express, RequestHandler } from 'express';
import type { SseStream } from './SseStream.js';

/** State shared between the app (which opens SSE streams) and the server that closes them on shutdown. */
export interface AppLifecycle {
  /** Set when shutdown starts: responses then ask the client to drop the connection. */
  closing: boolean;
  readonly streams: Set<SseStream>;
  /** The catch-all 404 and error sink have been appended (they must stay last). */
  finalized: boolean;
}

const lifecycles = new WeakMap<Express, AppLifecycle>();

/** The lifecycle of an app (created on first use, so apps not built by `createHttpApp` work too). */
export function lifecycleOf(app: Express): AppLifecycle {
  let lifecycle = lifecycles.get(app);
  if (!lifecycle) {
    lifecycle = { closing: false, streams: new Set(), finalized: false };
    lifecycles.set(app, lifecycle);
  }
  return lifecycle;
}

/** Once shutdown has begun, every response carries `Connection: close` so keep-alive sockets drain. */
export function connectionCloseWhenClosing(lifecycle: AppLifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.closing) res.setHeader('Connection', 'close');
    next();
  };
}

/** Registers a stream so shutdown can end it, and forgets it when it ends. */
export function trackStream(lifecycle: AppLifecycle, stream: SseStream): void {
  lifecycle.streams.add(stream);
  stream.onClose(() => lifecycle.streams.delete(stream));
}
