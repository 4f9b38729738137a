import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { channelMessage } from './channel-message.js';
import { directMessage } from './direct-message.js';

/** `message` listeners (bot messages, edits and deletions were already dropped by global middleware). */
export function register(app: App, deps: SlackDeps): void {
  app.message(directMessage(deps));
  app.message(channelMessage(deps));
}
