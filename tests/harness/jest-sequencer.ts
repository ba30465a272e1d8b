// jest's default ordering (slow and failed suites first), plus a record of the selected test
// files for global setup, which jest calls right after sort() but does not tell which files run.
import Sequencer from '@jest/test-sequencer';
import type { Test } from '@jest/test-result';
import { recordSelectedTests } from './selection';

export default class HarnessSequencer extends Sequencer {
  override sort(tests: Array<Test>): Array<Test> | Promise<Array<Test>> {
    recordSelectedTests(tests.map((t) => t.path));
    return super.sort(tests);
  }
}
