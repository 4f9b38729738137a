import express, { type RequestHandler, type Response, type Router } from 'express';
import { citationSource } from '../answer/citation-source.js';
import type { Config } from '../config/config.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { ErrorCode, PolicybotError } from '../errors/index.js';
import { parseFigureQuery } from '../figures/query-figures.js';
import { figuresToCsv } from '../figures/render-figures.js';
import { MemoryRateLimiter, type RateLimiter } from '../internal/rate-limiter.js';
import type { Logger } from '../logging/logger.js';
import { ChannelScopes, toDocumentScope } from '../scopes/index.js';
import type { Answer, Citation, Language } from '../types.js';
import { type AppLifecycle, trackStream } from './app-lifecycle.js';
import { askBodyLimitBytes, parseAskRequest } from './ask-request.js';
import { type ChannelRoutesOptions, registerChannelRoutes, scopeParam } from './channel-routes.js';
import { parseCompareRequest } from './compare-request.js';
import {
  errorBody,
  errorSink,
  HttpInputError,
  logFailure,
  methodNotAllowed,
  NotFoundError,
  notFound,
  toCodedError,
} from './http-errors.js';
import { rateLimitByIp } from './rate-limit.js';
import { contextOf } from './request-context.js';
import { SseStream } from './SseStream.js';

export interface ApiRouterOptions {
  config: Config;
  engine: PolicyEngine;
  logger: Logger;
  lifecycle: AppLifecycle;
  /** Per-IP limit of the ask and summary routes; shared between replicas when given one (default in-process). */
  limiter?: RateLimiter;
  /** Milliseconds between SSE keep-alive comments. */
  heartbeatMs?: number;
  /**
   * Document sets, subscriptions and digests (`/api/scopes`, `/api/subscriptions`, `/api/digest`, and
   * `/api/figures?scope=`); without it every route sees the whole library, with no subscriptions.
   */
  channels?: Omit<ChannelRoutesOptions, 'engine' | 'logger' | 'configured' | 'limited'>;
}

/**
 * The Answer as the web page gets it: each citation also carries `source`, the one-line origin every front end
 * shows (《title》（文号） › part › section path, see citation-source.ts), so the page does not rebuild it.
 */
export function withSources(answer: Answer): Answer & { citations: (Citation & { source: string })[] } {
  return { ...answer, citations: answer.citations.map((c) => ({ ...c, source: citationSource(c) })) };
}

/** 415 unless the body is declared as JSON: also makes cross-site form posts impossible without CORS. */
function requireJson(): RequestHandler {
  return (req, _res, next) => {
    next(
      req.is('application/json')
        ? undefined
        : new HttpInputError(415, 'Content-Type must be application/json.'),
    );
  };
}

/**
 * Aborted when the client goes away before its response was finished (closed tab, cancelled fetch, proxy
 * timeout), so the engine stops the language-model call nobody will read.
 */
function whileClientWaits(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new DOMException('client disconnected', 'AbortError'));
  });
  return controller.signal;
}

function stringParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new HttpInputError(400, `The "${name}" query parameter must be given once.`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function languageParam(value: unknown): Language | undefined {
  if (value === undefined) return undefined;
  if (value === 'zh' || value === 'en') return value;
  throw new HttpInputError(400, 'The "language" query parameter must be "zh" or "en".');
}

/**
 * Everything under `/api`: JSON is parsed here and only here (Slack's and WeCom's routes on the same
 * app need raw bodies), and errors stay JSON even for routes mounted after this router.
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const { config, engine, logger, lifecycle } = options;
  // Without channel settings every route sees the whole library and there are no subscriptions.
  const channels = options.channels ?? {
    scopes: ChannelScopes.unscoped(),
    subscriptions: null,
    documentsSince: () => [],
    slashCommand: '/policy',
  };
  const limits = { maxQuestionChars: config.server.maxQuestionChars };
  const limited = rateLimitByIp(options.limiter ?? new MemoryRateLimiter(config.server.rateLimitPerMinute));
  const json = [
    requireJson(),
    express.json({ limit: askBodyLimitBytes(limits), strict: true, type: 'application/json' }),
  ];
  const router = express.Router();

  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/ask', limited, ...json, async (req, res) => {
    const { requestId } = contextOf(res, logger);
    const question = parseAskRequest(req.body, requestId, limits);
    res.json(withSources(await engine.answer({ ...question, signal: whileClientWaits(res) })));
  });
  router.all('/ask', methodNotAllowed(['POST']));

  router.post('/ask/stream', limited, ...json, async (req, res) => {
    const { requestId, log } = contextOf(res, logger);
    // Validation errors surface before any byte is sent, as ordinary JSON errors with a 4xx status.
    const question = parseAskRequest(req.body, requestId, limits);
    const stream = new SseStream(res, { heartbeatMs: options.heartbeatMs });
    trackStream(lifecycle, stream);
    let final = false;
    // Ended stream (client gone, shutdown) before the final answer: the answer is no longer wanted.
    const abandoned = new AbortController();
    stream.onClose(() => {
      if (!final) abandoned.abort(new DOMException('client disconnected', 'AbortError'));
    });
    const iterator = engine.answerStream({ ...question, signal: abandoned.signal })[Symbol.asyncIterator]();
    const closed = new Promise<'closed'>((resolve) => stream.onClose(() => resolve('closed')));
    try {
      for (;;) {
        const next = iterator.next();
        // Race the stream's end (client gone, shutdown) so this handler never waits on a dead response.
        const result = await Promise.race([next, closed]);
        if (result === 'closed') {
          next.catch(() => {});
          // Queued behind the pending step: the engine stops at its next yield and runs its cleanup.
          iterator.return?.(undefined).catch(() => {});
          break;
        }
        if (result.done) break;
        const event = result.value;
        // Exactly one final, last: anything an engine yields after it is not sent.
        if (final) continue;
        if (event.type === 'delta') {
          stream.send('delta', { text: event.text });
        } else {
          stream.send('final', withSources(event.answer));
          final = true;
        }
      }
      if (!final && !stream.closed) {
        throw new PolicybotError(ErrorCode.Unknown, 'system', 'answer stream ended without a final answer');
      }
    } catch (error) {
      const coded = toCodedError(error);
      logFailure(log, coded, 'answer stream');
      stream.send('error', errorBody(coded, requestId));
    } finally {
      stream.close();
    }
  });
  router.all('/ask/stream', methodNotAllowed(['POST']));

  const summaryRoute = (fromPath: boolean): RequestHandler => {
    return async (req, res, next) => {
      const { requestId } = contextOf(res, logger);
      // `/summary/:target` (an issuer or a document, whichever it names), or `/summary?doc=…` / `?issuer=…`.
      const doc = fromPath ? undefined : stringParam(req.query.doc, 'doc');
      const issuerName = fromPath ? undefined : stringParam(req.query.issuer, 'issuer');
      if (!fromPath && doc === undefined && issuerName === undefined) {
        next();
        return;
      }
      const name = fromPath ? String(req.params.target ?? '').trim() : (doc ?? issuerName ?? '');
      const target =
        doc !== undefined ? ('document' as const) : issuerName !== undefined ? ('issuer' as const) : null;
      const all = name === '' || (target !== 'document' && name.toLowerCase() === 'all');
      const language = languageParam(req.query.language);
      const signal = whileClientWaits(res);
      res.json(
        await engine.summary(all ? null : name, {
          ...(language ? { language } : {}),
          requestId,
          signal,
          ...(target ? { target } : {}),
        }),
      );
    };
  };
  router.get('/summary', limited, summaryRoute(false));
  router.get('/summary/:target', limited, summaryRoute(true));

  router.get('/documents', (_req, res) => {
    res.json({
      documents: engine.documents().map((d) => ({
        id: d.id,
        title: d.meta.title,
        docNumber: d.meta.docNumber,
        date: d.meta.date,
        issuers: d.meta.issuers,
        region: d.meta.region?.name ?? null,
        chunkCount: d.chunkCount,
        sections: d.sections,
      })),
    });
  });

  router.get('/examples', (req, res) => {
    const language = languageParam(req.query.language) ?? 'zh';
    res.json({ language, examples: engine.exampleQuestions(language) });
  });

  router.post('/compare', limited, ...json, async (req, res) => {
    const { requestId } = contextOf(res, logger);
    res.json(
      await engine.compare({
        ...parseCompareRequest(req.body, limits),
        requestId,
        signal: whileClientWaits(res),
      }),
    );
  });
  router.all('/compare', methodNotAllowed(['POST']));

  router.get('/issuers', (_req, res) => {
    res.json({ issuers: engine.issuers() });
  });

  // Key figures: ?doc=&issuer=&year=&kind=&status=&query=&target=&limit=, JSON or ?format=csv.
  router.get('/figures', (req, res) => {
    const params: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.query))
      if (typeof value === 'string') params[name] = value;
    const format = params.format ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw new HttpInputError(400, 'The "format" query parameter must be "json" or "csv".');
    }
    const parsed = parseFigureQuery(params);
    if ('error' in parsed) throw new HttpInputError(400, `Bad figures query: ${parsed.error}.`);
    // `scope`: a document set or a conversation (slack:C…, wecom:<chatid>): the figures that channel sees.
    const scope = scopeParam(channels.scopes, params.scope);
    const documentScope = scope ? toDocumentScope(scope) : undefined;
    const figures = engine.figures({ ...parsed.query, ...(documentScope ? { scope: documentScope } : {}) });
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', 'attachment; filename="figures.csv"');
      res.send(figuresToCsv(figures));
      return;
    }
    res.json({ count: figures.length, figures });
  });

  registerChannelRoutes(router, {
    ...channels,
    engine,
    logger,
    configured: options.channels !== undefined,
    limited,
  });

  router.get('/passages/:id', (req, res) => {
    const id = String(req.params.id ?? '');
    const found = engine.passage(id);
    if (!found) throw new NotFoundError(`No passage with id "${id}".`);
    res.json(found);
  });

  router.use(notFound());
  router.use(errorSink(logger));
  return router;
}
