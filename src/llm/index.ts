import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { LlmClient } from './LlmClient.js';
import { createOpenAiLlm } from './openai-llm.js';

export type { ChatMessage, CompletionRequest, LlmClient } from './LlmClient.js';
export { createOpenAiLlm, type LlmConfig, type OpenAiLlmOptions } from './openai-llm.js';

/** The configured language model, or null when `OPENAI_API_KEY` is unset (extractive mode). */
export function createLlmFromConfig(config: Config, logger: Logger): LlmClient | null {
  return config.llm
    ? createOpenAiLlm({ config: config.llm, logger: logger.child({ component: 'llm' }) })
    : null;
}
