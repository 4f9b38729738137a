/**
 * The channel scopes file (`POLICYBOT_SCOPES_FILE`, JSON): named document sets, which Slack channels and WeCom
 * group chats see which set, and what direct messages see. Read and validated once at start-up; every mistake
 * fails with the file, the place in it and what is wrong.
 *
 * ```json
 * {
 *   "sets": { "energy": { "folders": ["energy"], "label": "能源监管" } },
 *   "slack": { "C0123ENERGY": "energy", "C0456ZJ": { "regions": ["浙江"] } },
 *   "wecom": { "wrkSdfaAAA": "energy" },
 *   "dm": "all"
 * }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors/index.js';
import { type CompiledCriteria, type DocumentSetCriteria, regionNamed } from './document-set.js';

export const SCOPES_VARIABLE = 'POLICYBOT_SCOPES_FILE';
/** The reserved set name for the whole library. */
export const ALL = 'all';

const SLACK_CHANNEL = /^[CG][A-Z0-9]+$/u;
const names = z.array(z.string().trim().min(1)).min(1);
const criteriaSchema = z.strictObject({
  label: z.string().trim().min(1).optional(),
  folders: names.optional(),
  issuers: names.optional(),
  regions: names.optional(),
  tags: names.optional(),
});
const setRef = z.union([z.string().trim().min(1), criteriaSchema]);
const fileSchema = z.strictObject({
  sets: z.record(z.string().trim().min(1), criteriaSchema).default({}),
  slack: z.record(z.string(), setRef).default({}),
  wecom: z.record(z.string().trim().min(1), setRef).default({}),
  dm: setRef.default(ALL),
  /** WeCom group chats' group robot webhooks (a credential), where their new-document digests go. */
  webhooks: z.record(z.string().trim().min(1), z.url({ protocol: /^https?$/ })).default({}),
});

/** A named document set as configured: null criteria = the whole library. */
export interface ConfiguredSet {
  name: string;
  label: string | null;
  compiled: CompiledCriteria | null;
}

export interface ScopesFile {
  sets: Map<string, ConfiguredSet>;
  slack: Map<string, ConfiguredSet>;
  wecom: Map<string, ConfiguredSet>;
  dm: ConfiguredSet;
  /** WeCom chat id → group robot webhook URL. */
  webhooks: Map<string, string>;
}

const WHOLE_LIBRARY: ConfiguredSet = { name: ALL, label: null, compiled: null };

/** Validates parsed JSON; `file` names the file in errors. */
export function parseScopes(json: unknown, file: string): ScopesFile {
  const fail = (where: string, message: string): never => {
    throw new ConfigError(SCOPES_VARIABLE, `${file}: ${where ? `${where}: ` : ''}${message}`);
  };
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(issue?.path.map(String).join('.') ?? '', issue?.message ?? 'invalid');
  }
  const data = parsed.data as z.infer<typeof fileSchema>;
  const compile = (where: string, criteria: z.infer<typeof criteriaSchema>): CompiledCriteria => {
    const { label: _label, ...fields } = criteria;
    if (Object.keys(fields).length === 0)
      fail(where, 'a set needs at least one of folders, issuers, regions, tags');
    const regions = (fields.regions ?? []).map(
      (name) =>
        regionNamed(name) ??
        fail(`${where}.regions`, `"${name}" is not a region name (浙江, 浙江省, 台州市, 全国…)`),
    );
    return { criteria: fields as DocumentSetCriteria, regions };
  };
  const sets = new Map<string, ConfiguredSet>();
  for (const [name, criteria] of Object.entries(data.sets)) {
    if (name === ALL) fail(`sets.${name}`, `"${ALL}" is reserved for the whole library`);
    sets.set(name, { name, label: criteria.label ?? null, compiled: compile(`sets.${name}`, criteria) });
  }
  const resolve = (where: string, ref: z.infer<typeof setRef>): ConfiguredSet => {
    if (typeof ref === 'string') {
      if (ref === ALL) return WHOLE_LIBRARY;
      const set = sets.get(ref);
      if (!set) fail(where, `unknown set "${ref}" (sets: ${[ALL, ...sets.keys()].join(', ')})`);
      return set as ConfiguredSet;
    }
    return { name: where, label: ref.label ?? null, compiled: compile(where, ref) };
  };
  for (const id of Object.keys(data.slack)) {
    if (!SLACK_CHANNEL.test(id)) fail(`slack.${id}`, 'must be a Slack channel id (C…, G…; DMs use "dm")');
  }
  const channels = (platform: 'slack' | 'wecom') =>
    new Map(Object.entries(data[platform]).map(([id, ref]) => [id, resolve(`${platform}.${id}`, ref)]));
  return {
    sets,
    slack: channels('slack'),
    wecom: channels('wecom'),
    dm: resolve('dm', data.dm),
    webhooks: new Map(Object.entries(data.webhooks)),
  };
}

/** Reads and validates the scopes file (see the module comment). */
export async function readScopesFile(file: string): Promise<ScopesFile> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(SCOPES_VARIABLE, `${file}: cannot be read (${code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(SCOPES_VARIABLE, `${file}: is not valid JSON (${(error as Error).message})`);
  }
  return parseScopes(json, file);
}

/** No file: every channel and DM sees the whole library. */
export function unscopedFile(): ScopesFile {
  return { sets: new Map(), slack: new Map(), wecom: new Map(), dm: WHOLE_LIBRARY, webhooks: new Map() };
}
