import { expect, Page, test, TestInfo } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible, hydrated, logIn, newPage, screenshot, submitAndWait, goTo } from './helpers';

// A 1×1 PNG and the first bytes of a WebM recording: what the server judges files by.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const WEBM = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01]);

/** The card of one task (by its title) on a tasks page. */
function taskCard(page: Page, title: string) {
  // The heading is "subject · title"; anchored, so "…: phone" is not "…: phone-nojs".
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`${escaped}$`) }) });
}

async function openTasks(page: Page, testInfo: TestInfo) {
  await page.goto('/tasks');
  await expect(page.getByRole('heading', { level: 1, name: 'Тапшырмалар' })).toBeVisible();
  await hydrated(page, testInfo);
}

test('a teacher gives a task, the student hands it in on a phone, it is returned, handed in again and accepted with 5, and the parent sees the grade', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const title = `Сын атооч: ${testInfo.project.name}`;

  // The teacher, at a desktop: opens the form, picks 5А and gives the task.
  const teacher = await newPage(browser, false, js);
  await logIn(teacher, 'teacher');
  await goTo(teacher, 'Тапшырмалар');
  await expect(teacher.getByRole('heading', { level: 1, name: 'Тапшырмалар' })).toBeVisible();
  await hydrated(teacher, testInfo);
  await teacher.getByText('Өз алдынча иш берүү').click();
  const choices = await teacher.getByLabel('Класс жана сабак').locator('option').allInnerTexts();
  const classAndSubject = choices.find((c) => c.startsWith('5А'))!;
  await teacher.getByLabel('Класс жана сабак').selectOption({ label: classAndSubject });
  await teacher.getByLabel('Тапшырманын аталышы').fill(title);
  await teacher.getByLabel('Иштин түрү').selectOption({ label: 'Практикалык иш' });
  await teacher.getByLabel('Көрсөтмө: эмне кылуу керек, адабият').fill('Окуу китебинин 52-бетиндеги 6-көнүгүү.');
  await submitAndWait(teacher, testInfo, () => teacher.getByRole('button', { name: 'Тапшырма берүү' }).click());
  await expect(teacher.getByRole('status')).toHaveText('Түзүлдү.');
  await expect(taskCard(teacher, title)).toContainText('Тапшырды: 0 /');
  await screenshot(teacher, testInfo, 'tasks-teacher');
  await expectAccessible(teacher, testInfo);

  // The student, on a phone: the task is to do; the work is handed in.
  const student = await newPage(browser, true, js);
  await logIn(student, 'student');
  await openTasks(student, testInfo);
  const card = taskCard(student, title);
  await expect(card).toContainText('аткарыла элек');
  await card.getByLabel('Сиздин жообуңуз').fill('Көк асман, бийик тоо, таза суу.');
  // A photo of the notebook page: the form is multipart, so the browser posts it itself.
  await card.getByLabel('Сүрөт же PDF (дептердин бети, иш)').setInputFiles({ name: 'дептер.png', mimeType: 'image/png', buffer: PNG });
  await card.getByRole('button', { name: 'Тапшыруу' }).click();
  await expect(student.getByRole('status')).toHaveText('Сакталды.');
  await expect(taskCard(student, title)).toContainText('тапшырылды, текшерүү күтөт');
  await expect(taskCard(student, title).getByRole('img', { name: 'дептер.png' })).toBeVisible();
  await screenshot(student, testInfo, 'tasks-student');
  await expectAccessible(student, testInfo);

  // The teacher opens the queue: accepting without a grade is refused; the work is returned.
  await openTasks(teacher, testInfo);
  await taskCard(teacher, title).getByRole('link', { name: 'Текшерүү (1)' }).click();
  const waiting = teacher.getByRole('region', { name: /Текшерүү күтөт: 1/ });
  await expect(waiting).toBeVisible();
  await expect(waiting.getByRole('img', { name: 'дептер.png' })).toBeVisible();
  await waiting.getByRole('button', { name: 'Кабыл алуу' }).click();
  await expect(teacher.getByRole('alert')).toContainText('Баа');
  const review = teacher.getByRole('region', { name: /Текшерүү күтөт: 1/ });
  await review.getByLabel('Пикир (окуучу көрөт)').fill('Дагы эки сүйлөм кошуңуз.');
  // An audio review beside the text: recorded in the browser (Chromium's fake microphone), or
  // without JavaScript a recording from the phone's own recorder, picked as a file.
  const audioField = review.getByLabel('Аудио пикир (3 мүнөткө чейин)');
  if (js) {
    await review.getByRole('button', { name: 'Жазуу', exact: true }).click();
    await expect(review.getByText(/Жазылууда: 3\sсек/)).toBeVisible({ timeout: 10_000 });
    await review.getByRole('button', { name: 'Токтотуу', exact: true }).click();
    await expect(review.getByText(/Жазылды: \d+\sсек/)).toBeVisible();
    await expect(review.locator('.recorder audio')).toHaveCount(1);
    const recorded = await audioField.evaluate((el) => {
      const file = (el as HTMLInputElement).files?.[0];
      return { size: file?.size ?? 0, type: file?.type ?? '' };
    });
    expect(recorded.size).toBeGreaterThan(1000);
    expect(recorded.type).toContain('audio/');
    console.log(`recorder: ${recorded.size} bytes of ${recorded.type} for about 3 s`);
    await screenshot(teacher, testInfo, 'tasks-recorded');
  } else {
    await expect(review.getByRole('button', { name: 'Жазуу', exact: true })).toHaveCount(0);
    await audioField.setInputFiles({ name: 'пикир.webm', mimeType: 'audio/webm', buffer: WEBM });
  }
  await review.getByRole('button', { name: 'Кайра иштетүүгө кайтаруу' }).click();
  await expect(teacher.getByRole('status')).toHaveText('Сакталды.');

  // The student reads why, and hands in again.
  await openTasks(student, testInfo);
  const returned = taskCard(student, title);
  await expect(returned.getByRole('note')).toContainText('Дагы эки сүйлөм кошуңуз.');
  await expect(returned.getByRole('note').locator('audio')).toHaveCount(1);
  // The review plays: the student's own session fetches the recording.
  const reviewAudio = await student.request.get((await returned.getByRole('note').locator('audio').getAttribute('src'))!);
  expect(reviewAudio.status()).toBe(200);
  expect(reviewAudio.headers()['content-type']).toMatch(/^audio\//);
  await screenshot(student, testInfo, 'tasks-returned');
  await returned.getByLabel('Сиздин жообуңуз').fill('Көк асман, бийик тоо, таза суу. Жашыл талаа, кең жайыт.');
  await returned.getByRole('button', { name: 'Кайра тапшыруу' }).click();
  await expect(student.getByRole('status')).toHaveText('Сакталды.');

  // Accepted with 5.
  await openTasks(teacher, testInfo);
  await taskCard(teacher, title).getByRole('link', { name: 'Текшерүү (1)' }).click();
  const again = teacher.getByRole('region', { name: /Текшерүү күтөт: 1/ });
  await again.getByLabel('Баа').selectOption('5');
  await again.getByLabel('Пикир (окуучу көрөт)').fill('Азаматсың!');
  await screenshot(teacher, testInfo, 'tasks-queue');
  await expectAccessible(teacher, testInfo);
  await again.getByRole('button', { name: 'Кабыл алуу' }).click();
  await expect(teacher.getByRole('status')).toHaveText('Сакталды.');
  await expect(teacher.getByRole('region', { name: /Текшерилди/ })).toContainText('Кабыл алынды, баасы: 5');

  // The parent, on a phone, sees the grade and the review.
  const parent = await newPage(browser, true, js);
  await logIn(parent, 'parent');
  await goTo(parent, 'Тапшырмалар');
  const seen = taskCard(parent, title);
  await expect(seen).toContainText('Кабыл алынды, баасы: 5');
  await expect(seen).toContainText('Азаматсың!');
  await expect(seen.getByRole('button')).toHaveCount(0);
  await screenshot(parent, testInfo, 'tasks-parent');
  await expectAccessible(parent, testInfo);

  // The grade book: the parent's child's and the student's own, the 5 under its subject.
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const grade = new RegExp(`^5, \\d\\d\\.\\d\\d: ${escaped}$`);
  await parent.getByRole('link', { name: 'Балдардын баалары' }).click();
  await expect(parent.getByRole('heading', { level: 1, name: 'Журнал' })).toBeVisible();
  await expect(parent.getByRole('listitem', { name: grade })).toBeVisible();
  await expect(parent.getByLabel('Класс жана сабак')).toHaveCount(0);
  await screenshot(parent, testInfo, 'grade-book-parent');
  await expectAccessible(parent, testInfo);
  await goTo(student, 'Журнал');
  const book = student.getByRole('region', { name: /5А/ });
  await expect(book.getByRole('listitem', { name: grade })).toBeVisible();
  await screenshot(student, testInfo, 'grade-book-student');
  await expectAccessible(student, testInfo);

  // The journal of 5А's subject has the grade.
  await teacher.goto('/journal');
  await hydrated(teacher, testInfo);
  await teacher.getByLabel('Класс жана сабак').selectOption({ label: classAndSubject });
  await submitAndWait(teacher, testInfo, () => teacher.getByRole('button', { name: 'Ачуу', exact: true }).click());
  const journal = teacher.getByRole('table', { name: /5А/ });
  await expect(journal.getByRole('cell', { name: '5', exact: true }).first()).toBeVisible();
  await screenshot(teacher, testInfo, 'journal');
  // The same journal as a spreadsheet.
  const [download] = await Promise.all([
    teacher.waitForEvent('download'),
    teacher.getByRole('link', { name: 'CSV түрүндө жүктөп алуу' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^journal-\d+-\d+\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('"Окуучу"');
  await expectAccessible(teacher, testInfo);
  for (const p of [teacher, student, parent]) await p.context().close();
});

test('home pages say what is overdue or due today, and the class teacher sees what each student is missing', async ({ page, browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  // student0006 of 5А never handed in the practical work due on Sunday.
  const student = await newPage(browser, true, js);
  await logIn(student, 'student0006');
  const card = student.getByRole('region', { name: 'Тапшырмалар' });
  await expect(card.getByRole('listitem').filter({ hasText: 'Сын атооч: 5-көнүгүү' })).toContainText('мөөнөтү өттү');
  await expect(card).toContainText(/Мөөнөтү кийинчерээк: \d+/);
  await screenshot(student, testInfo, 'home-student-tasks');
  await expectAccessible(student, testInfo);
  // One tap from the home card to the task itself.
  await card.getByRole('link', { name: /Сын атооч: 5-көнүгүү/ }).click();
  await expect(student).toHaveURL(/\/tasks#task-\d+$/);
  await expect(taskCard(student, 'Сын атооч: 5-көнүгүү')).toContainText('аткарыла элек');
  // Today's timetable says it too, above the lessons.
  await student.goto('/timetable');
  const due = student.getByRole('region', { name: 'Мөөнөтү бүгүн же өтүп кеткен тапшырмалар' });
  await expect(due.getByRole('listitem').filter({ hasText: 'Сын атооч: 5-көнүгүү' })).toContainText('мөөнөтү өттү');
  await screenshot(student, testInfo, 'timetable-tasks-due');

  // The demo student handed it in: nothing overdue on their home.
  await logIn(page, 'student');
  await expect(page.getByRole('region', { name: 'Тапшырмалар' })).not.toContainText('Сын атооч: 5-көнүгүү');

  // The class teacher of 5А: the roster lists each student's missing work.
  const teacher = await newPage(browser, false, js);
  await logIn(teacher, 'teacher');
  await expect(teacher.getByRole('main')).toContainText(/Текшерүүнү күткөн иштер: \d+|Текшерүүнү күткөн иш жок/);
  await teacher.goto('/class');
  const row = teacher.getByRole('row').filter({ hasText: 'student0006' });
  await expect(row).toContainText('Сын атооч: 5-көнүгүү');
  await expect(row).toContainText('мөөнөтү өттү');
  await screenshot(teacher, testInfo, 'class-missing-tasks');
});

test('the deputy director reads task completion per class and teacher, and picks a period', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const phone = testInfo.project.name.startsWith('phone');
  const admin = await newPage(browser, phone, js);
  await logIn(admin, 'admin');
  await admin.getByRole('link', { name: 'Тапшырмалардын аткарылышы' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Тапшырмалардын аткарылышы' })).toBeVisible();
  await hydrated(admin, testInfo);
  const byClass = admin.getByRole('table', { name: 'Класстар боюнча' });
  // 5А's practical work was due on Sunday: the demo's four hand-ins, three reviewed.
  const row = byClass.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '5А', exact: true }) });
  await expect(row.getByText(/^4 \(\d+\s%\)$/)).toBeVisible();
  // The demo's reviews came half an hour after each hand-in.
  await expect(row.getByText('0.5 саат', { exact: true })).toBeVisible();
  await expect(admin.getByRole('table', { name: 'Мугалимдер боюнча' }).getByRole('rowheader', { name: 'Осмонова Айгүл' })).toBeVisible();
  // The school's positive grades: "4 and 5" is saved and shown chosen; then back to the default.
  const grading = admin.getByRole('region', { name: 'Өз алдынча иштин оң баалары' });
  await expect(grading.getByLabel('Оң деп эсептелет')).toHaveValue('3');
  for (const [label, value] of [['4 жана 5', '4'], ['3, 4 жана 5', '3']]) {
    await grading.getByLabel('Оң деп эсептелет').selectOption({ label });
    await submitAndWait(admin, testInfo, () => grading.getByRole('button', { name: 'Сактоо' }).click());
    await expect(admin.getByRole('region', { name: 'Өз алдынча иштин оң баалары' }).getByRole('status')).toHaveText('Сакталды.');
    await expect(admin.getByLabel('Оң деп эсептелет')).toHaveValue(value);
  }
  await screenshot(admin, testInfo, 'admin-completion');
  await expectAccessible(admin, testInfo);
  // A period the wrong way round is refused with a message, not an empty page.
  await admin.getByLabel('Башы').fill('2026-12-31');
  await admin.getByLabel('Аягы').fill('2026-01-01');
  await admin.getByRole('button', { name: 'Көрсөтүү' }).click();
  await expect(admin.getByRole('alert')).toBeVisible();
});

test('a teacher changes a task nobody has handed in yet', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const phone = testInfo.project.name.startsWith('phone');
  const title = `Өзгөртүлчү: ${testInfo.project.name}`;
  const teacher = await newPage(browser, phone, js);
  await logIn(teacher, 'teacher');
  await openTasks(teacher, testInfo);
  await teacher.getByText('Өз алдынча иш берүү').click();
  const choices = await teacher.getByLabel('Класс жана сабак').locator('option').allInnerTexts();
  await teacher.getByLabel('Класс жана сабак').selectOption({ label: choices.find((c) => c.startsWith('5А'))! });
  await teacher.getByLabel('Тапшырманын аталышы').fill(title);
  await submitAndWait(teacher, testInfo, () => teacher.getByRole('button', { name: 'Тапшырма берүү' }).click());
  await expect(teacher.getByRole('status')).toHaveText('Түзүлдү.');
  await taskCard(teacher, title).getByRole('link', { name: 'Ачуу' }).click();
  await expect(teacher.getByRole('heading', { level: 1, name: new RegExp(title) })).toBeVisible();
  await hydrated(teacher, testInfo);
  await teacher.getByText('Тапшырманы өзгөртүү').click();
  await expect(teacher.getByLabel('Тапшырманын аталышы')).toHaveValue(title);
  await teacher.getByLabel('Тапшырманын аталышы').fill(`${title} (2)`);
  await teacher.getByLabel('Саат').fill('17:30');
  await submitAndWait(teacher, testInfo, () => teacher.getByRole('button', { name: 'Сактоо' }).click());
  await expect(teacher.getByRole('status')).toHaveText('Сакталды.');
  await expect(teacher.getByRole('heading', { level: 1, name: new RegExp(`${title} \\(2\\)`) })).toBeVisible();
  await expect(teacher.getByRole('main')).toContainText('17:30');
  await screenshot(teacher, testInfo, 'task-edited');
});
