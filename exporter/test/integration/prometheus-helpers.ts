// The Prometheus starter now lives in test/helpers/prometheus.ts, shared with the e2e tests.
export { freePort, startPrometheus, which, type RunningPrometheus } from '../helpers/prometheus.js';
