// Jest runs the TypeScript tests as ES modules (amiwatch is an ES module package), transformed by
// @swc/jest: no TypeScript compiler API involved. Run with node --experimental-vm-modules.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
};
