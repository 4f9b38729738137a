/** The fields of message and app_mention events the listeners read (Bolt's unions are wider than we need). */
export interface MessageFields {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  bot_id?: string;
}

/** Team id from the event envelope (needed for chat.startStream outside DMs). */
export function envelopeTeamId(body: unknown): string | undefined {
  const b = body as { team_id?: unknown };
  return typeof b.team_id === 'string' ? b.team_id : undefined;
}

export function mentionsUser(text: string | undefined, userId: string | undefined): boolean {
  return !!text && !!userId && text.includes(`<@${userId}`);
}
