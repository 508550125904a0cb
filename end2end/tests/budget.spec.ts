import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';

// The per-route byte budget: every page's first visit (HTML + CSS + JS + WASM, brotli as the
// server sends them), for every role that can open it, against end2end/route-budget.json and the
// product targets (scripts/route_bytes.py). A feature can no longer make pages that do not use
// it heavier: only the routes with islands carry the WASM.
test('every route keeps to its byte budget', async ({}, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one measurement per run');
  test.setTimeout(180_000);
  const base = testInfo.project.use.baseURL as string;
  let output = '';
  let failed = false;
  try {
    output = execFileSync('python3', ['../scripts/route_bytes.py', base, '--check', 'route-budget.json'], { encoding: 'utf8' });
  } catch (e: any) {
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    failed = true;
  }
  console.log(output);
  expect(failed, output).toBe(false);
  expect(output).toMatch(/routes within their budgets/);
});
