import React from 'react';
import { Link, useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { LoadingPlaceholder } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert/ApiErrorAlert';
import { TransitionTimeline } from '../components/TransitionTimeline/TransitionTimeline';
import { modelPageUrl } from '../constants';
import { useAsync } from '../hooks/useAsync';

/** The full stage-transition history of one model, with actor and reason for each move. */
export function TransitionsPage() {
  const { model = '' } = useParams<{ model: string }>();
  const transitions = useAsync(() => exporterApi.listTransitions(model), [model]);
  return (
    <PluginPage>
      <p>
        <Link to={modelPageUrl(model)}>← {model}</Link>
      </p>
      <h2>Stage transitions of {model}</h2>
      {transitions.error && <ApiErrorAlert error={transitions.error} onRetry={transitions.reload} />}
      {transitions.loading && !transitions.value && <LoadingPlaceholder text="Loading transitions…" />}
      {transitions.value && <TransitionTimeline transitions={transitions.value} />}
    </PluginPage>
  );
}
