import { expect, Page, test, TestInfo } from '@playwright/test';
import { goTo, hydrated, logIn, logOut, NAV, openMenu, screenshot } from './helpers';

// Navigation as a person does it, in all four profiles. With JavaScript the islands router
// fetches each page and patches the document (no full reload: a marker set on the first page
// survives); without it, every click is an ordinary page load. Both must end on the same pages.

const js = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

/** Marks the loaded document: a full reload loses the mark, a router navigation keeps it. */
async function markDocument(page: Page, testInfo: TestInfo) {
  if (!js(testInfo)) return;
  await hydrated(page, testInfo);
  await page.evaluate(() => ((window as any).__sameDocument = true));
}

async function expectSameDocument(page: Page, testInfo: TestInfo) {
  if (!js(testInfo)) return;
  expect(await page.evaluate(() => (window as any).__sameDocument === true), 'navigated without a reload').toBe(true);
}

function menu(page: Page) {
  return page.getByRole('navigation', { name: 'Негизги меню' });
}

test('back and forward through the menu, with the title following', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await expect(page).toHaveURL(/\/$/);
  await markDocument(page, testInfo);
  await goTo(page, 'Жадыбал', true);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
  await expect(page).toHaveTitle(/^Сабак жадыбалы · Сабак$/);
  await goTo(page, 'Таймер', true);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабактын таймери');
  await expect(page).toHaveTitle(/^Сабактын таймери · Сабак$/);
  await expectSameDocument(page, testInfo);

  await page.goBack();
  await expect(page).toHaveURL(/\/timetable$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
  await expect(page).toHaveTitle(/^Сабак жадыбалы · Сабак$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await page.goForward();
  await expect(page).toHaveURL(/\/timetable$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабактын таймери');
  await expectSameDocument(page, testInfo);
});

test('week paging and day tabs: the same page with other parameters', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await page.goto('/timetable?week=2026-11-23&day=0');
  await markDocument(page, testInfo);
  const days = page.getByRole('navigation', { name: 'Аптанын күндөрү' });
  await expect(page.getByRole('heading', { level: 2, name: /Дүйшөмбү/ })).toBeVisible();
  await days.getByRole('link', { name: /Шейшемби/ }).click();
  await expect(page).toHaveURL(/day=1/);
  await expect(page.getByRole('heading', { level: 2, name: /Шейшемби/ })).toBeVisible();
  // Exactly one tab is the current one: the old tab's mark went with the old page.
  await expect(days.locator('[aria-current="page"]')).toHaveCount(1);
  await expect(days.locator('[aria-current="page"]')).toContainText('Ше');
  await page.getByRole('link', { name: 'Кийинки апта →' }).click();
  await expect(page).toHaveURL(/week=2026-11-30/);
  await expect(days.getByRole('link', { name: /Дүйшөмбү 30/ })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/week=2026-11-23&day=1/);
  await expect(page.getByRole('heading', { level: 2, name: /Шейшемби/ })).toBeVisible();
  await expectSameDocument(page, testInfo);
  await screenshot(page, testInfo, 'nav-week');
});

test('login sends back to the page asked for; logout to the login page', async ({ page }, testInfo) => {
  await page.goto('/timer');
  await expect(page).toHaveURL(/\/login\?next=%2Ftimer|\/login\?next=\/timer/);
  await page.getByLabel('Логин', { exact: true }).fill('student');
  await page.getByLabel('Сырсөз', { exact: true }).fill('sabak2026');
  await page.getByRole('button', { name: 'Кирүү', exact: true }).click();
  await expect(page).toHaveURL(/\/timer$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабактын таймери');
  await markDocument(page, testInfo);
  await logOut(page);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабакка кирүү');
  // The menu of the person who left is gone.
  await expect(menu(page)).toHaveCount(0);
  await page.goto('/timetable');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('an expired session goes to the login page and back to where it was', async ({ page, context }, testInfo) => {
  await logIn(page, 'student');
  await markDocument(page, testInfo);
  await context.clearCookies();
  await goTo(page, 'Жадыбал', true);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Логин', { exact: true }).fill('student');
  await page.getByLabel('Сырсөз', { exact: true }).fill('sabak2026');
  await page.getByRole('button', { name: 'Кирүү', exact: true }).click();
  await expect(page).toHaveURL(/\/timetable$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
});

test('the language switch changes every string and stays on the page', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await page.goto('/timetable?week=2026-11-23&day=2');
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Тил' }).getByRole('link', { name: 'Русский' }).click();
  await expect(page).toHaveURL(/\/timetable\?week=2026-11-23&day=2$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Расписание: 5А');
  await expect(page).toHaveTitle(/Расписание уроков · Сабак/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await goTo(page, 'Таймер', false, NAV.ru);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Таймер урока');
  await openMenu(page, NAV.ru);
  await page.getByRole('navigation', { name: 'Язык' }).getByRole('link', { name: 'Кыргызча' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабактын таймери');
});

test('a link to a place on the page scrolls there without fetching anything', async ({ page }, testInfo) => {
  test.skip(!js(testInfo), 'without JavaScript a fragment link is the browser\'s own');
  await logIn(page, 'student');
  await markDocument(page, testInfo);
  let fetched = 0;
  page.on('request', (r) => { if (r.resourceType() === 'fetch') fetched++; });
  await page.getByRole('link', { name: 'Негизги мазмунга өтүү' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  expect(fetched).toBe(0);
  await expectSameDocument(page, testInfo);
});

test('ten pages with the timer in between leave exactly one live stream open', async ({ page }, testInfo) => {
  test.skip(!js(testInfo), 'live streams are for JavaScript; without it the timer page refreshes itself');
  // Every EventSource the page makes, to count the ones still open.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const made: EventSource[] = [];
    (window as any).__sources = made;
    (window as any).EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        made.push(this);
      }
    };
  });
  await logIn(page, 'student');
  await markDocument(page, testInfo);
  const pages: Record<string, RegExp> = {
    'Таймер': /\/timer$/, 'Жадыбал': /\/timetable$/, 'Башкы бет': /\/$/,
    'Кайтарым байланыш': /\/feedback$/, 'Башка жадыбалдар': /\/schedules$/,
  };
  const walk = ['Таймер', 'Жадыбал', 'Башкы бет', 'Таймер', 'Кайтарым байланыш', 'Башка жадыбалдар', 'Таймер', 'Жадыбал', 'Башкы бет', 'Таймер'];
  for (const name of walk) {
    await goTo(page, name, true);
    await expect(page).toHaveURL(pages[name]);
    await expect(page.locator('html[aria-busy]')).toHaveCount(0);
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабактын таймери');
  await expectSameDocument(page, testInfo);
  const open = () => page.evaluate(() => ((window as any).__sources as EventSource[]).filter((s) => s.readyState !== 2).length);
  // A left island closes its stream within half a second.
  await expect.poll(open, { timeout: 5_000 }).toBe(1);
  const made = await page.evaluate(() => (window as any).__sources.length);
  expect(made, 'one stream per visit of the timer page').toBe(4);
  await expect(page.getByRole('timer').or(page.getByText('Азыр таймер иштеп жаткан жок.'))).toBeVisible();
});

test('a page without islands fetches no WASM; the timer page does', async ({ page }, testInfo) => {
  test.skip(!js(testInfo), 'nothing runs without JavaScript');
  const wasm: string[] = [];
  page.on('request', (r) => { if (r.url().includes('.wasm')) wasm.push(r.url()); });
  await logIn(page, 'student');
  await page.goto('/timetable');
  await hydrated(page, testInfo);
  expect(wasm, 'the timetable ships no WASM').toEqual([]);
  await goTo(page, 'Таймер', true);
  await expect(page.locator('leptos-island')).toHaveCount(1);
  await expect.poll(() => wasm.length).toBe(1);
});
