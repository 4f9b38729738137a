import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * Records and refuses every outbound connection attempt (fetch, http/https requests, raw sockets)
 * until `restore()`; tests assert `calls` stays empty.
 */
export function blockNetwork(): { calls: string[]; restore: () => void } {
  const calls: string[] = [];
  const refuse = (what: string) => {
    calls.push(what);
    return new Error(`network access blocked in test: ${what}`);
  };
  const originals = {
    fetch: globalThis.fetch,
    httpRequest: http.request,
    httpGet: http.get,
    httpsRequest: https.request,
    httpsGet: https.get,
    connect: net.Socket.prototype.connect,
  };
  globalThis.fetch = (async (input: unknown) => {
    throw refuse(`fetch ${String(input instanceof Request ? input.url : input)}`);
  }) as typeof fetch;
  const blocked = (name: string) =>
    ((...args: unknown[]) => {
      throw refuse(`${name} ${String(args[0] instanceof URL ? args[0].href : JSON.stringify(args[0]))}`);
    }) as never;
  http.request = blocked('http.request');
  http.get = blocked('http.get');
  https.request = blocked('https.request');
  https.get = blocked('https.get');
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    throw refuse(`net.connect ${JSON.stringify(args[0])}`);
  } as never;
  syncBuiltinESMExports();
  return {
    calls,
    restore: () => {
      globalThis.fetch = originals.fetch;
      http.request = originals.httpRequest;
      http.get = originals.httpGet;
      https.request = originals.httpsRequest;
      https.get = originals.httpsGet;
      net.Socket.prototype.connect = originals.connect;
      syncBuiltinESMExports();
    },
  };
}
