// Jest projects, one per test layer. `npm test` (tools/test.js) runs them in
// order, one jest process per layer, with per-layer timeouts and workers;
// `npx jest --selectProjects unit` works too.
const fs = require('fs');
const path = require('path');

const LAYERS = ['unit', 'workflows', 'replay', 'e2e', 'browser', 'schemathesis'];

const transform = {
  // Transpile only (no type-check) for speed; `npm run typecheck` checks types.
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }],
};

function project(name) {
  return {
    displayName: name,
    rootDir: __dirname,
    roots: [`<rootDir>/test/${name}`],
    testEnvironment: 'node',
    testMatch: ['**/*.test.ts', '**/*.spec.ts'],
    transform,
    moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
    modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  };
}

module.exports = {
  // Global in Jest 29 (not per project); tools/test.js sets it per layer.
  testTimeout: 120_000,
  projects: LAYERS.filter((name) => fs.existsSync(path.join(__dirname, 'test', name))).map(project),
};
