import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, newPage, screenshot, goTo } from './helpers';

test('an admin adds a TV lesson and a student of that grade sees it on the phone', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const subject = `Математика (${testInfo.project.name})`;
  const admin = await newPage(browser, false, js);
  await logIn(admin, 'admin');
  await goTo(admin, 'Башка жадыбалдар');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Башка жадыбалдар');
  await hydrated(admin, testInfo);
  const tv = admin.getByRole('region', { name: 'Телесабактар' });
  await tv.getByText('Телесабак кошуу').click();
  await tv.getByLabel('Телеканал', { exact: true }).fill('ЭлТР');
  await tv.getByLabel('Сабак (предмет)', { exact: true }).fill(subject);
  await tv.getByLabel('Тема', { exact: true }).fill('Бөлчөктөрдү кошуу');
  // Grades 9-5: refused with the reason, nothing added.
  await tv.getByLabel('Класстан', { exact: true }).fill('9');
  await tv.getByLabel('Класска чейин', { exact: true }).fill('5');
  await tv.getByRole('button', { name: 'Кошуу' }).click();
  await expect(admin.getByRole('alert')).toContainText('Класс');
  const again = admin.getByRole('region', { name: 'Телесабактар' });
  await again.getByText('Телесабак кошуу').click();
  await again.getByLabel('Телеканал', { exact: true }).fill('ЭлТР');
  await again.getByLabel('Сабак (предмет)', { exact: true }).fill(subject);
  await again.getByLabel('Класстан', { exact: true }).fill('5');
  await again.getByLabel('Класска чейин', { exact: true }).fill('9');
  await again.getByRole('button', { name: 'Кошуу' }).click();
  await expect(admin.getByRole('status')).toHaveText('Сакталды.');
  await expect(admin.getByRole('listitem').filter({ hasText: subject })).toContainText('ЭлТР');
  await expectAccessible(admin, testInfo);
  await screenshot(admin, testInfo, 'schedules-admin');

  const student = await newPage(browser, true, js);
  await logIn(student, 'student');
  await student.goto('/schedules');
  const lesson = student.getByRole('listitem').filter({ hasText: subject });
  await expect(lesson).toContainText('5–9-класстар');
  await expect(student.getByRole('button', { name: /Өчүрүү/ })).toHaveCount(0);
  await expectAccessible(student, testInfo);
  await screenshot(student, testInfo, 'schedules-student');
});
