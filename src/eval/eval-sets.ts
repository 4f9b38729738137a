/**
 * Evaluation sets on disk: question files in the seed format (`{id, q, dept, evidence, lang}`), the dev
 * format (`{q, lang, kind, doc, evidence}`) and list questions (`{q, lang, kind: 'list', scope, doc,
 * section, items}`), and the suite folders that tie a corpus to its question files (`eval/<suite>/suite.json`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { documentIds } from '../ingest/index.js';
import type { Language } from '../types.js';

/** A question with one expected evidence string; `evidence: null` means the documents do not answer it. */
export interface EvalQuestion {
  id: string;
  q: string;
  lang: Language;
  /** direct, numeric, paraphrase, cross-doc, negative… Seed questions have none: direct or negative. */
  kind: string;
  /** File names (relative to the corpus folder) of the document(s) holding the answer; may be empty. */
  docs: string[];
  evidence: string | null;
}

export interface EvalListItem {
  item: string;
  evidence: string;
}

/** A question whose answer is a set of items spread over a section or several clauses. */
export interface EvalListQuestion {
  id: string;
  q: string;
  lang: Language;
  scope: string;
  docs: string[];
  section: string | null;
  items: EvalListItem[];
}

export interface EvalSet {
  questions: EvalQuestion[];
  lists: EvalListQuestion[];
}

const lang = z.enum(['zh', 'en']);
const docField = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .nullable()
  .optional();
const qaLine = z.object({
  id: z.string().optional(),
  q: z.string().min(1),
  lang,
  kind: z.string().min(1).optional(),
  doc: docField,
  evidence: z.string().min(1).nullable(),
});
const listLine = z.object({
  id: z.string().optional(),
  q: z.string().min(1),
  lang,
  kind: z.literal('list'),
  scope: z.string().min(1),
  doc: docField,
  section: z.string().nullable().optional(),
  items: z.array(z.object({ item: z.string(), evidence: z.string().min(1) })).min(1),
});

const docsOf = (doc: string | string[] | null | undefined): string[] =>
  doc == null ? [] : Array.isArray(doc) ? doc : [doc];

/**
 * Reads one JSONL file; each line is a question or a list question (told apart by `kind: 'list'` or
 * `items`). Lines without an id get `<file stem>:<line>`.
 * @throws UsageError naming the file and line of anything unreadable.
 */
export async function readEvalFile(file: string): Promise<EvalSet> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const stem = basename(file, extname(file));
  const set: EvalSet = { questions: [], lists: [] };
  for (const [i, line] of raw.split('\n').entries()) {
    if (!line.trim()) continue;
    const where = `${file}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UsageError(`${where}: not JSON`);
    }
    const isList = typeof json === 'object' && json !== null && ('items' in json || 'scope' in json);
    const id = (given: string | undefined) => given ?? `${stem}:${i + 1}`;
    if (isList) {
      const parsed = listLine.safeParse(json);
      if (!parsed.success) throw new UsageError(`${where}: not a list question (${issue(parsed.error)})`);
      const { q, lang, scope, doc, section, items } = parsed.data;
      set.lists.push({
        id: id(parsed.data.id),
        q,
        lang,
        scope,
        docs: docsOf(doc),
        section: section ?? null,
        items,
      });
    } else {
      const parsed = qaLine.safeParse(json);
      if (!parsed.success) throw new UsageError(`${where}: not a question (${issue(parsed.error)})`);
      const { q, lang, doc, evidence } = parsed.data;
      const kind = parsed.data.kind ?? (evidence === null ? 'negative' : 'direct');
      set.questions.push({ id: id(parsed.data.id), q, lang, kind, docs: docsOf(doc), evidence });
    }
  }
  return set;
}

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'line'}: ${first.message}` : 'invalid';
}

/** `eval/<suite>/suite.json`: paths are relative to the suite folder. */
const suiteSchema = z.object({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, dot, dash, underscore')
    .optional(),
  description: z.string().optional(),
  corpus: z.string().min(1),
  qa: z.string().min(1).optional(),
  lists: z.string().min(1).optional(),
});

export const SUITE_FILE = 'suite.json';

export interface Suite {
  name: string;
  description: string | null;
  corpusDir: string;
  /** Question files (questions and list questions), absolute. */
  files: string[];
}

/** Reads `<dir>/suite.json`. */
export async function readSuite(dir: string): Promise<Suite> {
  const file = join(dir, SUITE_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UsageError(`cannot read ${file} (a suite folder needs one)`);
  }
  const parsed = suiteSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`${file}: ${issue(parsed.error)}`);
  const s = parsed.data;
  const files = [s.qa, s.lists].filter((f): f is string => f !== undefined).map((f) => resolve(dir, f));
  if (files.length === 0) throw new UsageError(`${file}: names no question file (qa or lists)`);
  return {
    name: s.name ?? basename(resolve(dir)),
    description: s.description ?? null,
    corpusDir: resolve(dir, s.corpus),
    files,
  };
}

/** Every folder under `root` holding a suite.json, sorted by name. */
export async function discoverSuites(root: string): Promise<Suite[]> {
  let entries: string[];
  try {
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    throw new UsageError(`cannot read the suites folder ${root}`);
  }
  const suites: Suite[] = [];
  for (const name of entries.sort()) {
    const dir = join(root, name);
    const has = await readdir(dir).then((names) => names.includes(SUITE_FILE));
    if (has) suites.push(await readSuite(dir));
  }
  if (suites.length === 0) throw new UsageError(`no ${SUITE_FILE} in any folder of ${root}`);
  return suites;
}

/** Files of a corpus folder (relative, `/`-separated), hidden ones left out, and their document ids. */
export async function corpusFiles(corpusDir: string): Promise<Map<string, string>> {
  let entries: string[];
  try {
    entries = await readdir(corpusDir, { recursive: true, withFileTypes: true }).then((list) =>
      list
        .filter((e) => e.isFile())
        .map((e) => relative(corpusDir, join(e.parentPath, e.name)).split(sep).join('/'))
        .filter((p) => !p.split('/').some((part) => part.startsWith('.'))),
    );
  } catch {
    throw new UsageError(`cannot read the corpus folder ${corpusDir}`);
  }
  return documentIds(entries.sort());
}

/** The document id a question's `doc` file name means (as the corpus reader derives ids). */
export function docIdOf(file: string, ids: ReadonlyMap<string, string>): string {
  return ids.get(file) ?? file.slice(0, file.length - extname(file).length);
}

/** Shown in reports: a path relative to the working directory. */
export const displayPath = (p: string): string => relative(process.cwd(), p) || '.';
