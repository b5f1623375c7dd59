import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { config } from '@grafana/runtime';

/**
 * An exporter timestamp (ISO 8601) as Grafana shows dates: `YYYY-MM-DD HH:mm:ss` in the
 * signed-in user's timezone (`bootData.user.timezone`: an IANA name, `utc`, or `browser` / ''
 * for the browser's own). Text that is not a date is shown as it came.
 */
export function formatTime(iso: string, timeZone: string | undefined = config.bootData?.user?.timezone): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return dateTimeFormat(ms, { timeZone: timeZone || 'browser' });
}

/** `<time>` carrying the exact instant (also as tooltip) and showing it in the user's timezone. */
export function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso)}
    </time>
  );
}
