import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { policyCommand } from './policy-command.js';

/** Slash commands: one, named by SLACK_SLASH_COMMAND (default /policy). */
export function register(app: App, deps: SlackDeps): void {
  app.command(deps.config.slashCommand, policyCommand(deps));
}
