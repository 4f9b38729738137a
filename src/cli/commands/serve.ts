import { join } from 'node:path';
import type { Command } from 'commander';
import type express from 'express';
import { createSubscriptionStore } from '../../digest/subscriptions.js';
import { createReloadingEngine } from '../../engine/reloading-engine.js';
import { documentsIndexedSince } from '../../index/document-changes.js';
import { redactRedisUrl } from '../../internal/redis/redact-url.js';
import { createSharedState } from '../../internal/shared-state.js';
import { warmUpQueryAnalysis } from '../../keyword/index.js';
import { ChannelScopes, readScopesFile } from '../../scopes/index.js';
import type { FrontEnd } from '../../server/FrontEnd.js';
import { createCliContext, printLine, printWarnings } from '../context.js';
import { createProgressReporter } from '../progress.js';
import { digestDocuments, subscriptionsFile } from './digest.js';

/**
 * `npm start`: refresh the index if needed, then one HTTP server with the web chat, the JSON API, and the
 * Slack and WeCom endpoints when those are configured.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Start the web chat, API, and the Slack/WeCom front ends that are configured')
    .option('--port <port>', 'port (PORT)')
    .option('--host <host>', 'interface to bind (HOST)')
    .action(async (opts: { port?: string; host?: string }) => {
      const overrides: Record<string, string> = {};
      if (opts.port) overrides.PORT = opts.port;
      if (opts.host) overrides.HOST = opts.host;
      const { config, logger } = createCliContext(overrides, 'info');
      // Loaded here, not at the top: the other commands should not pay for Express and Bolt at start-up.
      const { createHttpApp, startHttpServer } = await import('../../server/index.js');
      const { createWecomFrontEnd } = await import('../../wecom/index.js');
      // Dedupe, rate limits, streams and caches: in this process, or shared with other replicas via Redis.
      // A mistake in the scopes file stops start-up before anything else is loaded.
      const scopesFile = config.scopesFile ? await readScopesFile(config.scopesFile) : null;
      const state = await createSharedState({ redis: config.redis, logger });
      const progress = createProgressReporter();
      // A newly published index snapshot is picked up without a restart (every POLICYBOT_INDEX_POLL_MS).
      const engine = await createReloadingEngine({
        config,
        logger,
        pollMs: config.indexPollMs,
        onProgress: progress.onProgress,
        ...(state.redis ? { summaryStore: state.cache } : {}),
      }).finally(() => progress.stop());
      printWarnings(engine.warnings);
      // A server pays the dictionary loads now rather than inside its first question's budget.
      warmUpQueryAnalysis();
      const scopes = scopesFile
        ? new ChannelScopes(scopesFile, engine.documents(), logger)
        : ChannelScopes.unscoped();

      const subscriptions = createSubscriptionStore(state.redis, subscriptionsFile(config));
      const frontEnds: FrontEnd[] = [];
      const app: express.Express = createHttpApp({
        config,
        engine,
        logger,
        frontEnds: () => ['web', ...frontEnds.map((f) => f.name)],
        sharedState: state,
        channels: {
          scopes,
          subscriptions,
          documentsSince: (since) => documentsIndexedSince(engine.index.manifest, since),
          slashCommand: config.slack?.slashCommand ?? '/policy',
          publicUrl: config.server.publicUrl,
        },
      });
      const skipped: string[] = [];
      if (config.slack) {
        const { createSlackFrontEnd } = await import('../../slack/index.js');
        frontEnds.push(
          await createSlackFrontEnd({
            config: config.slack,
            engine,
            logger,
            app,
            state,
            feedbackDir: join(config.indexDir, 'feedback'),
            scopes,
            subscriptions,
          }),
        );
      } else {
        skipped.push('Slack not configured (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable)');
      }
      const streams = state.redis
        ? new (await import('../../wecom/RedisAibotStreams.js')).RedisAibotStreams(state.redis)
        : undefined;
      const wecom = createWecomFrontEnd({
        config: config.wecom,
        engine,
        logger,
        app,
        dedupe: state.dedupe,
        scopes,
        subscriptions,
        ...(streams ? { streams } : {}),
      });
      if (wecom) frontEnds.push(wecom);
      else skipped.push('WeCom not configured (set WECOM_CORP_ID… or WECOM_AIBOT_TOKEN… to enable)');

      for (const frontEnd of frontEnds) await frontEnd.start();
      const server = await startHttpServer(
        app,
        { port: config.server.port, host: config.server.host },
        logger,
      );
      const status = engine.status();
      printLine(`policybot is ready: ${server.url}`);
      printLine(
        `  index: ${status.chunkCount} chunks from ${status.documentCount} document(s); retrieval: ${status.embedder.mode === 'dense' ? `hybrid (${status.embedder.model})` : 'KEYWORD-ONLY (no embedding model)'}; answers: ${status.llm.configured ? `LLM ${status.llm.model}` : 'extractive (no LLM configured)'}`,
      );
      printLine(
        `  index snapshot: ${status.snapshot?.current ?? 'single folder (older layout; `policybot index` turns it into a snapshot)'}${config.indexPollMs > 0 ? `; new snapshots are loaded as they are published (checked every ${config.indexPollMs} ms)` : '; POLICYBOT_INDEX_POLL_MS=0: loaded at start only'}`,
      );
      if (status.indexProblem) printLine(`  INDEX CANNOT ANSWER: ${status.indexProblem}`);
      printLine(`  front ends: web chat ${server.url}/${frontEnds.map((f) => `, ${f.name}`).join('')}`);
      for (const line of skipped) printLine(`  ${line}`);
      if (config.scopesFile)
        printLine(
          `  channel scopes: ${config.scopesFile}${scopes.active ? '' : ' (every set is the whole library)'}`,
        );
      for (const problem of status.corpusProblems) {
        printLine(`  corpus: could not read ${problem.path}: ${problem.message}`);
      }
      const shared = state.health();
      printLine(
        config.redis
          ? `  shared state: Redis ${redactRedisUrl(config.redis.url)}${shared.status === 'ok' ? '' : ` — UNREACHABLE (${shared.reason}); running on this process's memory until it answers`}`
          : '  shared state: this process only (set REDIS_URL to run several replicas)',
      );

      // This start-up's build added or changed documents: subscribers hear of them (once, whichever replica).
      const changes = engine.build?.changes;
      const changed = changes ? [...changes.added, ...changes.changed] : [];
      if (changes && changed.length > 0) {
        const hashes = new Map(engine.index.manifest.documents.map((d) => [d.id, d.contentHash]));
        const documents = changed.map((id) => ({
          id,
          contentHash: hashes.get(id) ?? '',
          changed: changes.changed.includes(id),
        }));
        printLine(`  digest: ${documents.length} new or changed document(s); notifying subscribers`);
        void digestDocuments({ config, engine, state, scopes, documents, logger, dryRun: false }).catch(
          (err: unknown) => logger.error({ err }, 'digest failed'),
        );
      }

      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        for (const frontEnd of frontEnds) await frontEnd.stop().catch(() => {});
        await server.close();
        await engine.close();
        await state.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
