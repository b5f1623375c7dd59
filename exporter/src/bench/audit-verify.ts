/* Audit verification cost for `npm run bench` (issue 13): `GET /api/v1/audit/verify` recomputes
 * every entry's HMAC and link and replays the log against the state tables; this times it at
 * 100,000 entries on SQLite. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyRingOf } from '../registry/audit-chain.js';
import { auditDraft } from '../registry/audit-draft.js';
import { RegistryService } from '../registry/service.js';
import { AuditStore } from '../store/audit-store.js';
import { openDatabase } from '../store/database.js';
import { KyselyRegistryStore } from '../store/registry-store.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
const ENTRIES = 100_000;
const PER_TRANSACTION = 5_000;

/**
 * Writes ENTRIES audit entries shaped like transitions (reason, before and after objects with a
 * stage and a gate list: ~400 bytes of canonical JSON each) through the real append path, then
 * times verifyAudit three times and prints the median, entries per second and heap growth.
 * The entries describe versions the tables do not hold, so verify reports them unexplained:
 * the replay's comparison runs over all of them, which is the cost being measured.
 */
export async function auditVerifyFigures(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-bench-audit-'));
  const database = await openDatabase({ sqlitePath: path.join(dataDir, 'bench.sqlite') });
  try {
    const keys = keyRingOf([randomBytes(32)]);
    const audit = new AuditStore(database.db, keys);
    const fillStart = performance.now();
    for (let written = 0; written < ENTRIES; written += PER_TRANSACTION) {
      await database.db.transaction().execute(async (tx) => {
        let head = await audit.lockHead(tx);
        for (let i = written; i < written + PER_TRANSACTION; i++) {
          const draft = auditDraft(new Date(1_700_000_000_000 + i * 1000).toISOString(), 'token:ci', 'version.transition', {
            model: `model-${i % 1000}`,
            version: `v${i}`,
            reason: `promotion ${i} after offline validation passed on dataset 2026-06-01`,
            before: { stage: 'staging', production_version: `v${i - 1}` },
            after: {
              stage: 'production',
              archived_version: `v${i - 1}`,
              skipped_gates: [{ gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.84 }],
            },
          });
          const entry = await audit.append(tx, head, draft);
          head = { lastId: entry.id, lastHash: entry.hash };
        }
      });
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const registry = new RegistryService(new KyselyRegistryStore(database.db, keys));
    const gc = (globalThis as { gc?: () => void }).gc;
    const times: number[] = [];
    let heapGrowth = 0;
    let result: Awaited<ReturnType<RegistryService['verifyAudit']>> | undefined;
    for (let run = 0; run < 3; run++) {
      gc?.();
      const heap = process.memoryUsage().heapUsed;
      const t = performance.now();
      result = await registry.verifyAudit();
      times.push(performance.now() - t);
      heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - heap);
    }
    const ms = [...times].sort((a, b) => a - b)[1];
    out(
      `audit verify, ${ENTRIES.toLocaleString('en-US')} entries on SQLite: ${(ms / 1000).toFixed(2)} s median of 3 ` +
        `(${Math.round(ENTRIES / (ms / 1000)).toLocaleString('en-US')} entries/s; runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s), ` +
        `heap growth ${(heapGrowth / 1024 / 1024).toFixed(1)} MiB; chain ${result?.firstBrokenId === undefined ? 'intact' : 'BROKEN'}, ` +
        `${result?.entries} entries checked (fill: ${fillSeconds.toFixed(1)} s)`,
    );
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
