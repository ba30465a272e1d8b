// Deploy key titles exactly as `flux bootstrap <host>` writes them, so a repository bootstrapped
// by the CLI and then adopted by us keeps one key instead of growing a second.
//
// flux2 pkg/bootstrap/bootstrap_provider.go joins the non-empty parts of
// (namespace, branch, secretName, path) with "-" (the Go parameter names say
// secretName before branch, but the call site passes the branch second). The path is the
// `--path` flag after flags.SafeRelativePath: flattened and prefixed with "./".

export interface DeployKeyTitleInput {
  namespace: string;
  branch: string;
  secretName: string;
  /** the sync path as the user gave it; empty or absent means `--path` was not given */
  path?: string;
}

/** `--path` as flux stores it: `clusters/../a/./b` -> `./a/b`, `/x/` -> `./x`, `.` -> `./`. */
export function fluxRelativePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.trim().split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..')
      parts.pop(); // a secure join never climbs above the root
    else parts.push(seg);
  }
  return `./${parts.join('/')}`;
}

/** `flux-system-main-flux-system-./clusters/dev` for the usual flags. */
export function deployKeyTitle(input: DeployKeyTitleInput): string {
  const path = input.path === undefined || input.path === '' ? '' : fluxRelativePath(input.path);
  return [input.namespace, input.branch, input.secretName, path].filter((v) => v !== '').join('-');
}
