import { keyRingOf } from '../../src/registry/audit-chain.js';

/** One audit key ring for tests that build stores directly (every connection must share it). */
export const TEST_AUDIT_KEYS = keyRingOf([Buffer.from('test-audit-key-0123456789abcdef-0123456789')]);
