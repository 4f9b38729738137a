/** The HTTP server: chat page, JSON API, health, and the mount point for the Slack and WeCom front ends. */
export { type AskRequestBody, parseAskRequest } from './ask-request.js';
export {
  createHttpApp,
  DEFAULT_PUBLIC_DIR,
  finalizeHttpApp,
  type HttpAppOptions,
} from './create-http-app.js';
export type { FrontEnd } from './FrontEnd.js';
export { type HealthReport, healthReport } from './health.js';
export { type ErrorBody, errorSink, httpStatusOf, toCodedError } from './http-errors.js';
export { CONTENT_SECURITY_POLICY } from './security-headers.js';
export { type HttpServerHandle, type ListenOptions, startHttpServer } from './start-http-server.js';
