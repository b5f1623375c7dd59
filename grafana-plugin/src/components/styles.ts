import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** Table look shared by the pages, from the Grafana theme so it follows light/dark. */
export const getTableStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  muted: css({ color: theme.colors.text.secondary }),
  actions: css({ display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' }),
  section: css({ marginTop: theme.spacing(3) }),
  link: css({ color: theme.colors.text.link, fontSize: theme.typography.bodySmall.fontSize }),
  reasons: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});
