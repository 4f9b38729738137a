/**
 * Precision and recall of the figure extractor against the hand-written lists in test/fixtures/figures/.
 * A predicted figure matches a listed one when their value spans overlap (one to one); kind, status and
 * year are then compared field by field.
 */
import { readFileSync } from 'node:fs';
import { extractFigures } from '../../src/figures/extract-figures.js';
import type { Figure, FigureKind, FigureStatus, StructuredDocument } from '../../src/types.js';

export interface ListedFigure {
  text: string;
  value: string;
  kind: FigureKind;
  status: FigureStatus;
  year: number | null;
}

export interface FigureList {
  doc: string;
  source: string;
  figures: ListedFigure[];
}

export interface FigureScore {
  listed: number;
  extracted: number;
  matched: number;
  precision: number;
  recall: number;
  kind: number;
  status: number;
  year: number;
  missed: ListedFigure[];
  spurious: Figure[];
  wrong: { listed: ListedFigure; got: Figure }[];
}

export function readFigureList(file: string): FigureList {
  return JSON.parse(readFileSync(file, 'utf8')) as FigureList;
}

/** Where a listed figure's value is in the document; throws when its text is missing or not unique. */
export function locate(doc: StructuredDocument, f: ListedFigure): [number, number] {
  const at = doc.cleanedText.indexOf(f.text);
  if (at < 0) throw new Error(`listed text not in ${doc.id}: ${f.text}`);
  if (doc.cleanedText.indexOf(f.text, at + 1) >= 0)
    throw new Error(`listed text not unique in ${doc.id}: ${f.text}`);
  const v = f.text.indexOf(f.value);
  if (v < 0) throw new Error(`value ${f.value} not in its text ${f.text}`);
  return [at + v, at + v + f.value.length];
}

export function scoreFigures(doc: StructuredDocument, list: FigureList): FigureScore {
  const got = extractFigures(doc);
  const spans = list.figures.map((f) => locate(doc, f));
  const used = new Set<number>();
  const missed: ListedFigure[] = [];
  const wrong: FigureScore['wrong'] = [];
  let kind = 0;
  let status = 0;
  let year = 0;
  list.figures.forEach((listed, i) => {
    const [s, e] = spans[i] as [number, number];
    const j = got.findIndex((g, k) => !used.has(k) && g.valueStart < e && g.valueEnd > s);
    const match = got[j];
    if (!match) {
      missed.push(listed);
      return;
    }
    used.add(j);
    const ok = [match.kind === listed.kind, match.status === listed.status, match.year === listed.year];
    kind += ok[0] ? 1 : 0;
    status += ok[1] ? 1 : 0;
    year += ok[2] ? 1 : 0;
    if (ok.includes(false)) wrong.push({ listed, got: match });
  });
  const matched = used.size;
  return {
    listed: list.figures.length,
    extracted: got.length,
    matched,
    precision: got.length === 0 ? 0 : matched / got.length,
    recall: list.figures.length === 0 ? 0 : matched / list.figures.length,
    kind: matched === 0 ? 0 : kind / matched,
    status: matched === 0 ? 0 : status / matched,
    year: matched === 0 ? 0 : year / matched,
    missed,
    spurious: got.filter((_, k) => !used.has(k)),
    wrong,
  };
}
