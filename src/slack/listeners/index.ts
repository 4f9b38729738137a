import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { register as registerActions } from './actions/index.js';
import { register as registerCommands } from './commands/index.js';
import { register as registerEvents } from './events/index.js';
import { register as registerMessages } from './messages/index.js';

/** Registers every listener on the Bolt app. */
export function registerListeners(app: App, deps: SlackDeps): void {
  registerEvents(app, deps);
  registerMessages(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
}
