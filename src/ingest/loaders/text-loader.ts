import type { Loader, SourceDocument } from '../types.js';
import { decodeText, sha256Hex } from './decode.js';

/** Plain text (UTF-8, GB18030/GBK, UTF-16 with BOM): decoded as is; layout repair happens in the cleaner. */
export const textLoader: Loader = {
  extensions: ['.txt', '.text'],
  load({ id, path, bytes }): SourceDocument {
    return { id, path, format: 'txt', text: decodeText(bytes), contentHash: sha256Hex(bytes) };
  },
};
