import { defineConfig } from '@playwright/test';

const port = process.env.E2E_PORT ?? '3100';

// Debian's Chromium; Playwright's own browser download is not reachable here.
const launchOptions = {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // A microphone that plays a test tone and asks nobody: the audio recorder's tests.
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  ],
};

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const desktop = { viewport: { width: 1280, height: 800 } };

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions,
    // Kyrgyz is the first language: browsers here ask for it.
    locale: 'ky-KG',
    timezoneId: 'Asia/Bishkek',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'phone', use: { ...phone } },
    { name: 'phone-nojs', use: { ...phone, javaScriptEnabled: false } },
    { name: 'desktop', use: { ...desktop } },
    { name: 'desktop-nojs', use: { ...desktop, javaScriptEnabled: false } },
  ],
  webServer: {
    command: 'bash ../scripts/e2e-server.sh',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
