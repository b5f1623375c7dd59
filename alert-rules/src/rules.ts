/** Every rule file modelwatch ships, assembled from the rule modules. */
import { businessGroup } from './alerts/business.js';
import { dataQualityGroup } from './alerts/data-quality.js';
import { driftGroup } from './alerts/drift.js';
import { estimateGroup } from './alerts/estimate.js';
import { exporterGroup } from './alerts/exporter.js';
import { qualityGroup } from './alerts/quality.js';
import { retrainingGroup } from './alerts/retraining.js';
import { servingGroup } from './alerts/serving.js';
import { recordingGroups } from './recording.js';
import type { AlertingRule, RecordingRule, RuleFile } from './rule-types.js';

export function recordingRules(): RuleFile<RecordingRule> {
  return { groups: recordingGroups() };
}

export function alertingRules(): RuleFile<AlertingRule> {
  return {
    groups: [
      qualityGroup(),
      estimateGroup(),
      driftGroup(),
      dataQualityGroup(),
      servingGroup(),
      businessGroup(),
      exporterGroup(),
      retrainingGroup(),
    ],
  };
}

/** File name (under generated/) to contents. */
export function ruleFiles(): Record<string, RuleFile<RecordingRule> | RuleFile<AlertingRule>> {
  return {
    'modelwatch.rules.yml': recordingRules(),
    'modelwatch.alerts.yml': alertingRules(),
  };
}
