import { availableParallelism } from 'node:os';

const cores = availableParallelism();

/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  testTimeout: 30000,
  // Jest's default is one worker fewer than the cores: one on a 2-core machine,
  // file after file. Many files wait on other processes (the spawned CLI,
  // moto_server, Chromium), so two workers beyond the cores keep them busy:
  // on 2 cores, `npm test` took 150-180 s with 2 workers, 130 s with 3, 110 s with 4.
  maxWorkers: Math.min(cores * 2, cores + 2),
};
