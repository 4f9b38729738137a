import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One 👍/👎 vote, as a line of `feedback.jsonl`. */
export interface FeedbackRecord {
  /** ISO 8601 time of the vote. */
  ts: string;
  question: string;
  answerId: string;
  user: string;
  vote: 'up' | 'down';
  source: 'slack';
  channel: string | null;
}

/** Append-only JSONL log of answer feedback (one file, `feedback.jsonl`, under the configured directory). */
export class FeedbackLog {
  readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, 'feedback.jsonl');
  }

  async append(record: FeedbackRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // One write of one line with O_APPEND: concurrent votes never interleave within a line.
    await appendFile(this.path, `${JSON.stringify(record)}\n`, { encoding: 'utf8', flag: 'a' });
  }
}
