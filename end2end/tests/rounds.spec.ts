import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, newPage, screenshot, goTo } from './helpers';

// Each project opens its survey for a class of its own (11 students each); the first two
// students of that class answer and get reminded.
const CLASS: Record<string, { name: string; first: number }> = {
  desktop: { name: '10А', first: 243 },
  phone: { name: '10Б', first: 254 },
  'phone-nojs': { name: '11А', first: 265 },
  'desktop-nojs': { name: '11Б', first: 276 },
};
const login = (n: number) => `student${String(n).padStart(4, '0')}`;

test('an admin opens a survey, a student answers on the phone, the admin sees the results and reminds the rest', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const phone = testInfo.project.name.startsWith('phone');
  const { name: className, first } = CLASS[testInfo.project.name];
  const title = `Алыстан окуу кандай өтүүдө? (${testInfo.project.name})`;

  // The admin composes the survey: a rating, a choice and a text question, every two weeks.
  const admin = await newPage(browser, false, js);
  await logIn(admin, 'admin');
  await goTo(admin, 'Сурамжылоолор');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Кайтарым байланыш сурамжылоолору');
  await hydrated(admin, testInfo);
  const form = admin.getByRole('region', { name: 'Жаңы сурамжылоо' });
  await form.getByLabel('Аталышы').fill(title);
  await form.getByLabel('Кимге').selectOption({ label: className });
  await form.getByLabel('Кайталоо').selectOption({ label: '14 күн сайын' });
  await form.getByLabel('1-суроо', { exact: true }).fill('Сабактар түшүнүктүүбү?');
  await form.getByLabel('2-суроонун түрү').selectOption({ label: 'Тандоо' });
  await form.getByLabel('2-суроо', { exact: true }).fill('Эмне көбүрөөк жардам берет?');
  await form.getByLabel('2-суроонун варианттары (тандоо үчүн)').fill('Видео сабак\nТапшырма\nКонсультация');
  await form.getByLabel('3-суроо', { exact: true }).fill('Сунушуңуз');
  await expectAccessible(admin, testInfo);
  await form.getByRole('button', { name: 'Сурамжылоону ачуу' }).click();
  await expect(admin.getByRole('status')).toHaveText('Сурамжылоо ачылды.');
  const card = admin.getByRole('listitem').filter({ hasText: title });
  await expect(card).toContainText('Жооп бергендер: 11 окуучунун 0 (0 %)');
  await expect(card).toContainText('Жооп бере элек: 11');

  // A student of that class answers on their phone.
  const student = await newPage(browser, true, js);
  await logIn(student, login(first));
  await student.goto('/feedback');
  await hydrated(student, testInfo);
  const surveys = student.getByRole('region', { name: 'Сурамжылоолор' });
  const survey = surveys.getByRole('listitem').filter({ hasText: title });
  await survey.getByRole('group', { name: 'Сабактар түшүнүктүүбү?' }).getByLabel('5').check();
  await survey.getByRole('group', { name: 'Эмне көбүрөөк жардам берет?' }).getByLabel('Тапшырма').check();
  await survey.getByLabel('Сунушуңуз').fill('Тапшырмаларды эртерээк жиберсеңиз');
  await expectAccessible(student, testInfo);
  await screenshot(student, testInfo, 'survey-student');
  await survey.getByRole('button', { name: 'Жөнөтүү' }).click();
  await expect(student.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
  await expect(student.getByRole('region', { name: 'Сурамжылоолор' }).getByRole('listitem').filter({ hasText: title })).toContainText('жөнөтүлдү');

  // The admin sees one answer counted; the results wait for the round to close with at least
  // five answers (next to the list of who has not answered, they would name their authors).
  // The admin reminds the other ten.
  await admin.reload();
  await expect(card).toContainText('Жооп бергендер: 11 окуучунун 1 (9 %)');
  await expect(card).toContainText('Жыйынтыктар айлампа жабылганда көрсөтүлөт, эгер кеминде 5 окуучу жооп берсе');
  await expect(card).not.toContainText('Тапшырмаларды эртерээк жиберсеңиз');
  await card.getByRole('button', { name: 'Жооп бербегендерге эскертүү' }).click();
  await expect(admin.getByRole('status')).toHaveText('Жооп бербегендерге эскертүү жөнөтүлдү.');
  await expect(admin.getByRole('listitem').filter({ hasText: title })).toContainText('Эскертүү алгандар: 10');
  await screenshot(admin, testInfo, 'survey-admin');

  // A classmate who has not answered sees the reminder.
  const classmate = await newPage(browser, true, js);
  await logIn(classmate, login(first + 1));
  await classmate.goto('/feedback');
  await expect(classmate.getByRole('listitem').filter({ hasText: title }).getByRole('note')).toHaveText('Мугалим бул сурамжылоого жооп берүүнү суранат.');
});
