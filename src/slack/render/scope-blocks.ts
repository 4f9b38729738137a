import type { ChannelScope } from '../../scopes/index.js';
import { describeCriteria } from '../../scopes/index.js';
import type { DocumentInfo } from '../../types.js';
import { context, fallbackText, type SlackMessage, sections } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** Documents listed by `/policy scope` before "…and N more". */
const MAX_LISTED = 15;

/** `/policy scope`: the document set this conversation sees and its documents. */
export function renderScope(scope: ChannelScope, documents: readonly DocumentInfo[]): SlackMessage {
  const where =
    scope.source === 'channel'
      ? 'This channel'
      : scope.source === 'dm-default'
        ? 'Direct messages and channels without a set of their own'
        : 'This conversation';
  if (scope.docIds === null) {
    const text = `*${where} sees the whole library* (${documents.length} document${documents.length === 1 ? '' : 's'}).`;
    return { text: fallbackText(`${where} sees the whole library.`), blocks: sections(text) };
  }
  const ids = new Set(scope.docIds);
  const docs = documents.filter((d) => ids.has(d.id));
  const name = escapeMrkdwn(scope.label ?? scope.name);
  const head = `*${where} sees the document set ${name}* — ${docs.length} of ${documents.length} document${documents.length === 1 ? '' : 's'}`;
  const lines = docs.slice(0, MAX_LISTED).map((d) => {
    const extra = [d.meta.issuers[0]?.short, d.meta.docNumber, d.meta.date].filter(Boolean).join(' · ');
    return `• ${escapeMrkdwn(d.meta.title)}${extra ? ` (${escapeMrkdwn(extra)})` : ''}`;
  });
  if (docs.length > MAX_LISTED) lines.push(`…and ${docs.length - MAX_LISTED} more`);
  if (docs.length === 0) lines.push('_No document of the library is in this set yet._');
  const blocks = sections([head, ...lines].join('\n'));
  if (scope.criteria)
    blocks.push(context(`Selected by ${escapeMrkdwn(describeCriteria(scope.criteria, 'en'))}`));
  return { text: fallbackText(`${where} sees the document set ${scope.label ?? scope.name}.`), blocks };
}
