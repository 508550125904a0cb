import { expect, Page, test, TestInfo } from '@playwright/test';
import { expectAccessible, logIn, openMenu, screenshot } from './helpers';

// The frame every page shares, as each role meets it: a top bar no taller than 64 px on a phone,
// a tab bar with the role's daily places (the current one marked), a menu with everything else,
// every tappable at least 44 × 44 px, nothing wider than the screen.

const onPhone = (testInfo: TestInfo) => (testInfo.project.use.viewport?.width ?? 1280) < 600;

/** The things a finger taps (inline links in running text are exempt, as in WCAG 2.5.8). */
const TAPPABLE = [
  'button', 'select', 'summary', 'a.button', 'nav.tabs a', 'ul.places a', '.langs a', '.day-tabs a',
  'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"])',
].join(', ');

async function checkFrame(page: Page, testInfo: TestInfo) {
  if (onPhone(testInfo)) {
    const header = await page.locator('header.top').boundingBox();
    expect(header!.height, 'the top bar on a phone').toBeLessThanOrEqual(64);
  }
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // The innermost elements that reach past the screen's edge name the culprit in the message.
    const past = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5);
    const culprits = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
    return {
      by: document.documentElement.scrollWidth - width,
      culprits: culprits.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 30)}"`),
    };
  });
  expect(overflow.by, `sideways scrolling on ${page.url()}: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
  const small = await page.evaluate((selector) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not shown (a closed menu, a hidden form)
      if (r.height < 44 || r.width < 44) {
        out.push(`${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  }, TAPPABLE);
  expect(small, `targets under 44 px on ${page.url()}:\n${small.join('\n')}`).toEqual([]);
}

for (const login of ['student', 'teacher', 'parent', 'admin', 'expert', 'organiser']) {
  test(`${login}: the tab bar marks where they are, the menu holds the rest, every target is 44 px`, async ({ page }, testInfo) => {
    await logIn(page, login);
    const tabs = page.getByRole('navigation', { name: 'Негизги меню' });
    await expect(tabs.locator('[aria-current="page"]')).toHaveText('Башкы бет');
    const hrefs = await tabs.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') || ''));
    expect(hrefs.length).toBeGreaterThanOrEqual(3);
    expect(hrefs.length).toBeLessThanOrEqual(5);
    for (const [i, href] of hrefs.entries()) {
      await page.goto(href);
      const current = tabs.locator('[aria-current="page"]');
      await expect(current).toHaveCount(1);
      await expect(current).toHaveAttribute('href', href);
      await checkFrame(page, testInfo);
      await screenshot(page, testInfo, `shell-${login}-${i}`);
    }
    await page.goto('/');
    await openMenu(page);
    const all = page.getByRole('navigation', { name: 'Бардык бөлүмдөр' });
    await expect(all).toBeVisible();
    // The menu lists every tab's place and marks the same current one.
    await expect(all.locator('[aria-current="page"]')).toHaveAttribute('href', '/');
    expect(await all.getByRole('link').count()).toBeGreaterThanOrEqual(hrefs.length);
    await expect(page.getByRole('button', { name: 'Чыгуу' })).toBeVisible();
    await checkFrame(page, testInfo);
    await screenshot(page, testInfo, `shell-${login}-menu`);
    await expectAccessible(page, testInfo);
  });
}

test('the student home shows today: the lesson going on or next, with Join, and the day marked', async ({ page }, testInfo) => {
  // The suite's clock starts on a Wednesday at 08:35, in the first lesson.
  await logIn(page, 'student');
  const today = page.getByRole('region', { name: 'Бүгүн' });
  await expect(today.getByRole('button', { name: /^Кошулуу — / })).toBeVisible();
  await expect(today.locator('.badge.now, .badge.next').first()).toBeVisible();
  expect(await today.getByRole('listitem').count()).toBeGreaterThanOrEqual(3);
  // Today is above everything else on the page.
  const first = await page.locator('main .cards > section').first().getAttribute('aria-labelledby');
  expect(first).toBe('today-card');
  await checkFrame(page, testInfo);
  await screenshot(page, testInfo, 'home-student-today');
  await expectAccessible(page, testInfo);
});

test('a parent sees each child\'s day; a teacher their lessons today and what waits for them', async ({ page, browser }, testInfo) => {
  await logIn(page, 'parent');
  for (const child of ['Асанов Бектур', 'Эсенгулова Айпери']) {
    const card = page.getByRole('region', { name: child });
    await expect(card.getByRole('heading', { name: 'Бүгүн', level: 3 })).toBeVisible();
  }
  await expect(page.getByRole('region', { name: 'Билдирүүлөр' })).toContainText(/Окула элек билдирүүлөр: \d+|Бардык билдирүүлөр окулду/);
  await screenshot(page, testInfo, 'home-parent-today');
  await page.context().clearCookies();
  await logIn(page, 'teacher');
  const lessons = page.getByRole('region', { name: 'Бүгүнкү сабактарым' });
  await expect(lessons.getByRole('listitem').first()).toBeVisible();
  await expect(lessons.getByRole('link', { name: 'Сабактын таймери' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(/Жооп күткөн пикирлер: \d+|Бардык пикирлерге жооп берилди/);
  await screenshot(page, testInfo, 'home-teacher-today');
});

for (const [code, tabsName, todayName] of [['ru', 'Главное меню', 'Сегодня'], ['en', 'Main menu', 'Today']]) {
  test(`in ${code} the student's home and timetable fit the phone and mark the current tab`, async ({ page }, testInfo) => {
    await logIn(page, 'student');
    await page.goto(`/lang/${code}?back=%2F`);
    await expect(page.locator('html')).toHaveAttribute('lang', code);
    const tabs = page.getByRole('navigation', { name: tabsName });
    await expect(tabs.locator('[aria-current="page"]')).toHaveCount(1);
    await expect(page.getByRole('region', { name: todayName })).toBeVisible();
    await checkFrame(page, testInfo);
    await screenshot(page, testInfo, `home-student-${code}`);
    await expectAccessible(page, testInfo);
    await page.goto('/timetable');
    await expect(tabs.locator('[aria-current="page"]')).toHaveAttribute('href', '/timetable');
    await checkFrame(page, testInfo);
    await screenshot(page, testInfo, `timetable-student-${code}`);
    await expectAccessible(page, testInfo);
    // Back to Kyrgyz, so the person's choice does not leak into other tests of the same login.
    await page.goto('/lang/ky?back=%2F');
  });
}
