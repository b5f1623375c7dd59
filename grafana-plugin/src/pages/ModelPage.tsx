import React, { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, Stack, useStyles2 } from '@grafana/ui';
import { exporterApi } from '../api/client';
import { canActOnRegistry, canDeleteModels } from '../api/permissions';
import type { ModelVersion } from '../api/types';
import { ArchiveDialog } from '../components/ArchiveDialog/ArchiveDialog';
import { AsyncContent } from '../components/AsyncContent/AsyncContent';
import { PromoteDialog } from '../components/PromoteDialog/PromoteDialog';
import { RetireModelDialog, type RetireKind } from '../components/RetireModelDialog/RetireModelDialog';
import { RollbackDialog } from '../components/RollbackDialog/RollbackDialog';
import { StageBadge } from '../components/StageBadge/StageBadge';
import { Time } from '../components/Time/Time';
import { getTableStyles } from '../components/styles';
import { TransitionTimeline } from '../components/TransitionTimeline/TransitionTimeline';
import { VersionDetails } from '../components/VersionDetails/VersionDetails';
import { VersionsTable } from '../components/VersionsTable/VersionsTable';
import { IncidentView } from '../incident/IncidentView';
import { modelTransitionsUrl, prefixRoute, ROUTES, testIds } from '../constants';
import { useAsync } from '../hooks/useAsync';

type Dialog =
  | { kind: 'promote'; version: ModelVersion }
  | { kind: 'archive'; version: ModelVersion }
  | { kind: 'rollback' }
  | { kind: 'retire'; how: RetireKind }
  | null;

/**
 * One model: its versions, lineage and validation metrics, recent transitions, and the actions.
 * This is the page dashboard panels link to, so the rollback button is at the top.
 */
export function ModelPage() {
  const { model = '' } = useParams<{ model: string }>();
  const styles = useStyles2(getTableStyles);
  const canAct = canActOnRegistry();
  const canDelete = canDeleteModels();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const data = useAsync(async () => {
    const [info, versions, transitions] = await Promise.all([
      exporterApi.getModel(model),
      exporterApi.listVersions(model),
      exporterApi.listTransitions(model),
    ]);
    return { info, versions, transitions };
  }, [model]);

  const finish = (message: string) => {
    setDialog(null);
    setDone(message);
    data.reload();
  };

  const versions = data.value?.versions ?? [];
  const production = versions.find((v) => v.stage === 'production') ?? null;
  const productionName = data.value?.info.productionVersion ?? production?.version ?? null;
  const archivedAt = data.value?.info.archivedAt ?? null;
  const shownVersion = versions.find((v) => v.version === selected) ?? production ?? versions[versions.length - 1] ?? null;

  return (
    <PluginPage>
      <div data-testid={testIds.model.page}>
        <p>
          <Link to={prefixRoute(ROUTES.Models)}>← All models</Link>
        </p>
        <h2>{model}</h2>
        {data.value && (
          <div className={styles.muted}>
            {data.value.info.description && <>{data.value.info.description} · </>}
            team {data.value.info.team || '—'} · in production:{' '}
            {productionName ? (
              <>
                <StageBadge stage="production" /> <strong>{productionName}</strong>
              </>
            ) : (
              'none'
            )}
          </div>
        )}
        {archivedAt && (
          <Alert severity="info" title={`${model} is archived`} data-testid={testIds.retire.archivedNotice}>
            Archived <Time iso={archivedAt} />. It is left out of the models list (unless archived models are shown) and takes no new
            versions or stage moves.
          </Alert>
        )}
        <Stack gap={1}>
          {canAct && productionName && (
            <Button
              variant="destructive"
              icon="history"
              data-testid={testIds.model.rollback}
              onClick={() => setDialog({ kind: 'rollback' })}
            >
              Roll back {productionName}
            </Button>
          )}
          {canAct && data.value && !archivedAt && (
            <Button
              variant="secondary"
              icon="archive-alt"
              data-testid={testIds.retire.archive}
              onClick={() => setDialog({ kind: 'retire', how: 'archive' })}
            >
              Archive model
            </Button>
          )}
          {canDelete && data.value && (
            <Button
              variant="destructive"
              fill="outline"
              icon="trash-alt"
              data-testid={testIds.retire.delete}
              onClick={() => setDialog({ kind: 'retire', how: 'delete' })}
            >
              Delete model
            </Button>
          )}
        </Stack>
        {!canAct && data.value && (
          <p className={styles.muted}>You can view this model; promoting, rolling back and archiving need the Editor role.</p>
        )}
        {done && <Alert severity="success" title={done} onRemove={() => setDone(null)} data-testid="mw-action-done" />}
        <AsyncContent state={data} loadingText="Loading model…">
          {({ transitions }) => (
            <>
              <h3 className={styles.section}>Incident view</h3>
              <IncidentView model={model} transitions={transitions} />
              <h3 className={styles.section}>Versions</h3>
              <VersionsTable
                versions={versions}
                selected={shownVersion?.version ?? null}
                onSelect={setSelected}
                onPromote={canAct ? (v) => setDialog({ kind: 'promote', version: v }) : undefined}
                onArchive={canAct ? (v) => setDialog({ kind: 'archive', version: v }) : undefined}
              />
              {shownVersion && (
                <div className={styles.section}>
                  <VersionDetails version={shownVersion} />
                </div>
              )}
              <h3 className={styles.section}>Recent stage transitions</h3>
              <TransitionTimeline transitions={transitions} limit={5} />
              <Link to={modelTransitionsUrl(model)}>All transitions of {model} →</Link>
            </>
          )}
        </AsyncContent>
        {dialog?.kind === 'promote' && (
          <PromoteDialog
            version={dialog.version}
            onDismiss={() => setDialog(null)}
            onDone={(to) => finish(`${model} ${dialog.version.version} moved to ${to}`)}
          />
        )}
        {dialog?.kind === 'archive' && (
          <ArchiveDialog
            version={dialog.version}
            onDismiss={() => setDialog(null)}
            onDone={() => finish(`${model} ${dialog.version.version} archived`)}
          />
        )}
        {dialog?.kind === 'retire' && (
          <RetireModelDialog
            model={model}
            kind={dialog.how}
            onDismiss={() => setDialog(null)}
            onDone={(r) =>
              r.deleted
                ? navigate(prefixRoute(ROUTES.Models))
                : finish(
                    `${model} archived; versions archived: ${r.versions.map((v) => `${v.version} (was ${v.stage})`).join(', ') || 'none'}`,
                  )
            }
          />
        )}
        {dialog?.kind === 'rollback' && productionName && (
          <RollbackDialog
            model={model}
            current={productionName}
            previous={versions.find((v) => v.version === productionName)?.predecessor ?? null}
            onDismiss={() => setDialog(null)}
            onDone={(r) =>
              finish(
                `Rolled back ${model}: ${r.toVersion || 'the previous version'} is in production, ${r.fromVersion || productionName} archived`,
              )
            }
          />
        )}
      </div>
    </PluginPage>
  );
}
