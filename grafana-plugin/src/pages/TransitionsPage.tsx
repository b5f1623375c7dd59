import React from 'react';
import { Link, useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { exporterApi } from '../api/client';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
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
      <AsyncContent state={transitions} loadingText="Loading transitions…">
        {(list) => <TransitionTimeline transitions={list} />}
      </AsyncContent>
    </PluginPage>
  );
}
