/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
  // The serialized providers load the runtime by the package's own name; in tests that is this tree.
  moduleNameMapper: {
    "^pulumi-adobe-cja/runtime$": "<rootDir>/provider/runtime/index.ts",
    "^pulumi-adobe-cja$": "<rootDir>/provider/index.ts",
  },
};
