import { Browser, expect, Page, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'sabak2026';

/** Logs in through the login form, as a person would; with the right password, waits until the
 * page after it is there (with JavaScript the islands router posts the form and swaps the page). */
export async function logIn(page: Page, login: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Логин', { exact: true }).fill(login);
  await page.getByLabel('Сырсөз', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Кирүү', exact: true }).click();
  if (password === PASSWORD) await page.waitForURL((url) => url.pathname !== '/login');
}

/** Waits until the page script runs and the islands on the page (if any) are hydrated (skipped when JavaScript is off). */
export async function hydrated(page: Page, testInfo: TestInfo) {
  if (testInfo.project.use.javaScriptEnabled === false) return;
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** No serious or critical accessibility violations on the page as it is now. */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  // axe runs as a script in the page, which a JavaScript-off browser refuses; the markup is the
  // same server-rendered HTML that the JavaScript-on projects check.
  if (testInfo.project.use.javaScriptEnabled === false) return;
  // target-size (WCAG 2.5.8) is off in axe's defaults; every page here promises 44 px targets.
  const results = await new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.nodes.length}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(bad, bad.join('\n')).toEqual([]);
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-${name}.png`, fullPage: true });
}

/** A browser of its own for one person: a phone (360×740) or a desktop, in Kyrgyz and Bishkek
 * time, with or without JavaScript. */
export async function newPage(browser: Browser, phone = false, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({
    locale: 'ky-KG',
    timezoneId: 'Asia/Bishkek',
    viewport: phone ? { width: 360, height: 740 } : { width: 1280, height: 800 },
    isMobile: phone,
    hasTouch: phone,
    javaScriptEnabled,
  });
  return context.newPage();
}

/** Submits a form and waits for the page it leads to: with JavaScript the islands router swaps
 * the page in place (it counts them on <body data-navigations>); without, the browser loads it. */
export async function submitAndWait(page: Page, testInfo: TestInfo, submit: () => Promise<void>) {
  if (testInfo.project.use.javaScriptEnabled === false) {
    await Promise.all([page.waitForEvent('load'), submit()]);
    return;
  }
  const before = await page.evaluate(() => document.body.dataset.navigations ?? '0');
  await submit();
  await page.waitForFunction((b) => (document.body.dataset.navigations ?? '0') !== b, before);
}

/** The names of the tab bar, the menu's list of every place and the menu itself, per language. */
export const NAV = {
  ky: { tabs: 'Негизги меню', all: 'Бардык бөлүмдөр', menu: 'Меню' },
  ru: { tabs: 'Главное меню', all: 'Все разделы', menu: 'Меню' },
};

/** Opens the menu (language, account, every place) unless it is open. */
export async function openMenu(page: Page, names = NAV.ky) {
  if ((await page.locator('details.more[open]').count()) > 0) return;
  await page.locator('details.more > summary', { hasText: names.menu }).click();
}

/** Goes to a place as a person would: by its tab when the tab bar shows it, else from the menu. */
export async function goTo(page: Page, name: string, exact = false, names = NAV.ky) {
  const tab = page.getByRole('navigation', { name: names.tabs }).getByRole('link', { name, exact });
  if (await tab.isVisible()) {
    await tab.click();
    return;
  }
  await openMenu(page, names);
  await page.getByRole('navigation', { name: names.all }).getByRole('link', { name, exact }).click();
}

/** Logs out from the menu. */
export async function logOut(page: Page) {
  await openMenu(page);
  await page.getByRole('button', { name: 'Чыгуу' }).click();
}

/** `DD.MM.YYYY` as a date field shows it, as `YYYY-MM-DD` (an ISO date is kept as it is). */
export function isoOf(shown: string): string {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(shown.trim());
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : shown.trim();
}
