import { CorpusError, ErrorCode } from '../errors/index.js';
import type { LoadFailureReason } from './types.js';

/**
 * A file a loader cannot read, with the reason people see in `policybot index`, `doctor` and `/healthz`
 * ("password-protected PDF", "corrupt OFD: no OFD.xml", "scanned PDF with no text layer: needs OCR").
 * It never stops the other documents from indexing.
 */
export class LoadError extends CorpusError {
  readonly reason: LoadFailureReason;
  constructor(reason: LoadFailureReason, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CorpusUnreadable, message, options);
    this.reason = reason;
  }
}
