// Every piece of text that leaves a git operation (errors, stderr excerpts) passes through a
// redactor: the operation's own secrets by value, plus anything shaped like a credential.

const PATTERNS: Array<[RegExp, string]> = [
  // PEM private keys of any kind
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  // Authorization headers and their values
  [/(authorization:\s*)(basic|bearer|token)?\s*[^\s"']+/gi, '$1[redacted]'],
  // userinfo of http(s) URLs: a token alone ("https://TOKEN@host") is as secret as user:password
  [/\b(https?:\/\/)[^\s/@]+@/gi, '$1[redacted]@'],
  // the password part of userinfo in any other URL (ssh://git@host stays readable)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, '$1:[redacted]@'],
  // well-known token shapes (GitHub, GitLab)
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,})\b/g, '[redacted token]'],
];

export type Redactor = (text: string) => string;

export function makeRedactor(secrets: Array<string | undefined> = []): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  return (text: string) => {
    let out = String(text);
    for (const v of values) out = out.split(v).join('[redacted]');
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  };
}

export const redact: Redactor = makeRedactor();
