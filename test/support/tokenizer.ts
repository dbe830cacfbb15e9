import type { TokenizerSettings } from '../../src/data/text/tokenizer.js';

/** Tokenizer settings for tests: the schema's defaults (test/config/modality-rules.test.ts holds normalize to them). */
export const TOKENIZER: TokenizerSettings = { lowercase: true, maxTokens: 20_000, minCount: 1, maxLength: 64 };
