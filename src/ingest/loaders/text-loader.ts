import type { Loader, SourceDocument } from '../types.js';
import { decodeText, idFromPath, sha256Hex } from './decode.js';

/** Plain text: decoded as is; all layout repair happens in the cleaner. */
export const textLoader: Loader = {
  extensions: ['.txt'],
  load(path: string, bytes: Uint8Array): SourceDocument {
    return {
      id: idFromPath(path),
      path,
      format: 'txt',
      text: decodeText(bytes),
      contentHash: sha256Hex(bytes),
    };
  },
};
