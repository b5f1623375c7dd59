import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { AnnotationQuery } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasource.js';

export interface PromAnnotationSpec {
  name: string;
  expr: string;
  iconColor: string;
  titleFormat: string;
  textFormat: string;
  tagKeys: string[];
}

/**
 * Prometheus annotation: every non-zero sample of `expr` marks the time line. The SDK's
 * AnnotationQuery has no titleFormat/textFormat/tagKeys/step, which Grafana's Prometheus
 * annotation editor stores alongside, so this builder adds them.
 */
export function promAnnotation(s: PromAnnotationSpec): cog.Builder<AnnotationQuery> {
  return {
    build: () =>
      ({
        name: s.name,
        datasource: PROMETHEUS,
        enable: true,
        hide: false,
        iconColor: s.iconColor,
        expr: s.expr,
        step: '1m',
        titleFormat: s.titleFormat,
        textFormat: s.textFormat,
        tagKeys: s.tagKeys.join(','),
        useValueForTime: false,
      }) as AnnotationQuery,
  };
}

/**
 * Counter went up in the last minute — or the series first appeared (a first transition creates
 * the labelled counter at 1, which increase() cannot see).
 */
export function counterBumped(selector: string): string {
  return `(increase(${selector}[1m]) > 0) or (${selector} unless ${selector} offset 1m)`;
}
