/**
 * URLs as the API shows them: credentials redacted. Chat and CI webhook URLs, presigned
 * artifact URLs and hand-written environment settings carry secrets in the user info, in
 * query values (`?token=…`, `X-Amz-Signature=…`) or as a long random path segment
 * (`/services/T0/B0/<secret>`); an API reader (even an admin, whose screen may be shared)
 * needs the destination, not the key. Text that does not parse as a URL is returned as is.
 */
export const REDACTED = 'REDACTED';

/** A path segment that looks like a generated secret: 16+ characters of letters and digits, mixing both. */
const SECRET_SEGMENT = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}$/;

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (!/^[a-z][a-z0-9+.-]*:$/.test(url.protocol) || url.host === '') return raw;
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  const keys = [...new Set(url.searchParams.keys())];
  for (const k of keys) url.searchParams.set(k, REDACTED);
  url.pathname = url.pathname
    .split('/')
    .map((seg) => (SECRET_SEGMENT.test(seg) ? REDACTED : seg))
    .join('/');
  url.hash = url.hash ? REDACTED : '';
  return url.toString();
}

// A URL inside free text: a scheme, "://", then everything up to whitespace or a quote/bracket.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()[\]{}]+/gi;

/**
 * `text` with every URL in it redacted as redactUrl does (reasons, alert annotations). A URL with
 * nothing to redact is left exactly as written (not normalised), so clean text is unchanged.
 */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    const redacted = redactUrl(url);
    if (redacted === url) return url;
    try {
      return redacted === new URL(url).toString() ? url : redacted;
    } catch {
      return url;
    }
  });
}

/** Keys whose string values are credentials whatever they look like (lineage environment, hyperparameters). */
const SECRET_KEY = /secret|passw(?:or)?d|token|api[-_]?key|credential|private[-_]?key|signature/i;

/**
 * A copy of a JSON value fit for the audit log, which viewers read and which can never be
 * rewritten (so a secret written there stays forever): every URL in every string is redacted,
 * and a string under a credential-like key (`AWS_SECRET_ACCESS_KEY`, `db_password`, `api_key`)
 * becomes REDACTED. Numbers, booleans and keys are kept, so `max_tokens: 512` stays.
 */
export function redactSecretsDeep(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && SECRET_KEY.test(key) ? REDACTED : redactUrlsInText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecretsDeep(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a key the text rule refuses upstream must still never reach a prototype.
    Object.defineProperty(out, k, { value: redactSecretsDeep(v, k), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
