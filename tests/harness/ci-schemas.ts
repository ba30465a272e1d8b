// Service `ci-schemas`: the JSON schemas of GitLab CI (`.gitlab-ci.yml`) and GitHub workflows as
// the PyPI package check-jsonschema 0.39.0 ships them (vendored from GitLab's and SchemaStore's
// sources, each with its sha256 beside it). `pip download` fetches the wheel once into the
// cache; the schemas are read out of it with Python's zipfile and checked against those sums.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, progress, withCacheLock } from './cache';
import type { Service } from './service';

export const CHECK_JSONSCHEMA_VERSION = '0.39.0';
const VENDOR = 'check_jsonschema/builtin_schemas/vendor';
const SCHEMAS = { gitlabCi: 'gitlab-ci', githubWorkflows: 'github-workflows' } as const;

export interface CiSchemasInfo {
  /** draft-07 schema of .gitlab-ci.yml */
  gitlabCi: string;
  /** schema of a GitHub Actions workflow file */
  githubWorkflows: string;
  source: string;
}

function fetchSchemas(): CiSchemasInfo {
  const dir = cacheDir('check-jsonschema', CHECK_JSONSCHEMA_VERSION);
  const file = (name: string) => path.join(dir, `${name}.json`);
  const info: CiSchemasInfo = {
    gitlabCi: file(SCHEMAS.gitlabCi),
    githubWorkflows: file(SCHEMAS.githubWorkflows),
    source: `PyPI check-jsonschema ${CHECK_JSONSCHEMA_VERSION} (${VENDOR})`,
  };
  const complete = () => fs.existsSync(path.join(dir, '.complete'));
  if (complete()) return info;
  withCacheLock(dir, () => {
    if (complete()) return;
    const t = Date.now();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    progress(`fetching check-jsonschema ${CHECK_JSONSCHEMA_VERSION} from PyPI for its CI schemas`);
    execFileSync('python3', ['-m', 'pip', 'download', '--no-deps', '-q', '-d', dir, `check-jsonschema==${CHECK_JSONSCHEMA_VERSION}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const wheel = fs.readdirSync(dir).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip download of check-jsonschema ${CHECK_JSONSCHEMA_VERSION} left no wheel in ${dir}`);
    const read = (member: string) =>
      execFileSync(
        'python3',
        [
          '-c',
          'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))',
          path.join(dir, wheel),
          member,
        ],
        {
          maxBuffer: 16 << 20,
        },
      );
    for (const name of Object.values(SCHEMAS)) {
      const body = read(`${VENDOR}/${name}.json`);
      const want = read(`${VENDOR}/sha256/${name}.sha256`).toString('utf8').trim();
      const got = createHash('sha256').update(body).digest('hex');
      if (got !== want) throw new Error(`${name}.json in ${wheel} has sha256 ${got}, its own sum says ${want}`);
      fs.writeFileSync(file(name), body);
    }
    fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString() + '\n');
    progress(`CI schemas ready in ${Math.round((Date.now() - t) / 1000)} s`);
  });
  return info;
}

export const ciSchemasService: Service<CiSchemasInfo> = {
  name: 'ci-schemas',
  start() {
    return Promise.resolve(fetchSchemas());
  },
  build() {
    fetchSchemas();
  },
  async stop() {
    /* nothing runs */
  },
};
