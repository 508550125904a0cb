import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, newPage, screenshot, goTo, isoOf } from './helpers';

test('an admin sees the quarters, a wrong date is refused with the reason, and the student sees the quarter', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const admin = await newPage(browser, testInfo.project.name.startsWith('phone'), js);
  await logIn(admin, 'admin');
  await goTo(admin, 'Жадыбал түзүү', true);
  await hydrated(admin, testInfo);
  const terms = admin.getByRole('region', { name: 'Окуу жылы: чейректер жана семестрлер' });
  await expect(terms).toContainText('Окуу жылынын башы: 1\u2011сентябрь');
  const q2Starts = terms.getByLabel('2-чейрек: Башталышы', { exact: true });
  const q2Ends = terms.getByLabel('2-чейрек: Аягы', { exact: true });
  const saved = await q2Ends.inputValue();
  // Dates show the way they are written here (not the browser's mm/dd/yyyy).
  expect(saved).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
  // The second quarter ending before it starts: refused with the reason, nothing changed.
  const wrong = await q2Starts.inputValue().then((d) => {
    const day = new Date(`${isoOf(d)}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 1);
    return day.toISOString().slice(0, 10);
  });
  await q2Ends.fill(wrong);
  await terms.getByRole('button', { name: 'Чейректерди сактоо' }).click();
  await expect(admin.getByRole('alert')).toContainText('2-мөөнөт башталганга чейин бүтүп калат');
  // With JavaScript the refused date stays in the field, to be corrected; a page loaded anew
  // (and so any reload) shows what is saved.
  const field = () => admin.getByRole('region', { name: 'Окуу жылы: чейректер жана семестрлер' }).getByLabel('2-чейрек: Аягы', { exact: true });
  await expect(field()).toHaveValue(js ? wrong : saved);
  await admin.reload();
  await expect(field()).toHaveValue(saved);
  await expectAccessible(admin, testInfo);
  await screenshot(admin, testInfo, 'terms-admin');

  const student = await newPage(browser, true, js);
  await logIn(student, 'student');
  await student.goto('/timetable');
  await expect(student.getByText(/-окуу жумасы · \d-чейрек, аягы: \d+\u2011/)).toBeVisible();
});
