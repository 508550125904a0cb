import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, newPage, screenshot } from './helpers';

// A fixed Monday, so the test does not depend on today's weekday.
const MONDAY = '2026-11-23';

test('a student reads the week with day tabs, in Kyrgyz', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await page.getByRole('link', { name: 'Жадыбал', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
  await page.goto(`/timetable?week=${MONDAY}&day=1`);
  await expect(page.getByRole('heading', { level: 2, name: /Шейшемби/ })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) })).toHaveCount(5);
  await page.getByRole('navigation', { name: 'Аптанын күндөрү' }).getByRole('link', { name: /Дүйшөмбү/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Дүйшөмбү/ })).toBeVisible();
  await hydrated(page, testInfo);
  await screenshot(page, testInfo, 'timetable-student');
  await expectAccessible(page, testInfo);
});

// A plain form: the same with JavaScript (the islands router posts it) and without.
test.describe('the lesson link', () => {

  test('a teacher sets the link and the student gets a Join button', async ({ page, browser }, testInfo) => {
    const link = `https://meet.google.com/e2e-${testInfo.project.name}`;
    await logIn(page, 'teacher');
    // The day of the week on which the demo teacher teaches her own class, 5А.
    let day = -1;
    for (let d = 0; d < 5 && day < 0; d++) {
      await page.goto(`/timetable?week=${MONDAY}&day=${d}`);
      if ((await page.getByRole('listitem').filter({ hasText: '5А' }).count()) > 0) day = d;
    }
    expect(day).toBeGreaterThanOrEqual(0);
    await hydrated(page, testInfo);
    const lesson = page.getByRole('listitem').filter({ hasText: '5А' }).first();
    await lesson.getByText('Шилтеме жана тема').click();
    await lesson.getByLabel('Ушул күнкү шилтеме (Zoom, Meet…)').fill(link);
    await lesson.getByLabel('Ушул жумадагы тема').fill('Бөлчөктөрдү кошуу');
    await lesson.getByRole('button', { name: 'Сактоо' }).click();
    await expect(page.getByRole('status')).toContainText('Сакталды');
    await screenshot(page, testInfo, 'timetable-teacher');
    await expectAccessible(page, testInfo);

    const context = await browser.newContext({ locale: 'ky-KG', viewport: { width: 360, height: 740 }, isMobile: true });
    const phone = await context.newPage();
    await logIn(phone, 'student');
    await phone.goto(`/timetable?week=${MONDAY}&day=${day}`);
    const card = phone.getByRole('listitem').filter({ hasText: 'Осмонова Айгүл' });
    await expect(card).toContainText('Бөлчөктөрдү кошуу');
    await expect(card.getByRole('button', { name: /^Кошулуу/ })).toBeVisible();
    await context.close();
  });
});

test('a teacher uploads a PDF for the lesson and the student opens it on the phone', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const name = `Бөлчөктөр-${testInfo.project.name}.pdf`;
  const teacher = await newPage(browser, false, js);
  await logIn(teacher, 'teacher');
  let day = -1;
  for (let d = 0; d < 5 && day < 0; d++) {
    await teacher.goto(`/timetable?week=${MONDAY}&day=${d}`);
    if ((await teacher.getByRole('listitem').filter({ hasText: '5А' }).count()) > 0) day = d;
  }
  expect(day).toBeGreaterThanOrEqual(0);
  await hydrated(teacher, testInfo);
  const lesson = teacher.getByRole('listitem').filter({ hasText: '5А' }).first();
  await lesson.getByText('Шилтеме жана тема').click();
  // A web page named .pdf is refused by its content.
  await lesson.getByLabel('Материал (PDF же сүрөт, 5 МБ чейин)').setInputFiles({ name: 'virus.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script>') });
  await lesson.getByRole('button', { name: 'Материалды жүктөө' }).click();
  await expect(teacher.getByRole('alert')).toContainText('Материал');
  const again = teacher.getByRole('listitem').filter({ hasText: '5А' }).first();
  await again.getByText('Шилтеме жана тема').click();
  await again.getByLabel('Материал (PDF же сүрөт, 5 МБ чейин)').setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await again.getByRole('button', { name: 'Материалды жүктөө' }).click();
  await expect(teacher.getByRole('link', { name })).toBeVisible();
  await screenshot(teacher, testInfo, 'timetable-material-teacher');

  const student = await newPage(browser, true, js);
  await logIn(student, 'student');
  await student.goto(`/timetable?week=${MONDAY}&day=${day}`);
  const link = student.getByRole('list', { name: 'Сабактын материалдары' }).getByRole('link', { name });
  await expect(link).toBeVisible();
  const response = await student.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  await expectAccessible(student, testInfo);
  await screenshot(student, testInfo, 'timetable-material-student');
});

test.describe('offline', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'the offline copy is kept by a service worker');

  test('after one visit the student reads the week without a network, marked with when it was saved', async ({ page }, testInfo) => {
    await logIn(page, 'student');
    await page.goto('/timetable');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    // The first load registered the worker; this one goes through it and is kept.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(page.locator('[data-offline]')).toBeHidden();
    await page.reload();

    await page.context().setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сабак жадыбалы: 5А');
    const note = page.getByRole('status').filter({ hasText: 'Интернет жок' });
    await expect(note).toBeVisible();
    await expect(note.locator('time')).not.toBeEmpty();
    // The day's lessons are there to read; the page is a copy, so nothing on it is live.
    await expect(page.getByRole('listitem').filter({ hasText: '5А' }).first()).toBeVisible();
    await screenshot(page, testInfo, 'timetable-offline');
    await page.context().setOffline(false);
  });
});

test('a desktop shows the week at a glance in subject colours; a phone keeps the day list', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await page.goto('/timetable');
  const grid = page.getByRole('table', { name: 'Жуманын сабактары: сабак жана күн боюнча' });
  const phone = (testInfo.project.use.viewport?.width ?? 1280) < 600;
  if (phone) {
    await expect(grid).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Аптанын күндөрү' })).toBeVisible();
    return;
  }
  await expect(grid).toBeVisible();
  // A column per school day (Monday to Saturday) besides the periods'.
  await expect(grid.getByRole('columnheader')).toHaveCount(7);
  await expect(grid.getByRole('rowheader').first()).toContainText('1-сабак');
  const lessons = grid.locator('a.grid-lesson');
  expect(await lessons.count()).toBeGreaterThan(10);
  // Each subject has one colour wherever it is: the same name, the same class.
  const colours = await lessons.evaluateAll((links) => {
    const by: Record<string, Set<string>> = {};
    for (const a of links) {
      const name = a.querySelector('strong')?.textContent || '';
      const colour = [...a.classList].find((c) => c.startsWith('subject-')) || '';
      (by[name] ||= new Set()).add(colour);
    }
    return Object.values(by).map((s) => s.size);
  });
  expect(colours.every((n) => n === 1)).toBe(true);
  // Today's lessons are marked against the clock (the suite's starts on Wednesday at 08:35).
  expect(await grid.locator('a.grid-lesson.now, a.grid-lesson:has(.badge.next)').count()).toBeGreaterThanOrEqual(1);
  // A lesson opens its day below the grid.
  await grid.getByRole('columnheader', { name: /Бейшемби/ }).getByRole('link').click();
  await expect(page).toHaveURL(/day=3/);
  await expect(page.getByRole('heading', { level: 2, name: /Бейшемби/ })).toBeVisible();
  await screenshot(page, testInfo, 'timetable-week-grid');
  await expectAccessible(page, testInfo);
});
