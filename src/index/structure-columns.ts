import { endianness } from 'node:os';
import type { Paragraph, ParagraphKind, ParagraphNumbering, Section } from '../types.js';

/**
 * A document's paragraphs and sections as rows of 32-bit integers, for `documents.structure` (compact-store.ts).
 *
 * At a million chunks the paragraphs and sections were 194 of the 207 MB of `documents.json`, and decoding and
 * parsing them was the longest step of opening the index. As integers they are read with one `readFile` and
 * no parse; a document's `Paragraph` and `Section` objects are made from its rows when something first asks
 * for them, and what every chunk needs on load (its paragraph's part and kind, its section path) is read from
 * the rows directly (`StructureRows`).
 *
 * Strings are not stored: a section heading is the text between its heading offsets and a label (a section's or
 * a numbered paragraph's) is the first characters of its heading or paragraph, which is how structureDocument
 * makes them. A value for which that does not hold is kept in the document's `own` record (normally empty), so
 * the format never loses data.
 */

/**
 * index, kind, start, end, part, section (-1: none), page (-1: none), then the numbering: style (-1: none, -2: kept
 * whole in `own`), value, rank, label length (-2: own label).
 */
export const PARAGRAPH_FIELDS = 11;
/** index, part, rank, parent (-1: none), headingStart, headingEnd, start, end, label length (-1: null, -2: own). */
export const SECTION_FIELDS = 9;

const NONE = -1;
const OWN = -2;

/** The strings of one document that are not slices of its text, by paragraph or section position. */
export interface OwnStructureStrings {
  heading?: Record<string, string>;
  sectionLabel?: Record<string, string>;
  numberingLabel?: Record<string, string>;
  /** A numbering whose value or rank is no 32-bit integer, whole. */
  numbering?: Record<string, ParagraphNumbering>;
}

/** Codes for paragraph kinds and numbering styles, shared by every document of a file. */
export class StructureCodes {
  readonly kinds: ParagraphKind[];
  readonly styles: string[];
  private readonly kindCode: Map<ParagraphKind, number>;
  private readonly styleCode: Map<string, number>;

  constructor(kinds: ParagraphKind[] = [], styles: string[] = []) {
    this.kinds = kinds;
    this.styles = styles;
    this.kindCode = new Map(kinds.map((k, i) => [k, i]));
    this.styleCode = new Map(styles.map((s, i) => [s, i]));
  }

  kind(kind: ParagraphKind): number {
    return code(kind, this.kinds, this.kindCode);
  }

  style(style: string): number {
    return code(style, this.styles, this.styleCode);
  }
}

function code<T>(value: T, list: T[], codes: Map<T, number>): number {
  let c = codes.get(value);
  if (c === undefined) {
    c = list.length;
    list.push(value);
    codes.set(value, c);
  }
  return c;
}

/** One document's rows (paragraphs, then sections) and the strings that are not slices of its text. */
export function encodeStructure(
  text: string,
  paragraphs: readonly Paragraph[],
  sections: readonly Section[],
  codes: StructureCodes,
): { rows: Int32Array; own: OwnStructureStrings | null } {
  const rows = new Int32Array(paragraphs.length * PARAGRAPH_FIELDS + sections.length * SECTION_FIELDS);
  const own: Required<OwnStructureStrings> = {
    heading: {},
    sectionLabel: {},
    numberingLabel: {},
    numbering: {},
  };
  let at = 0;
  const put = (value: number) => {
    if (!isInt32(value)) {
      throw new Error(`document structure: ${value} is not a 32-bit integer`);
    }
    rows[at++] = value;
  };
  paragraphs.forEach((p, i) => {
    put(p.index);
    put(codes.kind(p.kind));
    put(p.start);
    put(p.end);
    put(p.part);
    put(p.section ?? NONE);
    put(p.page ?? NONE);
    const n = p.numbering;
    if (!n || !isInt32(n.value) || !isInt32(n.rank)) {
      if (n) own.numbering[i] = n;
      put(n ? OWN : NONE);
      put(0);
      put(0);
      put(0);
      return;
    }
    put(codes.style(n.style));
    put(n.value);
    put(n.rank);
    if (text.startsWith(n.label, p.start)) put(n.label.length);
    else {
      put(OWN);
      own.numberingLabel[i] = n.label;
    }
  });
  sections.forEach((s, i) => {
    put(s.index);
    put(s.part);
    put(s.rank);
    put(s.parent ?? NONE);
    put(s.headingStart);
    put(s.headingEnd);
    put(s.start);
    put(s.end);
    if (text.slice(s.headingStart, s.headingEnd) !== s.heading) own.heading[i] = s.heading;
    if (s.label === null) put(NONE);
    else if (s.heading.startsWith(s.label)) put(s.label.length);
    else {
      put(OWN);
      own.sectionLabel[i] = s.label;
    }
  });
  const kept = Object.fromEntries(Object.entries(own).filter(([, v]) => Object.keys(v).length > 0));
  return { rows, own: Object.keys(kept).length > 0 ? (kept as OwnStructureStrings) : null };
}

/**
 * A document's stored rows, read in place: what loading needs of every chunk without making the document's
 * paragraph and section objects, and those objects when they are asked for.
 */
export class StructureRows {
  private readonly sectionsAt: number;

  constructor(
    private readonly rows: Int32Array,
    private readonly paragraphCount: number,
    private readonly sectionCount: number,
    private readonly text: string,
    private readonly codes: StructureCodes,
    private readonly own: OwnStructureStrings,
  ) {
    this.sectionsAt = paragraphCount * PARAGRAPH_FIELDS;
    if (rows.length !== this.sectionsAt + sectionCount * SECTION_FIELDS) {
      throw new Error('documents.structure does not match documents.json');
    }
  }

  get paragraphs(): number {
    return this.paragraphCount;
  }

  /** The part of paragraph i (at its stored position); undefined past the last. */
  paragraphPart(i: number): number | undefined {
    return i >= 0 && i < this.paragraphCount ? this.rows[i * PARAGRAPH_FIELDS + 4] : undefined;
  }

  paragraphKind(i: number): ParagraphKind | undefined {
    if (i < 0 || i >= this.paragraphCount) return undefined;
    return this.codes.kinds[this.rows[i * PARAGRAPH_FIELDS + 1] as number];
  }

  /** Section i's heading and parent, or undefined past the last. */
  section(i: number): { heading: string; parent: number | null } | undefined {
    if (i < 0 || i >= this.sectionCount) return undefined;
    const at = this.sectionsAt + i * SECTION_FIELDS;
    const parent = this.rows[at + 3] as number;
    return { heading: this.heading(i, at), parent: parent === NONE ? null : parent };
  }

  private heading(i: number, at: number): string {
    return this.own.heading?.[i] ?? this.text.slice(this.rows[at + 4], this.rows[at + 5]);
  }

  decodeParagraphs(): Paragraph[] {
    const { rows, codes, text } = this;
    const out: Paragraph[] = new Array(this.paragraphCount);
    for (let i = 0; i < this.paragraphCount; i++) {
      const at = i * PARAGRAPH_FIELDS;
      const start = rows[at + 2] as number;
      const section = rows[at + 5] as number;
      const page = rows[at + 6] as number;
      const style = rows[at + 7] as number;
      let numbering: ParagraphNumbering | null = null;
      if (style === OWN) numbering = this.own.numbering?.[i] ?? null;
      else if (style !== NONE) {
        const length = rows[at + 10] as number;
        numbering = {
          style: codes.styles[style] as string,
          label: length === OWN ? (this.own.numberingLabel?.[i] ?? '') : text.slice(start, start + length),
          value: rows[at + 8] as number,
          rank: rows[at + 9] as number,
        };
      }
      // Same property order as structureDocument's paragraphs: one hidden class.
      out[i] = {
        index: rows[at] as number,
        kind: codes.kinds[rows[at + 1] as number] as ParagraphKind,
        start,
        end: rows[at + 3] as number,
        part: rows[at + 4] as number,
        section: section === NONE ? null : section,
        numbering,
        page: page === NONE ? null : page,
      };
    }
    return out;
  }

  decodeSections(): Section[] {
    const { rows } = this;
    const out: Section[] = new Array(this.sectionCount);
    for (let i = 0; i < this.sectionCount; i++) {
      const at = this.sectionsAt + i * SECTION_FIELDS;
      const heading = this.heading(i, at);
      const parent = rows[at + 3] as number;
      const label = rows[at + 8] as number;
      out[i] = {
        index: rows[at] as number,
        part: rows[at + 1] as number,
        heading,
        label:
          label === NONE
            ? null
            : label === OWN
              ? (this.own.sectionLabel?.[i] ?? null)
              : heading.slice(0, label),
        rank: rows[at + 2] as number,
        parent: parent === NONE ? null : parent,
        headingStart: rows[at + 4] as number,
        headingEnd: rows[at + 5] as number,
        start: rows[at + 6] as number,
        end: rows[at + 7] as number,
      };
    }
    return out;
  }
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value === (value | 0);
}

/** The file's bytes as int32 rows; written and read little-endian whatever the machine's order. */
export function rowsOfFile(bytes: Buffer): Int32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error('documents.structure is not a whole number of rows');
  // A Buffer from readFile may sit at an odd offset of a shared pool: copy it then.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  if (endianness() === 'BE') aligned.swap32();
  return new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

export function bytesOfRows(rows: Int32Array): Buffer {
  const bytes = Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength);
  return endianness() === 'BE' ? Buffer.from(bytes).swap32() : bytes;
}
