import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, screenshot, goTo } from './helpers';

test('admin pages list people and classes', async ({ page }, testInfo) => {
  await logIn(page, 'admin');
  await page.getByRole('link', { name: 'Колдонуучулар' }).first().click();
  await expect(page.getByRole('heading', { name: 'Колдонуучулар', level: 1 })).toBeVisible();
  const search = page.getByRole('search');
  await search.getByLabel('Аты же логини').fill('teacher');
  await search.getByLabel('Ролу').selectOption('teacher');
  await search.getByRole('button', { name: 'Издөө' }).click();
  // On a phone the table is a list of rows, each value with its column's name.
  await expect(page.getByRole('cell', { name: /^(Логин: )?teacher$/ })).toBeVisible();
  await hydrated(page, testInfo);
  await screenshot(page, testInfo, 'admin-users');
  await expectAccessible(page, testInfo);
  await page.goto('/admin/classes');
  await expect(page.getByRole('rowheader', { name: '5А', exact: true })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /ПИ-1-25/ })).toBeVisible();
  await screenshot(page, testInfo, 'admin-classes');
  await expectAccessible(page, testInfo);
});

test('admin prints the week of a class and of a teacher (the AVN reports)', async ({ page }, testInfo) => {
  await logIn(page, 'admin');
  await goTo(page, 'Отчеттор');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Жадыбал отчеттору');
  await page.getByRole('region', { name: 'Класстар боюнча' }).getByRole('link', { name: '5А', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('5А классынын сабак жадыбалы');
  const grid = page.getByRole('table');
  await expect(grid.getByRole('columnheader')).toHaveCount(6);
  await expect(grid.getByRole('rowheader').first()).toContainText('08:30');
  await expect(grid.getByRole('cell').filter({ hasText: 'Математика' }).first()).toBeVisible();
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'print-class');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Негизги меню' })).toBeHidden();
  await screenshot(page, testInfo, 'print-class-paper');
  await page.emulateMedia({ media: 'screen' });
  await page.goBack();
  await page.getByRole('region', { name: 'Мугалимдер боюнча' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Мугалимдин сабак жадыбалы');
});

// Plain forms: the same with JavaScript (the islands router posts them) and without.
test.describe('editing', () => {

  test('admin imports teachers; a bad row is reported and nothing is added', async ({ page }, testInfo) => {
    await logIn(page, 'admin');
    await page.goto('/admin/import');
    await hydrated(page, testInfo);
    const suffix = `${testInfo.project.name.replace(/-/g, '')}${Date.now() % 100000}`;
    await page.getByLabel('Кимдер').selectOption('teachers');
    await page.getByLabel('CSV маалымат').fill(`login,full_name,password\nt${suffix},Жаңы Мугалим,parol-1234\nx,Ы,123\n`);
    await page.getByRole('button', { name: 'Импорттоо', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('эч ким кошулган жок');
    // Line 3 has three problems (login, name, password), each on its own row.
    await expect(page.getByRole('alert').getByRole('cell', { name: '3', exact: true })).toHaveCount(3);
    await screenshot(page, testInfo, 'admin-import-errors');
    // What was chosen stays after the refusal with JavaScript; a page loaded anew starts over.
    if (testInfo.project.use.javaScriptEnabled === false) await page.getByLabel('Кимдер').selectOption('teachers');
    else await expect(page.getByLabel('Кимдер')).toHaveValue('teachers');
    await page.getByLabel('CSV маалымат').fill(`login,full_name,password\nt${suffix},Жаңы Мугалим,parol-1234\n`);
    await page.getByRole('button', { name: 'Импорттоо', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Кошулду: 1');
    await expectAccessible(page, testInfo);
  });

  test('admin imports a timetable; every bad row is reported and nothing is saved', async ({ page }, testInfo) => {
    await logIn(page, 'admin');
    await page.goto('/admin/import');
    await hydrated(page, testInfo);
    const section = page.getByRole('region', { name: 'Жадыбалды CSV аркылуу импорттоо' });
    await section.getByLabel('Жадыбал (CSV)').fill(
      'class,weekday,period,subject,teacher\n5А,1,1,Mathematics,teacher\n12Я,Дүйшөмбү,1,Mathematics,teacher\n5Б,8,1,Химия-2,nobody\n',
    );
    await section.getByRole('button', { name: 'Жадыбалды импорттоо' }).click();
    const alert = section.getByRole('alert');
    await expect(alert).toBeVisible();
    // Line 2 clashes with 5А's Monday, line 3 names no class, line 4 has three problems.
    await expect(alert.getByRole('cell', { name: '2', exact: true })).toHaveCount(1);
    await expect(alert.getByRole('cell', { name: '3', exact: true })).toHaveCount(1);
    await expect(alert.getByRole('cell', { name: '4', exact: true })).toHaveCount(3);
    await expect(section.getByRole('status')).toHaveCount(0);
    await screenshot(page, testInfo, 'admin-timetable-import-errors');
    await expectAccessible(page, testInfo);
  });

  test('class teacher gives a join code and the parent registers with it', async ({ page, browser }, testInfo) => {
    await logIn(page, 'teacher');
    await goTo(page, 'Менин классым');
    await expect(page.getByRole('heading', { name: '5А классы' })).toBeVisible();
    await hydrated(page, testInfo);
    // A student of its own per profile: a new code replaces the student's last one.
    const nth: Record<string, number> = { phone: 2, desktop: 3, 'phone-nojs': 4, 'desktop-nojs': 5 };
    const row = page.getByRole('row').filter({ hasNotText: 'Асанов Бектур' }).nth(nth[testInfo.project.name]);
    const childName = (await row.getByRole('rowheader').innerText()).split('\n')[0];
    await row.getByRole('button', { name: 'Код берүү' }).click();
    // Every post shows its code (the page once built its rows twice and lost it about one time in three).
    const code = (await row.locator('.code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await screenshot(page, testInfo, 'class-join-code');
    await expectAccessible(page, testInfo);

    const parentContext = await browser.newContext({ locale: 'ky-KG', viewport: { width: 360, height: 740 } });
    const parent = await parentContext.newPage();
    await parent.goto('/register');
    await parent.getByLabel('Код').fill(code.toLowerCase());
    await parent.getByLabel('Аты-жөнүңүз').fill('Жаңы Ата-эне');
    await parent.getByLabel('Логин ойлоп табыңыз').fill(`ata${Date.now() % 1000000}`);
    await parent.getByLabel('Сырсөз ойлоп табыңыз').fill('ata-parol-123');
    await parent.getByRole('button', { name: 'Катталуу' }).click();
    await expect(parent.getByRole('main')).toContainText(childName);
    await parentContext.close();
  });
});
