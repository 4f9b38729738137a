/** List answers: the items of the section or clauses that answer a list question, each cited. */
export { type BlockKind, blocksAround, type ItemSpan, type ListBlock } from './blocks.js';
export {
  composeList,
  type ListGroup,
  type ListLine,
  type ListOptions,
  type ListResult,
  renderList,
} from './compose-list.js';
export { createDocumentLookup, type DocumentLookup } from './document-lookup.js';
export { withLead } from './lead.js';
