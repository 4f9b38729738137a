import type { Command } from 'commander';
import { register as registerAsk } from './ask.js';
import { register as registerChat } from './chat.js';
import { register as registerCompare } from './compare.js';
import { register as registerDigest } from './digest.js';
import { register as registerDoctor } from './doctor.js';
import { register as registerDocuments } from './documents.js';
import { register as registerEval } from './eval.js';
import { register as registerFigures } from './figures.js';
import { register as registerIndex } from './index-command.js';
import { register as registerIssuers } from './issuers.js';
import { register as registerModels } from './models.js';
import { register as registerPushSummary } from './push-summary.js';
import { register as registerRetrieve } from './retrieve.js';
import { register as registerServe } from './serve.js';
import { register as registerSummary } from './summary.js';

export function registerCommands(program: Command): void {
  registerIndex(program);
  registerRetrieve(program);
  registerIssuers(program);
  registerDocuments(program);
  registerDoctor(program);
  registerEval(program);
  registerAsk(program);
  registerSummary(program);
  registerCompare(program);
  registerFigures(program);
  registerChat(program);
  registerServe(program);
  registerModels(program);
  registerPushSummary(program);
  registerDigest(program);
}
