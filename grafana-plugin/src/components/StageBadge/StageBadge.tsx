import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { Stage } from '../../api/types';

const COLORS: Record<Stage, BadgeColor> = {
  development: 'blue',
  staging: 'orange',
  production: 'green',
  archived: 'darkgrey',
};

export function StageBadge({ stage }: { stage: Stage }) {
  return <Badge text={stage} color={COLORS[stage]} data-testid={`mw-stage-${stage}`} />;
}
