/** One assignment of a dashboard's variables and the panels (keys) that had data under it. */
export interface Assignment {
  vars: Record<string, string>;
  panels: Set<string>;
}

/**
 * The fewest assignments (greedy set cover) under which every panel that has data for some
 * assignment has it, so each such panel is drawn with data at least once; the first option when
 * no panel has data anywhere.
 */
export function fewestAssignments(options: Assignment[]): Assignment[] {
  const chosen: Assignment[] = [];
  const need = new Set(options.flatMap((o) => [...o.panels]));
  const gain = (o: Assignment) => [...o.panels].filter((k) => need.has(k)).length;
  while (need.size > 0) {
    const best = options.reduce((a, b) => (gain(b) > gain(a) ? b : a));
    chosen.push(best);
    for (const k of best.panels) need.delete(k);
  }
  return chosen.length ? chosen : options.slice(0, 1);
}
