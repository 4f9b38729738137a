/** A heading found by a loader (e.g. a markdown `#` line), as offsets into `SourceDocument.text`. */
export interface SourceHeading {
  /** 1 for `#`, 2 for `##`, … */
  level: number;
  start: number;
  end: number;
}

/** One corpus file, decoded but not yet cleaned or structured. */
export interface SourceDocument {
  /** From the file name (relative path without extension), e.g. "miit-2022-work-plans". */
  id: string;
  path: string;
  format: 'txt' | 'md';
  /** Decoded text, BOM stripped, CRLF → LF (markdown: syntax stripped, headings kept as their own lines). */
  text: string;
  /** sha256 hex of the raw bytes. */
  contentHash: string;
  /**
   * Lines the source marked as headings (markdown `#`). Absent for plain text, where headings are
   * recognised from the layout alone.
   */
  headings?: SourceHeading[];
}

/** Turns the bytes of one file into a `SourceDocument`; one implementation per file format. */
export interface Loader {
  /** Lower-case extensions including the dot, e.g. [".txt"]. */
  readonly extensions: readonly string[];
  load(path: string, bytes: Uint8Array): SourceDocument | Promise<SourceDocument>;
}
