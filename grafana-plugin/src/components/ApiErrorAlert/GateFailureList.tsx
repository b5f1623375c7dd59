import React from 'react';
import type { GateFailure } from '../../api/types';
import { testIds } from '../../constants';

function describe(f: GateFailure): string {
  const bound = f.gate.startsWith('min_') ? 'at least' : f.gate.startsWith('max_') ? 'at most' : 'within';
  const required = f.required === null ? '?' : String(f.required);
  if (f.actual === null) return `${f.metric}: not recorded for this version (needs ${bound} ${required})`;
  return `${f.metric}: ${f.actual} — needs ${bound} ${required}`;
}

/** One line per failed gate, so the engineer can fix them all at once. */
export function GateFailureList({ failures }: { failures: GateFailure[] }) {
  return (
    <ul data-testid={testIds.promote.gateFailures}>
      {failures.map((f) => (
        <li key={f.gate}>
          <code>{f.gate}</code> {describe(f)}
        </li>
      ))}
    </ul>
  );
}
