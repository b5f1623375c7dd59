import { DEFAULT_URL } from './client.js';

export interface BannerFacts {
  /** The address bound, e.g. `0.0.0.0`, and the port actually bound. */
  host: string;
  port: number;
  /** A URL a local client can use (0.0.0.0 replaced by a loopback address). */
  url: string;
  store: 'sqlite' | 'postgres';
  /** Absolute path of the SQLite file (SQLite store only). */
  sqlitePath: string;
  demo: boolean;
  /** Set only on the start that generated the admin token. */
  generatedAdminToken?: string;
  /** MODELWATCH_ADMIN_TOKEN is set. */
  adminTokenFromEnv: boolean;
}

/**
 * What `modelwatch serve` prints on stdout once listening: where it listens, where the data
 * lives, the generated admin token (first start only; only its hash is stored) and three
 * commands to try next. The log (pino, JSON) is separate.
 */
export function startBanner(f: BannerFacts): string {
  const data =
    f.store === 'sqlite'
      ? `${f.sqlitePath} (SQLite; MODELWATCH_DATA_DIR moves it, MODELWATCH_DATABASE_URL switches to PostgreSQL)`
      : 'PostgreSQL at MODELWATCH_DATABASE_URL';
  const lines = [
    '',
    `modelwatch exporter listening on http://${f.host}:${f.port} (MODELWATCH_HOST, MODELWATCH_PORT)`,
    `  data:  ${data}`,
    ...(f.demo ? ['  demo:  synthetic traffic for a few demo models (serve --demo)'] : []),
    '',
  ];
  if (f.generatedAdminToken) {
    lines.push(
      'Generated bootstrap admin token (shown once; set MODELWATCH_ADMIN_TOKEN to choose your own):',
      `  ${f.generatedAdminToken}`,
      '',
    );
  }
  const token = f.generatedAdminToken
    ? '<the admin token above>'
    : f.adminTokenFromEnv
      ? '"$MODELWATCH_ADMIN_TOKEN"'
      : '<the admin token printed on the first start>';
  const urlEnv = f.url === DEFAULT_URL ? '' : `MODELWATCH_URL=${f.url} `;
  lines.push(
    'Try next:',
    `  curl ${f.url}/            # the endpoints`,
    `  curl ${f.url}/metrics     # what Prometheus scrapes`,
    `  ${urlEnv}MODELWATCH_TOKEN=${token} npx modelwatch models`,
    '',
  );
  return lines.join('\n');
}
