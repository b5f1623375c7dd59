import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
  VizOrientation,
  BigValueColorMode,
  BigValueGraphMode,
  BarGaugeDisplayMode,
  VisibilityMode,
  TableSortByFieldStateBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import type {
  DashboardLink,
  DashboardLinkBuilder,
  DataSourceRef,
  ThresholdsConfig,
  ThresholdsConfigBuilder,
  DynamicConfigValue,
  ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { FieldColorBuilder, FieldColorModeId } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as BarGaugeBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as StatusHistoryBuilder } from '@grafana/grafana-foundation-sdk/statushistory';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import {
  PanelBuilder as HeatmapBuilder,
  HeatmapColorOptionsBuilder,
  HeatmapColorMode,
  HeatmapColorScale,
  YAxisConfigBuilder,
} from '@grafana/grafana-foundation-sdk/heatmap';
import type { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasource.js';
import { promTable } from './query.js';

type Query = cog.Builder<cog.Dataquery> & DataqueryBuilder;

/** What every panel has, whatever its type; width and height fall back to the type's size. */
interface PanelBase {
  title: string;
  description: string;
  queries: Query[];
  width?: number;
  height?: number;
}

/** Field defaults; a panel type takes the ones it can show (its spec type omits the rest). */
interface FieldDefaults {
  unit?: string;
  thresholds?: ThresholdsConfigBuilder;
  min?: number;
  max?: number;
  mappings?: ValueMapping[];
  /** Data links on values: from a red cell straight to the model's page. */
  links?: DashboardLinkBuilder[];
}

export type PanelSpec = PanelBase & Omit<FieldDefaults, 'mappings'>;

/** The builder methods all the SDK's panel types share (each type is its own class). */
interface AnyPanelBuilder {
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: DataSourceRef): this;
  targets(targets: cog.Builder<cog.Dataquery>[]): this;
  span(w: number): this;
  height(h: number): this;
  unit(unit: string): this;
  min(min: number): this;
  max(max: number): this;
  thresholds(thresholds: cog.Builder<ThresholdsConfig>): this;
  mappings(mappings: ValueMapping[]): this;
  dataLinks(links: cog.Builder<DashboardLink>[]): this;
}

/**
 * The one panel builder the helpers below configure: common header and size, then the type's own
 * options, then the field defaults the spec sets (unset ones stay out of the JSON). The order of
 * the calls is the key order of the generated JSON, so it is the same for every type.
 */
function buildPanel<P extends AnyPanelBuilder>(
  p: P,
  s: PanelBase & FieldDefaults,
  size: { width: number; height: number },
  configure: (p: P) => void = () => {},
): P {
  p.title(s.title)
    .description(s.description)
    .datasource(PROMETHEUS)
    .targets(s.queries)
    .span(s.width ?? size.width)
    .height(s.height ?? size.height);
  configure(p);
  if (s.unit) p.unit(s.unit);
  if (s.min !== undefined) p.min(s.min);
  if (s.max !== undefined) p.max(s.max);
  if (s.thresholds) p.thresholds(s.thresholds);
  if (s.mappings) p.mappings(s.mappings);
  if (s.links) p.dataLinks(s.links);
  return p;
}

const lastValuePerSeries = (): ReduceDataOptionsBuilder => new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);

export function timeseries(s: PanelSpec): TimeseriesBuilder {
  return buildPanel(new TimeseriesBuilder(), s, { width: 12, height: 8 }, (p) =>
    p
      .legend(
        new VizLegendOptionsBuilder()
          .displayMode(LegendDisplayMode.Table)
          .placement(LegendPlacement.Bottom)
          .showLegend(true)
          .calcs(['lastNotNull', 'max']),
      )
      .lineWidth(1)
      .fillOpacity(10),
  );
}

export function stat(s: Omit<PanelSpec, 'min' | 'max'> & Pick<FieldDefaults, 'mappings'>): StatBuilder {
  return buildPanel(new StatBuilder(), s, { width: 6, height: 4 }, (p) =>
    p.colorMode(BigValueColorMode.Background).graphMode(BigValueGraphMode.None).reduceOptions(lastValuePerSeries()),
  );
}

/** One bar per series, worst first when the query sorts (sort()/sort_desc()). */
export function barGauge(s: PanelSpec): BarGaugeBuilder {
  return buildPanel(new BarGaugeBuilder(), s, { width: 8, height: 9 }, (p) =>
    p.orientation(VizOrientation.Horizontal).displayMode(BarGaugeDisplayMode.Basic).showUnfilled(true).reduceOptions(lastValuePerSeries()),
  );
}

/** Series × time grid coloured by thresholds: the per-feature drift heat map. */
export function statusHistory(s: Omit<PanelSpec, 'min' | 'max'>): StatusHistoryBuilder {
  return buildPanel(new StatusHistoryBuilder(), s, { width: 12, height: 9 }, (p) =>
    p.showValue(VisibilityMode.Never).colWidth(0.9).colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Thresholds)),
  );
}

export function stateTimeline(s: PanelBase & Pick<FieldDefaults, 'thresholds' | 'mappings'>): StateTimelineBuilder {
  return buildPanel(new StateTimelineBuilder(), s, { width: 12, height: 6 }, (p) => p.showValue(VisibilityMode.Auto).mergeValues(true));
}

/** Latency histogram buckets over time (Prometheus `heatmap` format: one series per `le`). */
export function latencyHeatmap(s: PanelBase): HeatmapBuilder {
  return buildPanel(new HeatmapBuilder(), s, { width: 12, height: 8 }, (p) =>
    p
      .calculate(false)
      .color(
        new HeatmapColorOptionsBuilder()
          .mode(HeatmapColorMode.Scheme)
          .scheme('Oranges')
          .scale(HeatmapColorScale.Exponential)
          .exponent(0.5)
          .steps(64)
          .reverse(false),
      )
      .yAxis(new YAxisConfigBuilder().unit('s'))
      .showValue(VisibilityMode.Never),
  );
}

export interface TableColumn {
  /** Instant PromQL query whose value fills the column, one row per label set. */
  expr: string;
  title: string;
  unit?: string;
  thresholds?: ThresholdsConfigBuilder;
  /** Colour the whole cell so a bad value reads as red from across the room. */
  colorCells?: boolean;
  links?: DashboardLinkBuilder[];
}

export interface TableSpec extends Omit<PanelBase, 'queries'>, Pick<FieldDefaults, 'links'> {
  /** One column per query, in order; each column's query gets the next refId (A, B, …). */
  columns: TableColumn[];
  /** Label columns kept, in order, before the value columns. */
  labels: string[];
  sortBy?: { title: string; desc: boolean };
}

/** Instant queries merged into one table: one row per label set, one column per query. */
export function mergedTable(s: TableSpec): TableBuilder {
  const refIds = s.columns.map((_, i) => String.fromCharCode(65 + i));
  // Grafana names the value field of a lone table query "Value", and "Value #<refId>" when several are merged.
  const fields = refIds.map((r) => (refIds.length === 1 ? 'Value' : `Value #${r}`));
  const rename: Record<string, string> = {};
  const order: Record<string, number> = {};
  s.labels.forEach((l, i) => (order[l] = i));
  for (const [i, c] of s.columns.entries()) {
    rename[fields[i]!] = c.title;
    order[fields[i]!] = s.labels.length + i;
  }
  const queries = s.columns.map((c, i) => promTable(refIds[i]!, c.expr));
  const p = buildPanel(new TableBuilder(), { ...s, queries }, { width: 24, height: 10 }, (t) =>
    t
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation({
        id: 'organize',
        options: { excludeByName: { Time: true }, indexByName: order, renameByName: rename, includeByName: {} },
      })
      .filterable(true),
  );
  if (s.sortBy) p.sortBy([new TableSortByFieldStateBuilder().displayName(s.sortBy.title).desc(s.sortBy.desc)]);
  for (const c of s.columns) {
    const props: DynamicConfigValue[] = [];
    if (c.unit) props.push({ id: 'unit', value: c.unit });
    if (c.thresholds) props.push({ id: 'thresholds', value: c.thresholds.build() });
    if (c.colorCells)
      props.push(
        { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
        { id: 'color', value: { mode: 'thresholds' } },
      );
    if (c.links) props.push({ id: 'links', value: c.links.map((l) => l.build()) });
    if (props.length) p.overrideByName(c.title, props);
  }
  return p;
}
