import type { Logger } from '../logging/logger.js';
import type { DocumentInfo, DocumentScope, IssuerInfo } from '../types.js';
import { type DocumentSetCriteria, documentsInSet } from './document-set.js';
import { ALL, type ConfiguredSet, type ScopesFile, unscopedFile } from './scopes-file.js';

/** The document set a conversation sees; `docIds` null = the whole library. */
export interface ChannelScope {
  /** The set's name ("energy", "all", or `slack.C0123` for a set written inline). */
  name: string;
  label: string | null;
  criteria: DocumentSetCriteria | null;
  /** null for the whole library. */
  docIds: readonly string[] | null;
  /** Where it came from: a channel's own entry, or the direct-message default. */
  source: 'channel' | 'dm-default' | 'default';
}

/**
 * The scopes file resolved against the library's documents: which documents each Slack channel, WeCom group
 * chat and direct message sees. Front ends look a conversation up here and hand the result to the engine in
 * the `Question` (see `toDocumentScope`); the engine only ever sees a list of document ids.
 */
export class ChannelScopes {
  private readonly resolved = new Map<ConfiguredSet, readonly string[] | null>();

  constructor(
    private readonly file: ScopesFile,
    documents: readonly DocumentInfo[],
    logger?: Logger,
  ) {
    const all = [...file.sets.values(), ...file.slack.values(), ...file.wecom.values(), file.dm];
    for (const set of all) {
      if (this.resolved.has(set)) continue;
      const ids = set.compiled ? documentsInSet(set.compiled, documents) : null;
      this.resolved.set(set, ids);
      // Not fatal: the corpus may gain the documents later; but an admin should hear of it.
      if (ids && ids.length === 0)
        logger?.warn({ set: set.name }, 'document set matches no document of the library');
    }
  }

  /** Every conversation sees the whole library. */
  static unscoped(): ChannelScopes {
    return new ChannelScopes(unscopedFile(), []);
  }

  /** True when some channel or the DM default is narrowed (the scopes file does something). */
  get active(): boolean {
    return [...this.resolved.values()].some((ids) => ids !== null);
  }

  /** A Slack conversation: its channel's set, or the DM default for direct messages and unlisted channels. */
  forSlack(channel: string, isDirectMessage: boolean): ChannelScope {
    const own = isDirectMessage ? undefined : this.file.slack.get(channel);
    return own ? this.scope(own, 'channel') : this.dmDefault();
  }

  /** A WeCom conversation: a group chat's set by its chat id, or the DM default (single chats, app messages). */
  forWecom(chatId: string | null | undefined): ChannelScope {
    const own = chatId ? this.file.wecom.get(chatId) : undefined;
    return own ? this.scope(own, 'channel') : this.dmDefault();
  }

  /** The issuers a scope can be asked about (all of them for the whole library). */
  issuersIn(scope: ChannelScope, issuers: readonly IssuerInfo[]): IssuerInfo[] {
    const { docIds } = scope;
    return docIds === null ? [...issuers] : issuers.filter((i) => docIds.includes(i.docId));
  }

  /** The group robot webhook a WeCom group chat's digests go to (POLICYBOT_SCOPES_FILE `webhooks`). */
  wecomWebhook(chatId: string): string | null {
    return this.file.webhooks.get(chatId) ?? null;
  }

  private dmDefault(): ChannelScope {
    return this.scope(this.file.dm, this.file.dm.name === ALL ? 'default' : 'dm-default');
  }

  private scope(set: ConfiguredSet, source: ChannelScope['source']): ChannelScope {
    return {
      name: set.name,
      label: set.label,
      criteria: set.compiled?.criteria ?? null,
      docIds: this.resolved.get(set) ?? null,
      source,
    };
  }
}

/** What the engine is told: only set when the conversation is narrowed. */
export function toDocumentScope(scope: ChannelScope): DocumentScope | undefined {
  return scope.docIds === null ? undefined : { name: scope.name, docIds: scope.docIds };
}
