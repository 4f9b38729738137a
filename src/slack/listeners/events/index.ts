import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { appMention } from './app-mention.js';

/** Events API listeners (other than `message`, which lives in ../messages). */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', appMention(deps));
}
