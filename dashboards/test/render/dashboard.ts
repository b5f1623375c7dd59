import type { FieldConfig } from './grafana.js';

/** The parts of a generated dashboard's panel the renderer reads (Grafana's dashboard JSON model). */
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string; expr?: string; instant?: boolean; format?: string; legendFormat?: string }>;
  fieldConfig?: {
    defaults?: FieldConfig;
    overrides?: Array<{ matcher: { id: string; options: string }; properties: Array<{ id: string; value: unknown }> }>;
  };
  options?: Record<string, unknown>;
  transformations?: Array<{ id: string; options: Record<string, unknown> }>;
  panels?: Panel[];
  collapsed?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: string | { query?: string }; includeAll?: boolean; allValue?: string }> };
}

/**
 * Grafana's grid: 24 columns; a row unit is 30 px high with 8 px between panels
 * (GRID_CELL_HEIGHT and GRID_CELL_VMARGIN in public/app/core/constants.ts).
 */
export const GRID = { columns: 24, cellHeight: 30, margin: 8, width: 1600 } as const;

/** A panel's size in pixels on a GRID.width-wide dashboard. */
export function panelSize(p: Panel): { width: number; height: number } {
  const col = (GRID.width - GRID.margin) / GRID.columns;
  return {
    width: Math.round(p.gridPos.w * col - GRID.margin),
    height: p.gridPos.h * GRID.cellHeight + (p.gridPos.h - 1) * GRID.margin,
  };
}

export function panelPosition(p: Panel): { left: number; top: number } {
  const col = (GRID.width - GRID.margin) / GRID.columns;
  return { left: Math.round(GRID.margin + p.gridPos.x * col), top: GRID.margin + p.gridPos.y * (GRID.cellHeight + GRID.margin) };
}
