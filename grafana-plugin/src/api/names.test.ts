import { isName, modelNameProblem } from './names';

// Boundaries of the rule as the exporter states it (exporter/test/names.test.ts checks the same
// cases against exporter/src/names.ts; name-rule.json is generated from it).
describe('the name rule shared with the exporter', () => {
  it.each([
    ['fraud_detector', true],
    ['v1.2.3-rc1', true],
    ['température', true],
    ['fraud scorer', false],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    [' leading', false],
    ['trailing ', false],
    ['_hidden', false],
    ['a/b', false],
    ['..', false],
  ])('%j is a name: %s', (value, expected) => {
    expect(isName(value)).toBe(expected);
  });

  it('explains a refusal with the rule', () => {
    expect(modelNameProblem('a/b')).toMatch(/1-128 characters/);
    expect(modelNameProblem('fraud_scorer')).toBeUndefined();
  });
});
