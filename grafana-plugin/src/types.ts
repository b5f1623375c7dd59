/** What the config page stores in the app's jsonData (visible to the browser). */
export interface AppJsonData {
  /** Base URL of the exporter as Grafana's server reaches it, e.g. http://exporter:9400. */
  exporterUrl?: string;
  /** UID of the Prometheus datasource that scrapes the exporter; live metrics are hidden without it. */
  prometheusUid?: string;
}

/** Keys of secureJsonData. Grafana encrypts these and only reports whether each is set. */
export interface AppSecureJsonData {
  exporterToken?: string;
}
