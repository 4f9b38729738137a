import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LoadError } from './load-error.js';
import type { StatedMetadata } from './types.js';

/**
 * Optional sidecar next to a document, `<file name>.meta.json` (e.g. `notice.pdf.meta.json`), for metadata
 * the document does not state or states wrongly. Its fields win over everything detected:
 *
 *   { "title": "…", "issuers": ["国务院办公厅"], "docNumber": "国办发〔2019〕3号", "date": "2019-01-09",
 *     "publishedDate": "2019-01-10", "region": "全国", "kind": "通知", "source": "https://…", "tags": ["教育"] }
 *
 * Every field is optional; `issuer` (one string) is accepted for `issuers`.
 */
export const SIDECAR_SUFFIX = '.meta.json';

const text = z.string().trim().min(1);
const sidecarSchema = z
  .object({
    title: text,
    issuers: z.array(text).min(1),
    issuer: text,
    docNumber: text,
    date: text,
    publishedDate: text,
    region: text,
    kind: text,
    source: text,
    tags: z.array(text),
  })
  .partial()
  .strict();

/**
 * The sidecar's metadata for the document at `path`, or null when there is none.
 * @throws LoadError('corrupt') when the sidecar exists but is not valid JSON of the documented shape.
 */
export async function readSidecar(path: string): Promise<StatedMetadata | null> {
  const file = `${path}${SIDECAR_SUFFIX}`;
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: z.infer<typeof sidecarSchema>;
  try {
    parsed = sidecarSchema.parse(JSON.parse(raw));
  } catch (error) {
    const detail = error instanceof z.ZodError ? error.issues[0]?.message : 'not JSON';
    throw new LoadError('corrupt', `sidecar ${file.split('/').pop()} is invalid: ${detail}`, {
      cause: error,
    });
  }
  const { issuer, ...rest } = parsed;
  const out: StatedMetadata = { ...rest };
  if (issuer && !out.issuers) out.issuers = [issuer];
  return out;
}
