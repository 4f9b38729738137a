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

/** A configured document set with the conversations mapped to it (for `GET /api/scopes` and the web page). */
export interface DocumentSetListing extends Omit<ChannelScope, 'source'> {
  /** Slack channel ids mapped to it. */
  slack: string[];
  /** WeCom group chat ids mapped to it. */
  wecom: string[];
  /** Direct messages (and unlisted channels) see it. */
  dm: boolean;
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

  /**
   * The document set a reference names: a set's name (`all` = the whole library), or a conversation,
   * `slack:<channel>` (a `D…` id is a DM) or `wecom:<chatid>`. Null when it names nothing configured.
   */
  resolve(ref: string): ChannelScope | null {
    const conversation = /^(slack|wecom):(.+)$/u.exec(ref.trim());
    if (conversation?.[1] === 'slack') {
      const channel = conversation[2] as string;
      return this.forSlack(channel, channel.startsWith('D'));
    }
    if (conversation?.[1] === 'wecom') return this.forWecom(conversation[2]);
    const set = this.listing().find((s) => s.set.name === ref.trim());
    return set ? this.scope(set.set, set.set === this.file.dm ? 'dm-default' : 'channel') : null;
  }

  /** Every document set in use or defined: the named sets, the inline ones, and the DM default; names unique. */
  list(): DocumentSetListing[] {
    return this.listing().map(({ set, slack, wecom }) => {
      const { source: _source, ...scope } = this.scope(set, 'channel');
      return { ...scope, slack, wecom, dm: set === this.file.dm };
    });
  }

  private listing(): { set: ConfiguredSet; slack: string[]; wecom: string[] }[] {
    const out = new Map<ConfiguredSet, { set: ConfiguredSet; slack: string[]; wecom: string[] }>();
    const entry = (set: ConfiguredSet) => {
      let e = out.get(set);
      if (!e) {
        e = { set, slack: [], wecom: [] };
        out.set(set, e);
      }
      return e;
    };
    entry(this.file.dm);
    for (const set of this.file.sets.values()) entry(set);
    for (const [id, set] of this.file.slack) entry(set).slack.push(id);
    for (const [id, set] of this.file.wecom) entry(set).wecom.push(id);
    // Two inline sets never share a name (`slack.C…`), but a whole-library entry may appear twice.
    const seen = new Set<string>();
    return [...out.values()].filter((e) => !seen.has(e.set.name) && seen.add(e.set.name));
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
