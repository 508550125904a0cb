import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, screenshot, logOut } from './helpers';

// What each demo role must see on its home page (in Kyrgyz).
const homes: { login: string; see: RegExp[] }[] = [
  { login: 'admin', see: [/Мектеп/, /Колдонуучулар/] },
  { login: 'teacher', see: [/Мен жетектеген класс: 5А/] },
  { login: 'student', see: [/Менин классым: 5А/] },
  { login: 'parent', see: [/Асанов Бектур/, /Классы: 2Б/] },
  { login: 'organiser', see: [/сынагы/, /Азыр:/] },
  { login: 'expert', see: [/сынагы/, /Азыр:/] },
];

for (const { login, see } of homes) {
  test(`${login} logs in and sees their home`, async ({ page }, testInfo) => {
    await logIn(page, login);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Саламатсызбы');
    for (const text of see) {
      await expect(page.getByRole('main')).toContainText(text);
    }
    // The account's way out sits in the menu, one tap away.
    await expect(page.getByRole('button', { name: 'Чыгуу', includeHidden: true })).toBeAttached();
    await hydrated(page, testInfo);
    await screenshot(page, testInfo, `home-${login}`);
    await expectAccessible(page, testInfo);
  });
}

test('wrong password shows the message and keeps you out', async ({ page }, testInfo) => {
  await logIn(page, 'admin', 'wrong-password');
  await expect(page.getByRole('alert')).toHaveText('Логин же сырсөз туура эмес.');
  await expect(page.getByRole('heading', { name: 'Сабакка кирүү' })).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('switch to Russian and back to Kyrgyz', async ({ page }, testInfo) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Сабакка кирүү' })).toBeVisible();
  await page.getByRole('link', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { name: 'Вход в Сабак' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.getByRole('link', { name: 'Кыргызча' }).click();
  await expect(page.getByRole('heading', { name: 'Сабакка кирүү' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ky');
});

test('logout returns to the login page', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await expect(page.getByRole('main')).toContainText('Менин классым: 5А');
  await logOut(page);
  await expect(page.getByRole('heading', { name: 'Сабакка кирүү' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('unknown pages say so', async ({ page }, testInfo) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Бет табылган жок' })).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('a student cannot open admin pages', async ({ page }, testInfo) => {
  await logIn(page, 'student');
  await page.goto('/admin/users');
  await expect(page.getByRole('alert')).toContainText('Бул аракетке укугуңуз жок.');
  await expectAccessible(page, testInfo);
});
