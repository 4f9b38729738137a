/**
 * A chat surface (web page, Slack, WeCom) mounted into the one HTTP server that `npm start` runs.
 * Front ends only verify, acknowledge, parse into a `Question` and render an `Answer`.
 */
export interface FrontEnd {
  /** e.g. "slack (http /slack/events)" — printed in one line by `npm start`. */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
