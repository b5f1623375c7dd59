/**
 * The lineage a fraud_detector version carries, as the exporter's API spells it, shared by the
 * unit fixtures and the browser harness's seed so both show the same story.
 */
export function fraudDetectorLineage(v: string, dataVersion: string, parent?: string) {
  return {
    data_version: dataVersion,
    code_commit: `c0ffee${v.replace('.', '')}`,
    hyperparameters: { max_depth: 6, learning_rate: 0.1 },
    environment: { python: '3.11' },
    artifact_uri: `s3://models/fraud_detector/${v}/model.pkl`,
    tags: { owner: 'risk-team' },
    ...(parent ? { parent_version: parent } : {}),
  };
}
