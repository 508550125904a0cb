import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, screenshot, submitAndWait, goTo } from './helpers';

// Each project edits its own class, so the four run side by side.
const CLASS: Record<string, string> = {
  desktop: '7А',
  'desktop-nojs': '8А',
  phone: '9А',
  'phone-nojs': '9Б',
};
const ROOM: Record<string, string> = { desktop: 'А-101', 'desktop-nojs': 'А-102', phone: 'А-103', 'phone-nojs': 'А-104' };

test('the admin opens a class in the timetable editor, a clash is refused with the reason, a lesson is changed', async ({ page }, testInfo) => {
  const klass = CLASS[testInfo.project.name];
  await logIn(page, 'admin');
  await goTo(page, 'Жадыбал түзүү');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Жадыбалды түзөтүү');
  await hydrated(page, testInfo);
  await page.getByLabel('Класс же топ').selectOption({ label: klass });
  await page.getByRole('button', { name: 'Ачуу' }).click();
  await expect(page.getByRole('table', { name: `${klass}: жумалык жадыбал` })).toBeVisible();
  await hydrated(page, testInfo);

  // A second lesson for the class on Monday, first period: refused, with what and when.
  const add = page.getByRole('region', { name: 'Сабак кошуу' });
  await add.getByLabel('Күн').selectOption({ label: 'Дүйшөмбү' });
  await add.getByLabel('Сабак саны').selectOption({ index: 0 });
  await add.getByRole('button', { name: 'Кошуу' }).click();
  await expect(page.getByRole('alert')).toContainText('класстын бул убакта башка сабагы бар (Дүйшөмбү, 1-сабак)');
  await expect(page.getByRole('table', { name: `${klass}: жумалык жадыбал` })).toBeVisible();
  await screenshot(page, testInfo, 'editor-clash');

  // The Monday first-period lesson moves into a room: saved, and the grid shows it.
  const cell = page.getByRole('row', { name: /1-сабак/ }).getByRole('cell').first();
  await cell.getByRole('link', { name: /Өзгөртүү/ }).click();
  const chosen = page.locator('#selected');
  await chosen.getByLabel('Бөлмө').fill(ROOM[testInfo.project.name]);
  await expectAccessible(page, testInfo);
  await chosen.getByRole('button', { name: 'Сактоо' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
  await expect(page.getByRole('row', { name: /1-сабак/ }).getByRole('cell').first()).toContainText(ROOM[testInfo.project.name]);
  await screenshot(page, testInfo, 'editor-saved');
});

/** Next Monday as the e2e server sees it (its clock is this week's Wednesday, Bishkek time). */
function nextMonday(): string {
  const now = new Date(Date.now() + 6 * 3600 * 1000);
  const weekday = (now.getUTCDay() + 6) % 7;
  const monday = new Date(now.getTime() - weekday * 86400 * 1000 + 7 * 86400 * 1000);
  return monday.toISOString().slice(0, 10);
}

test('the admin puts a substitute on next Monday\'s first lesson and the class week shows it highlighted', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const klass = CLASS[testInfo.project.name];
  const date = nextMonday();
  await logIn(page, 'admin');
  await page.goto('/admin/timetable');
  await page.getByLabel('Класс же топ').selectOption({ label: klass });
  await page.getByRole('button', { name: 'Ачуу' }).click();
  await hydrated(page, testInfo);
  const cell = page.getByRole('row', { name: /1-сабак/ }).getByRole('cell').first();
  const regular = (await cell.locator('strong').first().innerText()).split(' · ')[1];
  await cell.getByRole('link', { name: /Өзгөртүү/ }).click();
  const form = page.locator('#selected').getByRole('group', { name: 'Бир күнгө өзгөртүү' });
  // The link leads to another page (fetched by the page script when hydrated): read the teachers
  // once it is shown, not from the page still showing.
  await expect(form.getByLabel('Алмаштыруучу мугалим')).toBeVisible();
  // The admin tries teachers until one is free then (the refusal names the clash).
  const options = await form.getByLabel('Алмаштыруучу мугалим').locator('option').allInnerTexts();
  let substitute = '';
  for (const name of options.slice(1)) {
    if (name === regular) continue;
    await form.getByLabel('Күнү').fill(date);
    await form.getByLabel('Эмне өзгөрөт').selectOption({ label: 'Башка мугалим өтөт' });
    await form.getByLabel('Алмаштыруучу мугалим').selectOption({ label: name });
    await form.getByLabel('Эскертүү').fill('Мугалим семинарда');
    // A plain form: wait for the page it leads to, not the one still showing.
    await submitAndWait(page, testInfo, () => form.getByRole('button', { name: 'Колдонуу' }).click());
    await expect(page.getByRole('status').or(page.getByRole('alert'))).toBeVisible();
    if (await page.getByRole('status').filter({ hasText: 'Сакталды.' }).count()) {
      substitute = name;
      break;
    }
    await expect(page.getByRole('alert')).toContainText('мугалимдин бул убакта башка сабагы бар');
  }
  expect(substitute).not.toBe('');

  // The class's week for that Monday: the lesson is highlighted with the substitute.
  await page.getByRole('link', { name: 'Класстын ушул жумасы, өзгөрүүлөрү менен' }).click();
  // Each click leads to another page: wait for it before the next click, or the second click
  // lands on the page still showing (this week's Monday).
  await page.getByRole('link', { name: /Кийинки апта/ }).click();
  await expect(page).toHaveURL(new RegExp(`week=${date}`));
  await page.getByRole('navigation', { name: 'Аптанын күндөрү' }).getByRole('link', { name: /Дүйшөмбү/ }).click();
  await expect(page).toHaveURL(new RegExp(`week=${date}.*day=0`));
  const lesson = page.getByRole('listitem').filter({ has: page.getByRole('note').filter({ hasText: 'Алмаштыруу' }) }).first();
  await expect(lesson.getByRole('note')).toContainText(`Алмаштыруу: ${substitute} (${regular} ордуна) · Мугалим семинарда`);
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'timetable-substitute');
});
