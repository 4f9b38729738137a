import type { DigestPlatform, SubscriptionStore } from './subscriptions.js';

export type SubscriptionResult =
  | { kind: 'subscribed'; filter: string | null; isNew: boolean }
  | { kind: 'unsubscribed'; filter: string | null; removed: number };

/** Runs `subscribe [filter]` / `unsubscribe [filter]` for one conversation; front ends word the reply. */
export async function applySubscriptionCommand(
  store: SubscriptionStore,
  platform: DigestPlatform,
  conversation: string,
  command: { kind: 'subscribe' | 'unsubscribe'; filter: string | null },
): Promise<SubscriptionResult> {
  const filter = command.filter?.trim() || null;
  if (command.kind === 'subscribe') {
    return { kind: 'subscribed', filter, isNew: await store.add({ platform, conversation, filter }) };
  }
  return { kind: 'unsubscribed', filter, removed: await store.remove(platform, conversation, filter) };
}
