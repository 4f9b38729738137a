/**
 * Generates the TEST embedding model used by tests and CI: a BERT-shaped ONNX model with random
 * (seeded, hence byte-identical every run) weights and a character-level WordPiece tokenizer,
 * loadable by transformers.js exactly like a real hub model.
 *
 *   node --import tsx scripts/make-tiny-model.ts <outDir> [--corpus <dir>]
 *
 * The graph is last_hidden_state = (word_embeddings[input_ids] + token_type_embeddings[token_type_ids])
 * × attention_mask, each character's row scaled by its rarity in the corpus. With mean pooling and
 * normalisation that is a random projection of an IDF-weighted bag of characters: texts sharing rare
 * characters get similar vectors, nothing more. It is NOT a language model.
 * Its config.json carries `"policybot_test_model": true` so the product labels it as such.
 *
 * The ONNX protobuf is written by hand (a dozen fields) rather than adding a protobuf dependency.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/internal/prng.js';

export const TINY_MODEL_HIDDEN_SIZE = 64;
const SEED = 0x5eed_b07;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/** Scale of the special tokens' rows: non-zero so an empty text still has a direction, small so they barely matter. */
const SPECIAL_SCALE = 0.1;
const MAX_LENGTH = 512;
const DEFAULT_CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');

export interface TinyModelResult {
  outDir: string;
  /** sha256 over every generated file (path and bytes), identical across runs for the same corpus. */
  sha256: string;
  /** False when every file already had the right content and nothing was written. */
  written: boolean;
  vocabSize: number;
  hiddenSize: number;
  /** Total size of the generated files in bytes. */
  bytes: number;
}

/** Builds the model in memory and writes only the files whose content differs from what is on disk. */
export async function makeTinyModel(
  outDir: string,
  options: { corpusDir?: string } = {},
): Promise<TinyModelResult> {
  const {
    chars: corpusChars,
    paragraphs,
    df,
  } = await readCorpusStats(options.corpusDir ?? DEFAULT_CORPUS_DIR);
  const vocab = buildVocab(corpusChars);
  const files = renderFiles(vocab, rowScales(vocab, paragraphs, df));

  const total = createHash('sha256');
  let written = false;
  let bytes = 0;
  for (const [name, content] of files) {
    total.update(name).update('\0').update(content).update('\0');
    bytes += content.byteLength;
    const path = join(outDir, name);
    const existing = await readFile(path).catch(() => null);
    if (existing?.equals(content)) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    written = true;
  }
  return {
    outDir,
    sha256: total.digest('hex'),
    written,
    vocabSize: vocab.length,
    hiddenSize: TINY_MODEL_HIDDEN_SIZE,
    bytes,
  };
}

/**
 * Every non-whitespace character of the corpus's .txt/.md files (so none maps to [UNK]), and in how many
 * paragraphs each occurs.
 */
async function readCorpusStats(
  corpusDir: string,
): Promise<{ chars: Set<string>; paragraphs: number; df: Map<string, number> }> {
  const chars = new Set<string>();
  const df = new Map<string, number>();
  let paragraphs = 0;
  const names = await readdir(corpusDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => /\.(txt|md)$/i.test(n)).sort()) {
    const text = await readFile(join(corpusDir, name), 'utf8');
    for (const paragraph of text.normalize('NFC').split(/\n\s*\n/)) {
      const seen = new Set([...paragraph].filter((ch) => !/\s/u.test(ch)));
      if (seen.size === 0) continue;
      paragraphs++;
      for (const ch of seen) {
        chars.add(ch);
        df.set(ch, (df.get(ch) ?? 0) + 1);
      }
    }
  }
  return { chars, paragraphs, df };
}

/**
 * Row scale per token: an inverse-document-frequency weight, so that after mean pooling the vector is a
 * random projection of an IDF-weighted bag of characters (a classic, weak-but-real lexical retriever)
 * instead of being dominated by 的/和/发展. Punctuation barely counts; characters the corpus lacks get
 * the highest weight.
 */
function rowScales(vocab: string[], paragraphs: number, df: Map<string, number>): Float32Array {
  const scales = new Float32Array(vocab.length);
  vocab.forEach((token, i) => {
    if (i < SPECIAL_TOKENS.length) scales[i] = SPECIAL_SCALE;
    else {
      const ch = token.startsWith('##') ? token.slice(2) : token;
      if (PUNCTUATION.test(ch)) scales[i] = 0.05;
      else scales[i] = Math.log((paragraphs + 1) / ((df.get(ch) ?? 0) + 0.5));
    }
  });
  return scales;
}

/** Same split rule as transformers.js' BertPreTokenizer: these characters always stand alone. */
const PUNCTUATION = /^[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]$/u;

function isCjkIdeograph(cp: number): boolean {
  // The ranges BertNormalizer surrounds with spaces, so they are always whole words.
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function range(from: number, to: number): string[] {
  const out: string[] = [];
  for (let cp = from; cp <= to; cp++) out.push(String.fromCodePoint(cp));
  return out;
}

/**
 * Vocabulary order is fixed so token ids never move: specials, printable ASCII, the whole CJK Unified
 * Ideographs block (U+4E00–U+9FFF, a superset of the 3,500 common simplified characters), CJK and
 * fullwidth punctuation, Latin-1, Roman and circled numerals, then any other corpus characters by code point. Characters that can occur
 * inside a word (anything not split off as punctuation or CJK) also get a "##" continuation form.
 */
function buildVocab(corpusChars: Set<string>): string[] {
  const base = [
    ...range(0x21, 0x7e),
    ...range(0xa1, 0xff),
    ...range(0x4e00, 0x9fff),
    ...range(0x3001, 0x303f),
    ...range(0xff01, 0xff5e),
    ...range(0x2010, 0x2027),
    ...range(0x2030, 0x205e),
    ...range(0x2160, 0x217f),
    ...range(0x2460, 0x24ff),
  ];
  const seen = new Set(base);
  const extra = [...corpusChars]
    .filter((ch) => !seen.has(ch))
    .sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
  const vocab: string[] = [...SPECIAL_TOKENS];
  const continuations: string[] = [];
  for (const ch of [...base, ...extra]) {
    vocab.push(ch);
    if (!PUNCTUATION.test(ch) && !isCjkIdeograph(ch.codePointAt(0) as number)) continuations.push(`##${ch}`);
  }
  return [...vocab, ...continuations];
}

function renderFiles(vocab: string[], scales: Float32Array): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  const hidden = TINY_MODEL_HIDDEN_SIZE;

  files.set(
    'config.json',
    json({
      _name_or_path: 'policybot-tiny-test-model',
      policybot_test_model: true,
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: hidden,
      num_hidden_layers: 0,
      num_attention_heads: 1,
      intermediate_size: hidden,
      hidden_act: 'gelu',
      max_position_embeddings: MAX_LENGTH,
      type_vocab_size: 2,
      vocab_size: vocab.length,
      pad_token_id: 0,
      layer_norm_eps: 1e-12,
      torch_dtype: 'float32',
    }),
  );
  files.set('tokenizer.json', json(tokenizerJson(vocab)));
  files.set(
    'tokenizer_config.json',
    json({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      tokenize_chinese_chars: true,
      strip_accents: null,
      model_max_length: MAX_LENGTH,
      clean_up_tokenization_spaces: true,
      unk_token: '[UNK]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      cls_token: '[CLS]',
      mask_token: '[MASK]',
    }),
  );
  files.set(
    'special_tokens_map.json',
    json({
      unk_token: '[UNK]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      cls_token: '[CLS]',
      mask_token: '[MASK]',
    }),
  );
  files.set('onnx/model.onnx', Buffer.from(onnxModel(vocab.length, hidden, scales)));
  files.set(
    'README.md',
    Buffer.from(
      [
        '# policybot TEST MODEL — random weights, not a real embedding model',
        '',
        'Generated by `scripts/make-tiny-model.ts` for tests and CI. Do not use it to answer questions.',
        '',
        `- BERT-shaped ONNX graph: hidden size ${hidden}, vocabulary ${vocab.length} (character-level WordPiece).`,
        '- last_hidden_state = embedding lookup × attention mask; weights from a seeded PRNG.',
        '- Mean-pooled and normalised, it is a random projection of an IDF-weighted bag of characters.',
        '- `config.json` has `"policybot_test_model": true`; policybot labels it as a test model.',
        '',
      ].join('\n'),
      'utf8',
    ),
  );
  return files;
}

function tokenizerJson(vocab: string[]): unknown {
  const ids: Record<string, number> = {};
  vocab.forEach((token, id) => {
    ids[token] = id;
  });
  const specialId = (t: string) => ids[t] as number;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: specialId(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [specialId('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [specialId('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Minimal protobuf writer for the ONNX ModelProto subset used here (field numbers from onnx.proto).

class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  private varint(value: number): void {
    const bytes: number[] = [];
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    this.parts.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wireType: 0 | 2): void {
    this.varint(field * 8 + wireType);
  }

  int(field: number, value: number): this {
    if (value < 0 || !Number.isSafeInteger(value)) throw new RangeError(`varint ${value} unsupported`);
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.byteLength);
    this.parts.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

const ELEM_FLOAT = 1;
const ELEM_INT64 = 7;
const ATTR_INT = 2;

type Dim = number | string;

function valueInfo(w: ProtoWriter, name: string, elemType: number, dims: Dim[]): void {
  w.string(1, name); // ValueInfoProto.name
  w.message(2, (type) =>
    // TypeProto.tensor_type
    type.message(1, (tensor) => {
      tensor.int(1, elemType); // elem_type
      tensor.message(2, (shape) => {
        for (const dim of dims) {
          // TensorShapeProto.dim: dim_value (1) or dim_param (2)
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

function node(
  w: ProtoWriter,
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, number> = {},
): void {
  for (const input of inputs) w.string(1, input);
  for (const output of outputs) w.string(2, output);
  w.string(3, `${opType}_${outputs[0]}`);
  w.string(4, opType);
  for (const [name, value] of Object.entries(attributes)) {
    w.message(5, (a) => a.string(1, name).int(3, value).int(20, ATTR_INT)); // AttributeProto name, i, type
  }
}

function floatTensor(w: ProtoWriter, name: string, dims: number[], values: Float32Array): void {
  for (const d of dims) w.int(1, d); // TensorProto.dims
  w.int(2, ELEM_FLOAT); // data_type
  w.string(8, name);
  const raw = new DataView(new ArrayBuffer(values.length * 4));
  // ONNX raw_data is little-endian.
  values.forEach((v, i) => {
    raw.setFloat32(i * 4, v, true);
  });
  w.bytes(9, new Uint8Array(raw.buffer));
}

function int64Tensor(w: ProtoWriter, name: string, dims: number[], values: number[]): void {
  for (const d of dims) w.int(1, d);
  w.int(2, ELEM_INT64);
  w.string(8, name);
  const raw = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => {
    raw.setBigInt64(i * 8, BigInt(v), true);
  });
  w.bytes(9, new Uint8Array(raw.buffer));
}

function onnxModel(vocabSize: number, hidden: number, scales: Float32Array): Uint8Array {
  const random = mulberry32(SEED);
  const words = new Float32Array(vocabSize * hidden);
  for (let i = 0; i < words.length; i++) {
    const row = Math.floor(i / hidden);
    words[i] = (random() * 2 - 1) * (scales[row] ?? 1);
  }
  // Zero token-type rows keep the lookup BERT-shaped without biasing every embedding the same way.
  const tokenTypes = new Float32Array(2 * hidden);

  const batchSeq: Dim[] = ['batch_size', 'sequence_length'];
  return new ProtoWriter()
    .int(1, 8) // ir_version
    .string(2, 'policybot-make-tiny-model') // producer_name
    .string(3, '1') // producer_version
    .message(7, (g) => {
      g.message(1, (n) => node(n, 'Gather', ['word_embeddings', 'input_ids'], ['words'], { axis: 0 }));
      g.message(1, (n) =>
        node(n, 'Gather', ['token_type_embeddings', 'token_type_ids'], ['types'], { axis: 0 }),
      );
      g.message(1, (n) => node(n, 'Add', ['words', 'types'], ['embedded']));
      g.message(1, (n) => node(n, 'Cast', ['attention_mask'], ['mask'], { to: ELEM_FLOAT }));
      g.message(1, (n) => node(n, 'Unsqueeze', ['mask', 'unsqueeze_axes'], ['mask3']));
      g.message(1, (n) => node(n, 'Mul', ['embedded', 'mask3'], ['last_hidden_state']));
      g.string(2, 'policybot_tiny_test_model');
      g.message(5, (t) => floatTensor(t, 'word_embeddings', [vocabSize, hidden], words));
      g.message(5, (t) => floatTensor(t, 'token_type_embeddings', [2, hidden], tokenTypes));
      g.message(5, (t) => int64Tensor(t, 'unsqueeze_axes', [1], [2]));
      g.message(11, (v) => valueInfo(v, 'input_ids', ELEM_INT64, batchSeq));
      g.message(11, (v) => valueInfo(v, 'attention_mask', ELEM_INT64, batchSeq));
      g.message(11, (v) => valueInfo(v, 'token_type_ids', ELEM_INT64, batchSeq));
      g.message(12, (v) => valueInfo(v, 'last_hidden_state', ELEM_FLOAT, [...batchSeq, hidden]));
    })
    .message(8, (o) => o.string(1, '').int(2, 14)) // opset_import: default domain, opset 14
    .finish();
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  let corpusDir: string | undefined;
  const corpusFlag = args.indexOf('--corpus');
  if (corpusFlag >= 0) {
    corpusDir = args[corpusFlag + 1];
    args.splice(corpusFlag, 2);
  }
  const outDir = args[0];
  if (!outDir || (corpusFlag >= 0 && !corpusDir)) {
    process.stderr.write('usage: make-tiny-model.ts <outDir> [--corpus <dir>]\n');
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const result = await makeTinyModel(outDir, corpusDir ? { corpusDir } : {});
  const ms = Math.round(performance.now() - started);
  process.stderr.write(
    `tiny TEST model ${result.written ? 'written to' : 'up to date in'} ${outDir} ` +
      `(vocab ${result.vocabSize}, dim ${result.hiddenSize}, ${(result.bytes / 1e6).toFixed(1)} MB, ` +
      `sha256 ${result.sha256.slice(0, 12)}, ${ms} ms)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
