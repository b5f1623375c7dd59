import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { LegendDisplayMode, LegendPlacement, ReduceDataOptionsBuilder, VizLegendOptionsBuilder, VizOrientation, BigValueColorMode, BigValueGraphMode, BarGaugeDisplayMode, VisibilityMode, TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import type { DashboardLinkBuilder, ThresholdsConfigBuilder, DynamicConfigValue, ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { FieldColorBuilder, FieldColorModeId } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as BarGaugeBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as StatusHistoryBuilder } from '@grafana/grafana-foundation-sdk/statushistory';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as HeatmapBuilder, HeatmapColorOptionsBuilder, HeatmapColorMode, HeatmapColorScale, YAxisConfigBuilder } from '@grafana/grafana-foundation-sdk/heatmap';
import type { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasource.js';

type Query = cog.Builder<cog.Dataquery> & DataqueryBuilder;

export interface PanelSpec {
  title: string;
  description: string;
  queries: Query[];
  unit?: string;
  thresholds?: ThresholdsConfigBuilder;
  min?: number;
  max?: number;
  /** Data links on values: from a red cell straight to the model's page. */
  links?: DashboardLinkBuilder[];
  width?: number;
  height?: number;
}

function legendTable(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Bottom).showLegend(true).calcs(['lastNotNull', 'max']);
}

export function timeseries(s: PanelSpec): TimeseriesBuilder {
  const p = new TimeseriesBuilder().title(s.title).description(s.description).datasource(PROMETHEUS).targets(s.queries).span(s.width ?? 12).height(s.height ?? 8).legend(legendTable()).lineWidth(1).fillOpacity(10);
  if (s.unit) p.unit(s.unit);
  if (s.min !== undefined) p.min(s.min);
  if (s.max !== undefined) p.max(s.max);
  if (s.thresholds) p.thresholds(s.thresholds);
  if (s.links) p.dataLinks(s.links);
  return p;
}

export function stat(s: PanelSpec): StatBuilder {
  const p = new StatBuilder()
    .title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? 6)
    .height(s.height ?? 4)
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (s.unit) p.unit(s.unit);
  if (s.thresholds) p.thresholds(s.thresholds);
  if (s.links) p.dataLinks(s.links);
  return p;
}

/** One bar per series, worst first when the query sorts (sort()/sort_desc()). */
export function barGauge(s: PanelSpec): BarGaugeBuilder {
  const p = new BarGaugeBuilder()
    .title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? 8)
    .height(s.height ?? 9)
    .orientation(VizOrientation.Horizontal)
    .displayMode(BarGaugeDisplayMode.Basic)
    .showUnfilled(true)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (s.unit) p.unit(s.unit);
  if (s.min !== undefined) p.min(s.min);
  if (s.max !== undefined) p.max(s.max);
  if (s.thresholds) p.thresholds(s.thresholds);
  if (s.links) p.dataLinks(s.links);
  return p;
}

export interface TableColumn {
  /** Field produced by the query ("Value #A" for instant table queries). */
  field: string;
  title: string;
  unit?: string;
  thresholds?: ThresholdsConfigBuilder;
  /** Colour the whole cell so a bad value reads as red from across the room. */
  colorCells?: boolean;
  links?: DashboardLinkBuilder[];
}

export interface TableSpec extends Omit<PanelSpec, 'unit' | 'thresholds'> {
  columns: TableColumn[];
  /** Label columns kept, in order, before the value columns. */
  labels: string[];
  sortBy?: { title: string; desc: boolean };
}

/** Instant queries merged into one table: one row per label set, one column per query. */
export function mergedTable(s: TableSpec): TableBuilder {
  const rename: Record<string, string> = {};
  const order: Record<string, number> = {};
  s.labels.forEach((l, i) => (order[l] = i));
  for (const [i, c] of s.columns.entries()) {
    rename[c.field] = c.title;
    order[c.field] = s.labels.length + i;
  }
  const p = new TableBuilder()
    .title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? 24)
    .height(s.height ?? 10)
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true }, indexByName: order, renameByName: rename, includeByName: {} },
    })
    .filterable(true);
  if (s.links) p.dataLinks(s.links);
  if (s.sortBy) p.sortBy([new TableSortByFieldStateBuilder().displayName(s.sortBy.title).desc(s.sortBy.desc)]);
  for (const c of s.columns) {
    const props: DynamicConfigValue[] = [];
    if (c.unit) props.push({ id: 'unit', value: c.unit });
    if (c.thresholds) props.push({ id: 'thresholds', value: c.thresholds.build() });
    if (c.colorCells) props.push({ id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } }, { id: 'color', value: { mode: 'thresholds' } });
    if (c.links) props.push({ id: 'links', value: c.links.map((l) => l.build()) });
    if (props.length) p.overrideByName(c.title, props);
  }
  return p;
}

/** Series × time grid coloured by thresholds: the per-feature drift heat map. */
export function statusHistory(s: PanelSpec): StatusHistoryBuilder {
  const p = new StatusHistoryBuilder()
    .title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? 12)
    .height(s.height ?? 9)
    .showValue(VisibilityMode.Never)
    .colWidth(0.9)
    .colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Thresholds));
  if (s.unit) p.unit(s.unit);
  if (s.thresholds) p.thresholds(s.thresholds);
  if (s.links) p.dataLinks(s.links);
  return p;
}

export function stateTimeline(s: PanelSpec & { mappings?: ValueMapping[] }): StateTimelineBuilder {
  const p = new StateTimelineBuilder()
    .title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? 12)
    .height(s.height ?? 6)
    .showValue(VisibilityMode.Auto)
    .mergeValues(true);
  if (s.thresholds) p.thresholds(s.thresholds);
  if (s.mappings) p.mappings(s.mappings);
  return p;
}

/** Latency histogram buckets over time (Prometheus `heatmap` format: one series per `le`). */
export function latencyHeatmap(s: PanelSpec): HeatmapBuilder {
  return new HeatmapBuilder()
    .title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? 12)
    .height(s.height ?? 8)
    .calculate(false)
    .color(new HeatmapColorOptionsBuilder().mode(HeatmapColorMode.Scheme).scheme('Oranges').scale(HeatmapColorScale.Exponential).exponent(0.5).steps(64).reverse(false))
    .yAxis(new YAxisConfigBuilder().unit('s'))
    .showValue(VisibilityMode.Never);
}
