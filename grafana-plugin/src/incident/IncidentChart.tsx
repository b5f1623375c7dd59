import React, { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  applyFieldOverrides,
  FieldColorModeId,
  FieldType,
  toDataFrame,
  ThresholdsMode,
  type DataFrame,
  type FieldConfig,
  type TimeRange,
} from '@grafana/data';
import { GraphThresholdsStyleMode, LegendDisplayMode, LineInterpolation, type GraphFieldConfig } from '@grafana/schema';
import { EventsCanvas, Icon, TimeSeries, Tooltip, useTheme2, type UPlotConfigBuilder } from '@grafana/ui';
import type uPlot from 'uplot';
import { testIds } from '../constants';
import type { IncidentEvent } from './events';
import type { ChartSpec } from './queries';
import { legendName } from './legend';

/**
 * The chart's frames with Grafana's field config applied: unit, bounds, the threshold line,
 * band edges dashed, display names from the legend templates. `applyFieldOverrides` is what a
 * Grafana panel runs on query results before its visualization sees them (it sets each field's
 * display processor, which the legend's values use).
 */
export function prepareFrames(
  spec: ChartSpec,
  byRef: Record<string, DataFrame[]>,
  theme: ReturnType<typeof useTheme2>,
  timeZone: string,
): DataFrame[] {
  const frames: DataFrame[] = [];
  for (const q of spec.queries) {
    for (const frame of byRef[q.refId] ?? []) {
      frames.push({
        ...frame,
        refId: q.refId,
        fields: frame.fields.map((field) => {
          if (field.type !== FieldType.number) return field;
          const custom: GraphFieldConfig = {
            lineWidth: q.role === 'band' ? 1 : 2,
            lineInterpolation: LineInterpolation.Linear,
            fillOpacity: 0,
            spanNulls: false,
            ...(q.role === 'band' ? { lineStyle: { fill: 'dash', dash: [4, 4] } } : {}),
            ...(spec.threshold ? { thresholdsStyle: { mode: GraphThresholdsStyleMode.Line } } : {}),
          };
          const config: FieldConfig = {
            ...field.config,
            displayNameFromDS: legendName(q.legend, field.labels),
            unit: spec.unit,
            // Grafana's default for time series: each series its own colour from the classic palette.
            color: { mode: FieldColorModeId.PaletteClassic },
            min: spec.min,
            max: spec.max,
            decimals: spec.unit === 'percentunit' ? 1 : undefined,
            custom,
            ...(spec.threshold
              ? {
                  thresholds: {
                    mode: ThresholdsMode.Absolute,
                    steps: [
                      { value: -Infinity, color: 'transparent' },
                      { value: spec.threshold.value, color: 'red' },
                    ],
                  },
                }
              : {}),
          };
          return { ...field, config };
        }),
      });
    }
  }
  return applyFieldOverrides({
    data: frames,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (s) => s,
    theme,
    timeZone,
  });
}

const EVENT_COLOR: Record<IncidentEvent['kind'], string> = {
  transition: '#5794F2',
  rollback: '#FF9830',
  alert: '#F2495C',
  reference: '#B877D9',
};
const EVENT_ICON = { transition: 'exchange-alt', rollback: 'history', alert: 'bell', reference: 'cloud-upload' } as const;

/**
 * Registry events and alerts on a chart, the way Grafana's annotations look: a vertical line at the
 * instant (drawn on uPlot's canvas) and a marker under the axis with the event on hover
 * (@grafana/ui EventsCanvas + Marker, the geometry the time-series panel's annotations used).
 */
function Annotations({ config, events, chartId }: { config: UPlotConfigBuilder; events: IncidentEvent[]; chartId: string }) {
  const plot = useRef<uPlot | null>(null);
  // EventsCanvas re-renders on uPlot's draw hook only once it is mounted, but the first draw
  // happens while the plot is created, before that; one render after mount shows the markers.
  const [, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const frames = useMemo(
    () => [toDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: events.map((e) => e.at) }] })],
    [events],
  );
  useLayoutEffect(() => {
    config.addHook('init', (u) => {
      plot.current = u;
    });
    config.addHook('draw', (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.lineWidth = 1;
      for (const e of events) {
        const x = Math.round(u.valToPos(e.at, 'x', true));
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.strokeStyle = EVENT_COLOR[e.kind];
        ctx.setLineDash(e.kind === 'alert' ? [3, 3] : []);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
      ctx.restore();
    });
  }, [config, events]);
  return (
    <EventsCanvas
      id={`mw-${chartId}-events`}
      config={config}
      events={frames}
      mapEventToXYCoords={(_f, i) => {
        const u = plot.current;
        const at = events[i]?.at;
        if (!u || at === undefined) return undefined;
        const x = u.valToPos(at, 'x');
        if (x < 0 || x > u.bbox.width / window.devicePixelRatio) return undefined;
        return { x, y: u.bbox.height / window.devicePixelRatio + 2 };
      }}
      renderEventMarker={(_f, i) => {
        const e = events[i];
        return (
          <Tooltip content={`${e.title} — ${e.detail}`} placement="bottom">
            <span
              data-testid={testIds.incident.annotation}
              data-kind={e.kind}
              data-at={e.at}
              style={{ marginLeft: -7, color: EVENT_COLOR[e.kind] }}
            >
              <Icon name={EVENT_ICON[e.kind]} size="sm" />
            </span>
          </Tooltip>
        );
      }}
    />
  );
}

interface Props {
  spec: ChartSpec;
  frames: DataFrame[];
  events: IncidentEvent[];
  timeRange: TimeRange;
  timeZone: string;
  width: number;
  height: number;
}

/**
 * One incident chart: @grafana/ui's TimeSeries (the uPlot-based visualization behind Grafana's
 * time-series panel) with a table legend giving each series' last, min and max, so the numbers
 * an on-call engineer reads are the chart's own.
 */
export function IncidentChart({ spec, frames, events, timeRange, timeZone, width, height }: Props) {
  if (frames.length === 0) {
    return <p data-testid={testIds.incident.noData}>No data in this time range.</p>;
  }
  // VizLayout positions the plot and legend inside a box of exactly this size; the box must hold it.
  return (
    <div style={{ width, height, position: 'relative' }}>
      <TimeSeries
        frames={frames}
        width={width}
        height={height}
        timeRange={timeRange}
        timeZone={timeZone}
        legend={{ showLegend: true, displayMode: LegendDisplayMode.Table, placement: 'bottom', calcs: ['lastNotNull', 'min', 'max'] }}
      >
        {(config) => <Annotations config={config} events={events} chartId={spec.id} />}
      </TimeSeries>
    </div>
  );
}
