// Defence in depth for the log: an error message from a credential provider could echo a key.
// Pure.

const SECRET = /(aws_secret_access_key|aws_session_token|secretaccesskey|sessiontoken)(\s*[=:]\s*)\S+|\b(AKIA|ASIA)[A-Z0-9]{16}\b/gi;

export function redact(text: string): string {
  return text.replace(SECRET, (match, key: string | undefined, separator: string | undefined) =>
    key ? `${key}${separator}[redacted]` : `${match.slice(0, 4)}…[redacted]`);
}
