import { z } from 'zod';
import { ConfigError } from '../errors/index.js';
import { EXPANSION_KINDS, type ExpansionKind, parseExpansionKinds } from '../keyword/expansion-kinds.js';

/** Keyword query expansions on by default: those measured to help (docs/design.md, "Questions in other words"). */
const DEFAULT_QUERY_EXPANSION = 'senses';

/**
 * The one place settings are read. Precedence: explicit overrides > environment (read once, trimmed) > defaults.
 * Every front end and command receives the resulting `Config`; nothing else reads `process.env`.
 */

const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']))
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const url = z.url({ protocol: /^https?$/ });

/** Environment variable → schema. Optional variables are absent from the parsed object when unset. */
const ENV_SCHEMA = {
  POLICYBOT_CORPUS_DIR: z.string().default('corpus'),
  POLICYBOT_INDEX_DIR: z.string().default('embeddings'),
  /** How often `serve` looks for a newly published index snapshot (0: never, load at start only). */
  POLICYBOT_INDEX_POLL_MS: int(0, 86_400_000).default(5000),
  POLICYBOT_EMBEDDING_MODEL: z.string().default('Xenova/bge-small-zh-v1.5'),
  POLICYBOT_MODELS_DIR: z.string().optional(),
  POLICYBOT_ALLOW_REMOTE_MODELS: bool.default(true),
  POLICYBOT_REQUIRE_MODEL: bool.default(false),
  POLICYBOT_CHUNK_SIZE: int(50, 4000).default(300),
  POLICYBOT_CHUNK_OVERLAP: int(0, 2000).default(60),
  POLICYBOT_HNSW_EF: int(10, 2000).default(200),
  /** An int8 copy of vectors kept on disk, for exact filtered search without reading them (392 MB at 1M × 384). */
  POLICYBOT_VECTOR_INT8_COPY: bool.default(true),
  POLICYBOT_FUSION: z.enum(['convex', 'rrf']).default('convex'),
  POLICYBOT_KEYWORD_WEIGHT: z.coerce.number().min(0).max(1).default(0.5),
  POLICYBOT_QUERY_EXPANSION: z
    .string()
    .refine(
      (v) =>
        v.split(/[\s,]+/).every((n) => n === '' || n === 'none' || (EXPANSION_KINDS as string[]).includes(n)),
      {
        message: `a comma-separated list of ${EXPANSION_KINDS.join(', ')}, or none`,
      },
    )
    .default(DEFAULT_QUERY_EXPANSION),
  POLICYBOT_ANSWER_MAX_CHARS: int(50, 5000).default(300),
  POLICYBOT_OCR: bool.default(true),
  POLICYBOT_OCR_WORKERS: int(1, 64).optional(),
  /** Which documents each Slack channel, WeCom group chat and DM sees (JSON; see src/scopes/scopes-file.ts). */
  POLICYBOT_SCOPES_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: int(100, 600_000).default(20_000),
  POLICYBOT_LLM_BUDGET_MS: int(100, 600_000).default(30_000),
  POLICYBOT_LLM_RETRIEVAL: bool.default(false),
  POLICYBOT_LLM_MAX_RETRIES: int(0, 10).default(3),

  PORT: int(0, 65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(30),
  POLICYBOT_MAX_QUESTION_CHARS: int(10, 100_000).default(2000),
  POLICYBOT_TRUST_PROXY: z.string().optional(),
  /** Where users reach the web page (links in WeCom digests: "ask about it" opens the page with the question). */
  POLICYBOT_PUBLIC_URL: url.optional(),

  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: url.optional(),
  SLACK_CHANNEL_ALLOWLIST: list.optional(),
  SLACK_RATE_LIMIT_PER_MINUTE: int(1, 10_000).default(10),
  SLACK_SLASH_COMMAND: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/, 'must look like /policy')
    .default('/policy'),
  SLACK_THREAD_FOLLOWUPS: bool.default(true),

  WECOM_CORP_ID: z.string().optional(),
  WECOM_AGENT_ID: z.string().regex(/^\d+$/, 'must be the numeric AgentId').optional(),
  WECOM_SECRET: z.string().optional(),
  WECOM_TOKEN: z.string().optional(),
  WECOM_ENCODING_AES_KEY: z.string().length(43, 'must be the 43-character EncodingAESKey').optional(),
  WECOM_API_BASE: url.default('https://qyapi.weixin.qq.com'),
  WECOM_AIBOT_TOKEN: z.string().optional(),
  WECOM_AIBOT_ENCODING_AES_KEY: z.string().length(43, 'must be the 43-character EncodingAESKey').optional(),
  WECOM_MAX_SKEW_SECONDS: int(0, 86_400).default(300),

  // Several replicas and an unreliable LLM: shared state, circuit breaker (the request budget is
  // POLICYBOT_LLM_BUDGET_MS above).
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_TIMEOUT_MS: int(10, 60_000).default(500),
  REDIS_KEY_PREFIX: z.string().default('policybot:'),
  POLICYBOT_LLM_BREAKER_FAILURES: int(0, 1000).default(3),
  POLICYBOT_LLM_BREAKER_COOLDOWN_MS: int(1000, 3_600_000).default(30_000),
} as const;

export type EnvName = keyof typeof ENV_SCHEMA;
const envSchema = z.object(ENV_SCHEMA);
type Env = z.infer<typeof envSchema>;

export interface Config {
  corpusDir: string;
  indexDir: string;
  /** Milliseconds between `serve`'s looks at the index snapshot pointer; 0 turns hot reloading off. */
  indexPollMs: number;
  logLevel: Env['LOG_LEVEL'];
  embedding: {
    model: string;
    modelsDir: string;
    allowRemote: boolean;
    /** When true a missing model is fatal instead of falling back to keyword-only retrieval. */
    required: boolean;
  };
  chunking: { size: number; overlap: number };
  /** The channel scopes file, read and validated at start-up (src/scopes); null: every conversation sees all. */
  scopesFile: string | null;
  retrieval: {
    hnswEf: number;
    /** Build the int8 copy of on-disk vectors after loading (src/vector-store/int8-rows.ts). */
    int8Copy: boolean;
    fusion: 'convex' | 'rrf';
    keywordWeight: number;
    /** Keyword query expansions (keyword/expand.ts): any of senses, split, feedback; "none" for none. */
    expansion: ReadonlySet<ExpansionKind>;
  };
  answer: { maxChars: number };
  /** OCR of scanned PDF/OFD pages and images while indexing. */
  ocr: {
    /** Off: scans are listed as "needs OCR" instead of read. */
    enabled: boolean;
    /** Tesseract workers; undefined = one per core. */
    workers: number | undefined;
    /** Recognised pages cached by file content hash (`<indexDir>/cache`), so re-indexing does no OCR again. */
    cacheDir: string;
  };
  llm: {
    apiKey: string;
    baseURL: string | undefined;
    model: string;
    /** One attempt (one HTTP call) at most this long. */
    timeoutMs: number;
    /** One user request at most this long in LLM calls: rewrite, answer and retries together. */
    budgetMs: number;
    /** Also retrieve for the model's rewrites of the question (retriever/llm-retrieval.ts), fused; default off. */
    retrieval?: boolean;
    maxRetries: number;
    /** Consecutive failed calls that open the circuit (0: never), and how long it stays open. */
    breaker: { failures: number; cooldownMs: number };
  } | null;
  server: {
    port: number;
    host: string;
    rateLimitPerMinute: number;
    maxQuestionChars: number;
    /** Express `trust proxy` value (hop count, or addresses/subnets), so rate limits see the client's IP. */
    trustProxy: number | string | false;
    /** The web page's public address, without a trailing slash (POLICYBOT_PUBLIC_URL); null when not set. */
    publicUrl: string | null;
  };
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
    channelAllowlist: string[] | undefined;
    rateLimitPerMinute: number;
    slashCommand: string;
    threadFollowups: boolean;
  } | null;
  wecom: {
    app: {
      corpId: string;
      agentId: number;
      secret: string;
      token: string;
      encodingAesKey: string;
    } | null;
    aibot: { token: string; encodingAesKey: string } | null;
    apiBase: string;
    maxSkewSeconds: number;
  };
  /** Shared state for several replicas; null keeps it in this process. */
  redis: { url: string; commandTimeoutMs: number; connectTimeoutMs: number; keyPrefix: string } | null;
}

export type EnvSource = Record<string, string | undefined>;

function readEnv(env: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(ENV_SCHEMA)) {
    const value = env[name]?.trim();
    if (value) out[name] = value;
  }
  return out;
}

/** All-or-nothing groups: setting some but not all of them is a mistake worth failing on. */
function requireGroup(env: Env, group: string, names: EnvName[]): boolean {
  const set = names.filter((n) => env[n] !== undefined);
  if (set.length === 0) return false;
  const missing = names.find((n) => env[n] === undefined);
  if (missing) {
    throw new ConfigError(missing, `is required when ${set.join(', ')} is set (${group})`);
  }
  return true;
}

/**
 * Validates settings; throws `ConfigError` naming the first bad variable.
 * @param env usually `process.env` (after dotenv); only the variables this module knows are read.
 * @param overrides explicit values that win over the environment (e.g. CLI flags).
 */
export function loadConfig(
  env: EnvSource = process.env,
  overrides: Partial<Record<EnvName, string>> = {},
): Config {
  const parsed = envSchema.safeParse({ ...readEnv(env), ...readEnv(overrides) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(variable, issue?.message ?? 'invalid');
  }
  const e = parsed.data;

  const slackOn = requireGroup(e, 'Slack', ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  const wecomAppOn = requireGroup(e, 'WeCom app', [
    'WECOM_CORP_ID',
    'WECOM_AGENT_ID',
    'WECOM_SECRET',
    'WECOM_TOKEN',
    'WECOM_ENCODING_AES_KEY',
  ]);
  const aibotOn = requireGroup(e, 'WeCom AI bot', ['WECOM_AIBOT_TOKEN', 'WECOM_AIBOT_ENCODING_AES_KEY']);
  if (e.OPENAI_BASE_URL && !e.OPENAI_API_KEY) {
    throw new ConfigError(
      'OPENAI_API_KEY',
      'is required when OPENAI_BASE_URL is set (use any non-empty value for servers without auth)',
    );
  }
  if (e.POLICYBOT_CHUNK_OVERLAP >= e.POLICYBOT_CHUNK_SIZE) {
    throw new ConfigError('POLICYBOT_CHUNK_OVERLAP', 'must be smaller than POLICYBOT_CHUNK_SIZE');
  }

  return {
    corpusDir: e.POLICYBOT_CORPUS_DIR,
    indexDir: e.POLICYBOT_INDEX_DIR,
    indexPollMs: e.POLICYBOT_INDEX_POLL_MS,
    logLevel: e.LOG_LEVEL,
    embedding: {
      model: e.POLICYBOT_EMBEDDING_MODEL,
      modelsDir: e.POLICYBOT_MODELS_DIR ?? `${e.POLICYBOT_INDEX_DIR}/models`,
      allowRemote: e.POLICYBOT_ALLOW_REMOTE_MODELS,
      required: e.POLICYBOT_REQUIRE_MODEL,
    },
    chunking: { size: e.POLICYBOT_CHUNK_SIZE, overlap: e.POLICYBOT_CHUNK_OVERLAP },
    scopesFile: e.POLICYBOT_SCOPES_FILE ?? null,
    retrieval: {
      hnswEf: e.POLICYBOT_HNSW_EF,
      int8Copy: e.POLICYBOT_VECTOR_INT8_COPY,
      fusion: e.POLICYBOT_FUSION,
      keywordWeight: e.POLICYBOT_KEYWORD_WEIGHT,
      expansion: parseExpansionKinds(e.POLICYBOT_QUERY_EXPANSION),
    },
    answer: { maxChars: e.POLICYBOT_ANSWER_MAX_CHARS },
    ocr: {
      enabled: e.POLICYBOT_OCR,
      workers: e.POLICYBOT_OCR_WORKERS,
      cacheDir: `${e.POLICYBOT_INDEX_DIR}/cache`,
    },
    llm: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseURL: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
          budgetMs: e.POLICYBOT_LLM_BUDGET_MS,
          retrieval: e.POLICYBOT_LLM_RETRIEVAL,
          maxRetries: e.POLICYBOT_LLM_MAX_RETRIES,
          breaker: {
            failures: e.POLICYBOT_LLM_BREAKER_FAILURES,
            cooldownMs: e.POLICYBOT_LLM_BREAKER_COOLDOWN_MS,
          },
        }
      : null,
    server: {
      port: e.PORT,
      host: e.HOST,
      rateLimitPerMinute: e.POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE,
      maxQuestionChars: e.POLICYBOT_MAX_QUESTION_CHARS,
      trustProxy: parseTrustProxy(e.POLICYBOT_TRUST_PROXY),
      publicUrl: e.POLICYBOT_PUBLIC_URL ? e.POLICYBOT_PUBLIC_URL.replace(/\/+$/u, '') : null,
    },
    slack: slackOn
      ? {
          botToken: e.SLACK_BOT_TOKEN as string,
          signingSecret: e.SLACK_SIGNING_SECRET as string,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          channelAllowlist: e.SLACK_CHANNEL_ALLOWLIST,
          rateLimitPerMinute: e.SLACK_RATE_LIMIT_PER_MINUTE,
          slashCommand: e.SLACK_SLASH_COMMAND,
          threadFollowups: e.SLACK_THREAD_FOLLOWUPS,
        }
      : null,
    wecom: {
      app: wecomAppOn
        ? {
            corpId: e.WECOM_CORP_ID as string,
            agentId: Number(e.WECOM_AGENT_ID),
            secret: e.WECOM_SECRET as string,
            token: e.WECOM_TOKEN as string,
            encodingAesKey: e.WECOM_ENCODING_AES_KEY as string,
          }
        : null,
      aibot: aibotOn
        ? { token: e.WECOM_AIBOT_TOKEN as string, encodingAesKey: e.WECOM_AIBOT_ENCODING_AES_KEY as string }
        : null,
      apiBase: e.WECOM_API_BASE.replace(/\/+$/, ''),
      maxSkewSeconds: e.WECOM_MAX_SKEW_SECONDS,
    },
    redis: e.REDIS_URL
      ? {
          url: e.REDIS_URL,
          commandTimeoutMs: e.REDIS_TIMEOUT_MS,
          connectTimeoutMs: Math.max(1000, e.REDIS_TIMEOUT_MS * 4),
          keyPrefix: e.REDIS_KEY_PREFIX,
        }
      : null,
  };
}

/** "1" (hops) → 1; "loopback" or "10.0.0.0/8,127.0.0.1" → as is; unset → false (trust nobody). */
function parseTrustProxy(value: string | undefined): number | string | false {
  if (!value) return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
