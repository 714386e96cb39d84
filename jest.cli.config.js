/**
 * The real-CLI suite (`npm run test:cli`): every test drives the `pulumi` CLI against the
 * emulator. The CLI's programs load the compiled package (dist/), so `npm run build` comes first.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/e2e"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 600000,
  maxWorkers: 2,
  // Only for what runs inside jest (the in-process engine of engine-parity.test.ts); the CLI's
  // programs and providers resolve the package from node_modules as a user's project does.
  moduleNameMapper: {
    "^pulumi-adobe-cja/runtime$": "<rootDir>/provider/runtime/index.ts",
    "^pulumi-adobe-cja$": "<rootDir>/provider/index.ts",
  },
};
