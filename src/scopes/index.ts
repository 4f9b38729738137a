export {
  type ChannelScope,
  ChannelScopes,
  type DocumentSetListing,
  toDocumentScope,
} from './ChannelScopes.js';
export { type DocumentSetCriteria, describeCriteria, inDocumentSet } from './document-set.js';
export { ALL, parseScopes, readScopesFile, SCOPES_VARIABLE, type ScopesFile } from './scopes-file.js';
