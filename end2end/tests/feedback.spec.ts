import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, newPage, screenshot, goTo } from './helpers';

// The e2e server's clock reads this week's Wednesday 08:35: Monday's and Tuesday's lessons have
// ended and take feedback. Each project uses a student of its own class.
const STUDENT: Record<string, string> = {
  desktop: 'student0078',
  phone: 'student0089',
  'phone-nojs': 'student0100',
  'desktop-nojs': 'student0012',
};

// The first bytes of a WebM recording: what the server judges audio by.
const WEBM = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01]);

test('a student gives anonymous feedback, the teacher answers without seeing who, the student reads the answer', async ({ browser }, testInfo) => {
  // Two people in two browsers, an audio answer and full-page screenshots: a long story (19 s
  // alone, past 30 s on a busy 2-core machine), like the other multi-person stories.
  test.setTimeout(90_000);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const phone = testInfo.project.name.startsWith('phone');
  const note = `Бөлчөктөр түшүнүксүз калды (${testInfo.project.name})`;

  // The student, on their phone or desktop, rates the latest lesson anonymously.
  const student = await newPage(browser, phone, js);
  await logIn(student, STUDENT[testInfo.project.name]);
  await goTo(student, 'Кайтарым байланыш');
  await expect(student.getByRole('heading', { level: 1 })).toHaveText('Кайтарым байланыш');
  await hydrated(student, testInfo);
  const card = student.getByRole('listitem').filter({ has: student.getByRole('heading', { level: 2 }) }).first();
  const title = await card.getByRole('heading', { level: 2 }).innerText();
  const teacherName = title.split(' · ')[1].trim();
  await card.getByRole('group', { name: 'Сабакка баа (1–5)' }).getByLabel('4').check();
  await card.getByLabel('Эмне түшүнүксүз болду').fill(note);
  await card.getByLabel('Анонимдүү жөнөтүү').check();
  await expectAccessible(student, testInfo);
  await card.getByRole('button', { name: 'Жөнөтүү' }).click();
  await expect(student.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
  const sent = student.getByRole('listitem').filter({ hasText: title }).first();
  await expect(sent).toContainText('анонимдүү');
  await expect(sent).toContainText('Мугалимдин жообу күтүлүүдө.');
  await screenshot(student, testInfo, 'feedback-student');

  // The admin looks the teacher's login up (the page shows names only).
  const admin = await newPage(browser, false, true);
  await logIn(admin, 'admin');
  await admin.goto(`/admin/users?q=${encodeURIComponent(teacherName)}&role=teacher`);
  const login = (await admin.getByRole('row').filter({ hasText: teacherName }).first().getByRole('cell').nth(1).innerText()).trim();
  await admin.context().close();

  // The teacher sees the feedback without the author, and answers it.
  const teacher = await newPage(browser, false, js);
  await logIn(teacher, login);
  await teacher.goto('/feedback');
  await hydrated(teacher, testInfo);
  const item = teacher.getByRole('listitem').filter({ hasText: note });
  await expect(item).toContainText('Анонимдүү окуучу');
  const kpi = teacher.getByRole('region', { name: 'Акыркы 2 жума: катышуу жана кайтарым байланыш' });
  await expect(kpi).toBeVisible();
  // The figures come as charts against the targets, beside their table, below the inbox.
  await expect(kpi.locator('figure.chart')).toHaveCount(2);
  await expect(kpi.locator('figure.chart figcaption')).toHaveText(['Катышуу', 'Кайтарым байланыш']);
  await expect(kpi.locator('figure.chart line.chart-target')).toHaveCount(2);
  const inboxTop = (await teacher.locator('#inbox-title').boundingBox())!.y;
  expect(inboxTop).toBeLessThan((await teacher.locator('#kpi-title').boundingBox())!.y);
  await item.getByLabel('Сиздин жообуңуз').fill('Бөлчөктөрдү кийинки сабакта кайра карайбыз.');
  // And an audio answer: recorded in the browser (Chromium's fake microphone), or without
  // JavaScript a recording from the phone's own recorder, picked as a file.
  if (js) {
    await item.getByRole('button', { name: 'Жазуу', exact: true }).click();
    await expect(item.getByText(/Жазылууда: 2\sсек/)).toBeVisible({ timeout: 10_000 });
    await item.getByRole('button', { name: 'Токтотуу', exact: true }).click();
    await expect(item.getByText(/Жазылды: \d+\sсек/)).toBeVisible();
  } else {
    await expect(item.getByRole('button', { name: 'Жазуу', exact: true })).toHaveCount(0);
    await item.getByLabel('Аудио жооп (3 мүнөткө чейин)').setInputFiles({ name: 'жооп.webm', mimeType: 'audio/webm', buffer: WEBM });
  }
  await expectAccessible(teacher, testInfo);
  await screenshot(teacher, testInfo, 'feedback-teacher');
  await item.getByRole('button', { name: 'Жооп берүү' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
  await expect(teacher.getByRole('listitem').filter({ hasText: note }).locator('audio')).toHaveCount(1);

  // The student reads the answer and has its recording to play.
  await student.reload();
  const answer = student.getByRole('listitem').filter({ hasText: title }).first().getByRole('note');
  await expect(answer).toContainText('Бөлчөктөрдү кийинки сабакта кайра карайбыз.');
  await expect(answer).toContainText('Мугалимдин аудио жообу');
  // Played with the student's own session (the request shares the page's cookies).
  const played = await student.request.get((await answer.locator('audio').getAttribute('src'))!);
  expect(played.status()).toBe(200);
  expect(played.headers()['content-type']).toBe('audio/webm');
  await screenshot(student, testInfo, 'feedback-answer-audio');
});
