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
