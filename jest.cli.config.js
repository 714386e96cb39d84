/**
 * The real-CLI suite (`npm run test:cli`): every test drives the `pulumi` CLI against the
 * emulator. It runs the compiled package (dist/), so `npm run build` comes first.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/e2e"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 600000,
  maxWorkers: 2,
};
