import { Browser, expect, Page, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, screenshot } from './helpers';

// The e2e server's clock reads this week's Wednesday (scripts/e2e-server.sh). Each project uses
// its own class and teacher, so the four projects can run side by side on one server.
const PLAN: Record<string, { teacher: string; student: string; klass: string; cap: number }> = {
  desktop: { teacher: 'teacher018', student: 'student0078', klass: '3А', cap: 25 },
  phone: { teacher: 'teacher019', student: 'student0089', klass: '3Б', cap: 25 },
  'phone-nojs': { teacher: 'teacher003', student: 'student0100', klass: '3В', cap: 25 },
  'desktop-nojs': { teacher: 'teacher012', student: 'student0012', klass: '1А', cap: 20 },
};

async function phonePage(browser: Browser, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({
    locale: 'ky-KG',
    timezoneId: 'Asia/Bishkek',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
  });
  return context.newPage();
}

async function desktopPage(browser: Browser, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({
    locale: 'ky-KG',
    timezoneId: 'Asia/Bishkek',
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled,
  });
  return context.newPage();
}

test.describe('live, with JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'the live countdown is the hydrated page');

  test('a teacher starts a grade-3 lesson within 25 minutes and the student phone follows it live', async ({ browser }, testInfo) => {
    const ru = testInfo.project.name === 'phone';
    const plan = PLAN[testInfo.project.name];
    const text = ru
      ? { cap: 'Предел: 25 мин', length: 'Длительность (мин)', start: /^Запустить/, rule: 'не дольше 25 мин', none: 'Сейчас таймер не запущен.',
          pause: 'Пауза', paused: 'Пауза: таймер остановлен', resume: 'Продолжить', stop: 'Завершить', ended: 'Урок окончен. Сделайте перерыв!' }
      : { cap: 'Чеги: 25 мүн', length: 'Узактыгы (мүнөт)', start: /^Баштоо/, rule: '25 мүнөттөн ашпашы керек', none: 'Азыр таймер иштеп жаткан жок.',
          pause: 'Тыныгуу', paused: 'Тыныгуу: таймер токтотулду', resume: 'Улантуу', stop: 'Бүтүрүү', ended: 'Сабак бүттү. Тыныгуу алыңыз!' };

    // The teacher on a desktop.
    const teacher = await desktopPage(browser);
    await logIn(teacher, plan.teacher);
    await teacher.goto(ru ? '/lang/ru?back=/timer' : '/timer');
    const lesson = teacher.getByRole('listitem').filter({ hasText: plan.klass });
    await expect(lesson.first()).toContainText(text.cap);
    await lesson.first().getByLabel(text.length).fill('40');
    await lesson.first().getByRole('button', { name: text.start }).click();
    await expect(teacher.getByRole('alert')).toContainText(text.rule);

    // The student on a phone, waiting.
    const student = await phonePage(browser);
    await logIn(student, plan.student);
    await student.goto(ru ? '/lang/ru?back=/timer' : '/timer');
    await expect(student.getByRole('status').filter({ hasText: text.none })).toBeVisible();
    await student.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });

    // Start 20 minutes: the phone shows it without a reload, and it moves.
    await teacher.getByRole('listitem').filter({ hasText: plan.klass }).first().getByLabel(text.length).fill('20');
    await teacher.getByRole('listitem').filter({ hasText: plan.klass }).first().getByRole('button', { name: text.start }).click();
    await expect(teacher.getByRole('timer')).toBeVisible();
    const clock = student.getByRole('timer');
    await expect(clock).toHaveText(/^(20:00|19:[0-5]\d)$/, { timeout: 3000 });
    const shown = (await clock.textContent()) ?? '';
    await expect(clock).not.toHaveText(shown, { timeout: 3000 });
    await screenshot(student, testInfo, 'timer-student-running');

    // Pause on the teacher's page shows as paused on the phone within a second.
    await teacher.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
    await teacher.getByRole('button', { name: text.pause, exact: true }).click();
    await expect(student.getByRole('status').filter({ hasText: text.paused })).toBeVisible({ timeout: 1000 });
    const frozen = (await clock.textContent()) ?? '';
    await student.waitForTimeout(1500);
    await expect(clock).toHaveText(frozen);
    await screenshot(student, testInfo, 'timer-student-paused');

    await teacher.getByRole('button', { name: text.resume, exact: true }).click();
    await expect(student.getByRole('status').filter({ hasText: text.paused })).toHaveCount(0, { timeout: 2000 });
    await screenshot(teacher, testInfo, 'timer-teacher-running');
    await expectAccessible(teacher, testInfo);
    await expectAccessible(student, testInfo);

    await teacher.getByRole('button', { name: text.stop, exact: true }).click();
    await expect(student.getByRole('status').filter({ hasText: text.ended })).toBeVisible({ timeout: 2000 });
    await screenshot(student, testInfo, 'timer-student-ended');
    await teacher.context().close();
    await student.context().close();
  });
});

test.describe('without JavaScript', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled !== false, 'the plain-HTML timer');

  test('the timer works from plain forms and the student page refreshes itself', async ({ browser }, testInfo) => {
    const plan = PLAN[testInfo.project.name];
    const teacher = await desktopPage(browser, false);
    await logIn(teacher, plan.teacher);
    await teacher.goto('/timer');
    const lesson = teacher.getByRole('listitem').filter({ hasText: plan.klass }).first();
    await expect(lesson).toContainText(`Чеги: ${plan.cap} мүн`);
    await lesson.getByLabel('Узактыгы (мүнөт)').fill(String(plan.cap + 1));
    await lesson.getByRole('button', { name: /^Баштоо/ }).click();
    await expect(teacher.getByRole('alert')).toContainText(`${plan.cap} мүнөттөн ашпашы керек`);
    await teacher.getByRole('listitem').filter({ hasText: plan.klass }).first().getByLabel('Узактыгы (мүнөт)').fill('10');
    await teacher.getByRole('listitem').filter({ hasText: plan.klass }).first().getByRole('button', { name: /^Баштоо/ }).click();
    await expect(teacher.getByRole('timer')).toHaveText(/^(10:00|09:[0-5]\d)$/);

    const student = await phonePage(browser, false);
    await logIn(student, plan.student);
    await student.goto('/timer');
    const clock = student.getByRole('timer');
    await expect(clock).toHaveText(/^(10:00|09:[0-5]\d)$/);
    await expect(student.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '10');
    const before = (await clock.textContent()) ?? '';
    // The page reloads itself and shows less time left.
    await student.waitForEvent('load', { timeout: 15_000 });
    await expect(clock).not.toHaveText(before);
    await screenshot(student, testInfo, 'timer-student-nojs');

    await teacher.getByRole('button', { name: 'Тыныгуу', exact: true }).click();
    await expect(teacher.getByRole('status').filter({ hasText: 'Тыныгуу: таймер токтотулду' })).toBeVisible();
    await student.reload();
    await expect(student.getByRole('status').filter({ hasText: 'Тыныгуу: таймер токтотулду' })).toBeVisible();
    await teacher.getByRole('button', { name: 'Бүтүрүү', exact: true }).click();
    await student.reload();
    await expect(student.getByRole('status').filter({ hasText: 'Сабак бүттү. Тыныгуу алыңыз!' })).toBeVisible();
    await teacher.context().close();
    await student.context().close();
  });
});

test('a teacher reads its compliance report; an admin sees the school and the caps', async ({ page }, testInfo) => {
  await logIn(page, 'admin');
  await page.goto('/timer/report');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Таймер: чектердин сакталышы');
  await expect(page.getByRole('heading', { level: 2, name: 'Мектептин чектери' })).toBeVisible();
  await expect(page.getByLabel('3–4-класстар, мүн')).toHaveValue('25');
  await hydrated(page, testInfo);
  await screenshot(page, testInfo, 'timer-report-admin');
  await expectAccessible(page, testInfo);
});
