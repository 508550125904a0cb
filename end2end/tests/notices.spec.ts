import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, newPage, screenshot, goTo } from './helpers';


// Every project sends its own notice (its own subject), so the four run side by side.
test('a class teacher sends a notice with a participation summary, a parent reads and confirms it, the teacher sees 1 read', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const phone = testInfo.project.name.startsWith('phone');
  const subject = `Ата-энелер чогулушу (${testInfo.project.name})`;
  const extra = 'Бектур математикадан жакшы жетишип жатат.';

  // The class teacher of 5А writes to all parents of the class.
  const teacher = await newPage(browser, false, js);
  await logIn(teacher, 'teacher');
  await goTo(teacher, 'Билдирүүлөр');
  await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Билдирүүлөр');
  await hydrated(teacher, testInfo);
  await expect(teacher.getByRole('heading', { name: 'Ата-энелерге билдирүү · 5А' })).toBeVisible();
  await teacher.getByLabel('Темасы').fill(subject);
  await teacher.getByLabel('Билдирүүнүн тексти').fill('Жума күнү саат 18:00дө онлайн чогулуш болот.');
  await expect(teacher.getByLabel('Класстын бардык ата-энелерине')).toBeChecked();
  // The summaries, auto-filled, are edited before sending.
  await teacher.getByText('Балдар жана алардын маалыматы').click();
  const child = teacher.getByRole('listitem').filter({ hasText: 'Асанова Жылдыз' });
  const part = child.getByRole('textbox', { name: 'Баланын катышуусу — Асанов Бектур' });
  await expect(part).toHaveValue(/Асанов Бектур: .* сабактын \d+ сабагына катышты/);
  await part.fill(`${await part.inputValue()}\n${extra}`);
  await expectAccessible(teacher, testInfo);
  await screenshot(teacher, testInfo, 'notices-compose');
  await teacher.getByRole('button', { name: 'Жөнөтүү', exact: true }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Билдирүү жөнөтүлдү.' })).toBeVisible();
  const sent = teacher.getByRole('listitem').filter({ has: teacher.getByRole('heading', { name: subject }) });
  await expect(sent).toContainText(/Окуду: 0 \/ \d+/);
  const total = (await sent.innerText()).match(/Окуду: 0 \/ (\d+)/)![1];

  // The parent, on a phone, sees the notice marked new with their child's part, and confirms.
  const parent = await newPage(browser, phone, js);
  await logIn(parent, 'parent');
  await goTo(parent, 'Билдирүүлөр');
  await hydrated(parent, testInfo);
  const notice = parent.getByRole('listitem').filter({ has: parent.getByRole('heading', { name: subject }) });
  await expect(notice).toContainText('жаңы');
  await expect(notice.getByRole('note')).toContainText(extra);
  await expect(notice).toContainText('Жума күнү саат 18:00дө онлайн чогулуш болот.');
  await expectAccessible(parent, testInfo);
  await screenshot(parent, testInfo, 'notices-parent');
  await notice.getByRole('button', { name: 'Окудум' }).click();
  await expect(parent.getByRole('status').filter({ hasText: 'Окуганыңыз ырасталды' })).toBeVisible();
  await expect(parent.getByRole('listitem').filter({ has: parent.getByRole('heading', { name: subject }) })).not.toContainText('жаңы');

  // The teacher sees 1 of N read, and who.
  await teacher.reload();
  const after = teacher.getByRole('listitem').filter({ has: teacher.getByRole('heading', { name: subject }) });
  await expect(after).toContainText(`Окуду: 1 / ${total}`);
  await after.getByText('Алуучулар').click();
  await expect(after.getByRole('listitem').filter({ hasText: 'Асанова Жылдыз' })).toContainText('окуду');
  await screenshot(teacher, testInfo, 'notices-read');
});
