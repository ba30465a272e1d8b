// A jest transformer for the few dependencies that ship only ES modules (@octokit/*): jest on
// Node 22 cannot require() them (it can from Node 24.9), so they are compiled to CommonJS with
// the TypeScript compiler the project already has. Our own code needs no transform.
import { createHash } from 'node:crypto';
import * as ts from 'typescript';

const options: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  allowJs: true,
  inlineSourceMap: false,
};

const transformer = {
  process(source: string, filename: string): { code: string } {
    return { code: ts.transpileModule(source, { fileName: filename, compilerOptions: options }).outputText };
  },
  getCacheKey(source: string, filename: string): string {
    return createHash('sha1').update(ts.version).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};

export = transformer;
