import { afterAll, vi } from 'vitest';

/**
 * Test files share their worker process (`isolate: false`, vitest.config.ts): a file that leaves
 * an environment variable changed or fake timers on would change the files after it, in an order
 * that differs between runs. This runs around every file, puts the environment back and fails
 * the file that leaked, naming what it left behind.
 */
const before = { ...process.env };

afterAll(() => {
  const changed = new Set<string>();
  for (const [name, value] of Object.entries(process.env)) if (before[name] !== value) changed.add(name);
  for (const name of Object.keys(before)) if (!(name in process.env)) changed.add(name);
  for (const name of changed) {
    if (before[name] === undefined) delete process.env[name];
    else process.env[name] = before[name];
  }
  const fakeTimers = vi.isFakeTimers();
  if (fakeTimers) vi.useRealTimers();
  const leaks = [
    ...[...changed].map((name) => `process.env.${name}`),
    ...(fakeTimers ? ['fake timers'] : []),
  ];
  if (leaks.length) {
    throw new Error(
      `This file left ${leaks.join(', ')} changed for the files after it: restore it (vi.stubEnv, vi.useRealTimers)`,
    );
  }
});
