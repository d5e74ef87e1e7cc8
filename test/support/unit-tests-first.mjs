// Test order for `npm run mutate`: the fast unit tests first, so that a mutant they kill is not first
// run through the flow tests (Jest would start with its slowest files). Stryker stops at the first failure.
import Sequencer from '@jest/test-sequencer';

const rank = (path) => (path.includes('/test/unit/') ? 0 : 1);

export default class UnitTestsFirst extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}
