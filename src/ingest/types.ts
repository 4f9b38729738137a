/**
 * The loader contract: one file's bytes → a `SourceDocument` (text in reading order, with what the format
 * itself says about blocks and metadata), or a `LoadFailure` naming why it cannot be read. Everything a
 * format does not say (titles, 文号, issuers, headings in plain text) is detected later from the text, the
 * same way for every format.
 */

/** Formats the corpus may hold. */
export type SourceFormat = 'txt' | 'md' | 'html' | 'pdf' | 'docx' | 'doc' | 'ofd' | 'image';

/**
 * What a loader knows about one block of `SourceDocument.text` (offsets into it). A block is one line of
 * the text: loaders that know paragraphs (HTML `<p>`, DOCX `w:p`, PDF lines already rejoined) emit one line
 * per paragraph; a plain-text file has no blocks and the cleaner decides from the layout alone.
 */
export interface SourceBlock {
  start: number;
  end: number;
  /**
   * - `paragraph`: a complete paragraph as the format marks it (never joined with its neighbours);
   * - `heading`: marked as a heading by the format (markdown `#`, DOCX Heading styles, HTML h1–h6), `level` 1…6;
   * - `table-row`: one table row, cells separated by " | ";
   * - `line`: a visual line whose paragraph the format does not know (OCR, scraped text): the cleaner may
   *   rejoin it with its neighbours.
   */
  kind: 'paragraph' | 'heading' | 'table-row' | 'line';
  level?: number;
  /** 1-based page for paged formats (PDF, OFD, OCR). */
  page?: number;
}

/**
 * Metadata the format states outright: a gov.cn metadata table (发文机关, 发文字号, 成文日期…), Markdown front
 * matter or a `> **发布机构**：…` block, DOCX core properties, OFD DocInfo, a sidecar file. Raw strings as
 * found; normalisation (dates to ISO, 文号 brackets) happens in `ingest/metadata`. Absent = not stated.
 */
export interface StatedMetadata {
  title?: string;
  /** 发文机关 / 发布机构; several for joint documents. */
  issuers?: string[];
  /** 发文字号 / 文号. */
  docNumber?: string;
  /** 成文日期 (the date the document was signed). */
  date?: string;
  /** 发布日期. */
  publishedDate?: string;
  /** 全国, a province or a city. */
  region?: string;
  /** 通知, 意见, 办法, 工作报告 … */
  kind?: string;
  /** Where the document came from (a URL in front matter). */
  source?: string;
  /** Free-form tags (sidecar `tags`), used by document sets. */
  tags?: string[];
}

/** Where each stated field came from; sidecar files win over the document itself. */
export type MetadataOrigin = 'page' | 'front-matter' | 'properties' | 'sidecar';

/** Recognition statistics of a document that went through OCR. */
export interface OcrStats {
  pages: number;
  /** Mean word confidence over OCR'd pages, 0..100. */
  meanConfidence: number;
  /** 1-based pages whose confidence is below the low-confidence threshold. */
  lowConfidencePages: number[];
  ms: number;
}

/** One corpus file, decoded but not yet cleaned or structured. */
export interface SourceDocument {
  /** Unique within the corpus: the relative path without extension, plus the extension when two files share a stem. */
  id: string;
  path: string;
  format: SourceFormat;
  /** Text in reading order, one block per line, LF line ends, no BOM. */
  text: string;
  /** sha256 hex of the raw bytes. */
  contentHash: string;
  /** Absent for plain text, where blocks are recognised from the layout alone. */
  blocks?: SourceBlock[];
  /** What the file states about itself (see `StatedMetadata`). */
  stated?: StatedMetadata;
  statedOrigin?: MetadataOrigin;
  /** Set when some or all pages were recognised by OCR. */
  ocr?: OcrStats;
  /** Pages (1-based) a paged format could not read (e.g. glyphs drawn as paths with OCR off). */
  unreadPages?: number[];
}

/** Why a file could not be read: shown by `policybot index`, counted by `doctor` and `/healthz`. */
export type LoadFailureReason =
  | 'unsupported-format'
  | 'needs-ocr'
  | 'password-protected'
  | 'corrupt'
  | 'binary'
  | 'empty'
  | 'unreadable';

export interface LoadFailure {
  path: string;
  reason: LoadFailureReason;
  /** One line for people, e.g. "scanned PDF with no text layer (3 pages): needs OCR". */
  message: string;
}

/** Turns the bytes of one file into a `SourceDocument`; one implementation per file format. */
export interface Loader {
  /** Lower-case extensions including the dot, e.g. [".txt"]. */
  readonly extensions: readonly string[];
  /**
   * @param id the document id the corpus reader assigned (unique in the corpus).
   * @throws LoadError (src/ingest/load-error.ts) for a file it cannot read, with the reason; any other error
   *         is reported as `unreadable`.
   */
  load(input: LoaderInput): Promise<SourceDocument> | SourceDocument;
}

export interface LoaderInput {
  id: string;
  path: string;
  bytes: Uint8Array;
  /** Settings a loader may need (OCR on/off, worker count, cache directory). */
  options: LoaderOptions;
}

export interface LoaderOptions {
  /** OCR for scanned pages and images; off → such files are `needs-ocr` failures. */
  ocr: boolean;
  /** Where OCR results are cached by content hash; null → no cache. */
  cacheDir: string | null;
  /** OCR workers (default: the number of cores). */
  workers?: number;
  /** Called after each OCR'd page, for the progress bar. */
  onPage?: (done: number, total: number) => void;
}
