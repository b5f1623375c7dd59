import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import type { Transition } from '../../api/types';
import { testIds } from '../../constants';
import { Time } from '../Time/Time';

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0, borderLeft: `2px solid ${theme.colors.border.medium}` }),
  item: css({ position: 'relative', padding: theme.spacing(0.5, 0, 1.5, 2) }),
  dot: css({
    position: 'absolute',
    left: -6,
    top: theme.spacing(1),
    width: 10,
    height: 10,
    borderRadius: '50%',
    background: theme.colors.primary.main,
  }),
  head: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', flexWrap: 'wrap' }),
  meta: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});

interface Props {
  transitions: Transition[];
  /** Show only the newest N; the transitions page shows them all. */
  limit?: number;
}

/** Newest first: who moved which version where, when, and why. */
export function TransitionTimeline({ transitions, limit }: Props) {
  const styles = useStyles2(getStyles);
  const sorted = [...transitions].sort((a, b) => (a.at === b.at ? b.id - a.id : b.at.localeCompare(a.at)));
  const shown = limit ? sorted.slice(0, limit) : sorted;
  if (shown.length === 0) return <p>No stage transitions recorded yet.</p>;
  return (
    <ol className={styles.list} data-testid={testIds.transitions.timeline}>
      {shown.map((t) => (
        <li key={`${t.id}-${t.version}-${t.at}`} className={styles.item} data-testid={testIds.transitions.item}>
          <span className={styles.dot} />
          <div className={styles.head}>
            <strong>{t.version}</strong>
            <span>
              {t.from} → {t.to}
            </span>
            {t.kind === 'rollback' && <Badge text={t.trigger === 'alert' ? 'rollback (alert)' : 'rollback'} color="red" />}
            {t.kind === 'replaced' && <Badge text="replaced" color="purple" />}
            {t.kind === 'retired' && <Badge text="model retired" color="orange" />}
            {t.forced && <Badge text="forced past gates" color="orange" />}
          </div>
          <div>{t.reason || <em>no reason given</em>}</div>
          <div className={styles.meta}>
            by {t.actor || 'unknown'} · <Time iso={t.at} />
          </div>
        </li>
      ))}
    </ol>
  );
}
