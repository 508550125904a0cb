import { expect, Page, test } from '@playwright/test';
import * as fs from 'fs';
import { expectAccessible, hydrated, logIn, newPage, screenshot, isoOf } from './helpers';

// The contest edition is one for the whole server, and its phase moves as the organiser changes
// the dates: the full story runs in one project only, step by step. The other projects check
// what does not depend on the phase.

const DAY = 24 * 3600 * 1000;

function iso(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** A date field's day: the fields show `DD.MM.YYYY` (and take ISO too). */
function dayOf(shown: string): number {
  return Math.round(Date.parse(`${isoOf(shown)}T00:00:00Z`) / DAY);
}

const DATE_LABELS = [
  'Арыздар ачылат',
  'Арыздар жабылат',
  'Эксперттер дайындалат',
  'Баалоо башталат',
  'Баалоо бүтөт',
  'Жеңүүчүлөр жарыяланат',
  'Сыйлоо башталат',
  'Сыйлоо бүтөт',
];
const APPOINTING = [-20, -1, 0, 1, 20, 30, 40, 50];
const JUDGING = [-20, -10, -9, -1, 10, 20, 30, 40];

/** The organiser sets the edition's dates around the server's today through the settings form. */
async function setDates(page: Page, today: number, offsets: number[]) {
  await page.goto('/contest/manage');
  for (const [i, label] of DATE_LABELS.entries()) {
    await page.getByLabel(label, { exact: true }).fill(iso(today + offsets[i]));
  }
  await page.getByRole('button', { name: 'Сактоо', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
}

/** After the freeze only the announcement and award dates may move: the organiser announces today. */
async function announceToday(page: Page, today: number) {
  await page.goto('/contest/manage');
  for (const [label, offset] of [['Жеңүүчүлөр жарыяланат', 0], ['Сыйлоо башталат', 10], ['Сыйлоо бүтөт', 20]] as const) {
    await page.getByLabel(label, { exact: true }).fill(iso(today + offset));
  }
  await page.getByRole('button', { name: 'Сактоо', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
}

test.describe('the contest from application to published winners', () => {
  test.describe.configure({ mode: 'serial' });
  test('a teacher applies, experts score in their browsers, the scoreboard follows, the public sees the winner', async ({ browser }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'one edition per server: the story runs once');
    test.setTimeout(120_000);
    const lessonTitle = 'Бөлчөктөр: интерактивдүү онлайн сабак';

    // A teacher applies in the "Digital teacher" nomination.
    const teacher = await newPage(browser);
    await logIn(teacher, 'teacher');
    await teacher.goto('/contest');
    await expect(teacher.getByRole('heading', { level: 1 })).toContainText('Аралыктан окутуудагы мыкты сабак');
    await expect(teacher.getByRole('status').first()).toContainText('арыздар кабыл алынууда');
    await expectAccessible(teacher, testInfo);
    await teacher.getByRole('link', { name: 'Арыз берүү — Санариптик мугалим' }).click();
    await hydrated(teacher, testInfo);
    await teacher.getByLabel('Факультет').fill('Педагогика факультети');
    await teacher.getByLabel('Кафедра').fill('Физика кафедрасы');
    await teacher.getByLabel('Кызматы').fill('Улук окутуучу');
    await teacher.getByLabel('Электрондук почта').fill('aigul@sabak.kg');
    await teacher.getByLabel('Телефон').fill('+996 700 123 456');
    await teacher.getByLabel('Сабактын темасы').fill(lessonTitle);
    await teacher.getByLabel('Сабактын иштелмеси (шилтеме)').fill('https://sabak.kg/plans/bolchok.pdf');
    await expectAccessible(teacher, testInfo);
    await screenshot(teacher, testInfo, 'contest-apply');
    // Without confirming the regulation the browser holds the form back; then it goes.
    await teacher.getByLabel('Эксперттер менин Сабактагы сабактарымды').check();
    await teacher.getByLabel('Сынактын жобосу жана мөөнөттөрү менен тааныштым.').check();
    await teacher.getByRole('button', { name: 'Арызды жөнөтүү' }).click();
    await expect(teacher.getByRole('status').filter({ hasText: 'Арызыңыз сакталды.' })).toBeVisible();
    await expect(teacher.getByRole('region', { name: 'Менин арыздарым' })).toContainText(lessonTitle);

    // The organiser closes the applications and assigns the experts.
    const organiser = await newPage(browser);
    await logIn(organiser, 'organiser');
    await organiser.goto('/contest/manage');
    const today = dayOf(await organiser.getByLabel('Арыздар ачылат', { exact: true }).inputValue()) + 7;
    await setDates(organiser, today, APPOINTING);
    await organiser.getByRole('button', { name: 'Эксперттерди бөлүштүрүү' }).click();
    await expect(organiser.getByRole('status').filter({ hasText: 'Эксперттер бөлүштүрүлдү.' })).toBeVisible();
    const row = organiser.getByRole('row').filter({ hasText: lessonTitle });
    await expect(row.getByRole('listitem')).toHaveCount(3);
    const entryId = (await row.getByRole('cell').first().innerText()).trim();
    const names = (await row.getByRole('listitem').allInnerTexts()).map((t) => t.split(' — ')[0].trim());
    const council = organiser.getByRole('region', { name: 'Эксперттик кеңеш' });
    const logins: string[] = [];
    for (const name of names) {
      const item = await council.getByRole('listitem').filter({ hasText: name }).first().innerText();
      logins.push(/\(([^)]+)\)/.exec(item)![1]);
    }
    await screenshot(organiser, testInfo, 'contest-manage');

    // Judging opens; the organiser watches the scoreboard.
    await setDates(organiser, today, JUDGING);
    await organiser.goto('/contest/results');
    await hydrated(organiser, testInfo);
    const board = organiser.getByRole('region', { name: 'Санариптик мугалим' });
    await expect(board).toContainText(lessonTitle);
    await expect(board).toContainText('баалар: 0');

    // An expert of another nomination opening this entry gets a refusal page.
    const outsider = await newPage(browser, true);
    await logIn(outsider, 'expert07');
    await outsider.goto(`/contest/entry/${entryId}`);
    await expect(outsider.getByRole('alert')).toContainText('Бул аракетке укугуңуз жок.');

    // Three experts score in their own browsers (5, 4 and 3 on every criterion).
    for (const [i, login] of logins.entries()) {
      const expert = await newPage(browser, i === 0);
      await logIn(expert, login);
      await expert.goto('/contest');
      await expect(expert.getByRole('region', { name: 'Мен баалай турган иштер' })).not.toContainText('@');
      await expert.getByRole('link', { name: lessonTitle }).click();
      await hydrated(expert, testInfo);
      // The applicant shared their lessons: the experts see the evidence beside the criteria.
      await expect(expert.getByRole('region', { name: 'Сабактагы далилдер' })).toContainText('80 %');
      const selects = expert.getByRole('combobox');
      await expect(selects).toHaveCount(8);
      for (let k = 0; k < 8; k++) await selects.nth(k).selectOption(String(5 - i));
      // The running total follows the choices (the island; the page ran JavaScript).
      await expect(expert.getByRole('status').filter({ hasText: 'Жыйынтык' })).toHaveText(`Жыйынтык: 40 упайдан ${8 * (5 - i)}`);
      if (i === 0) {
        await expectAccessible(expert, testInfo);
        await screenshot(expert, testInfo, 'contest-scoring-phone');
      }
      if (i === 0) {
        // Submitting locks the scores: the page asks first, and "cancel" changes nothing.
        const asked = new Promise<string>((resolve) => expert.once('dialog', (d) => { resolve(d.message()); d.dismiss(); }));
        await expert.getByRole('button', { name: 'Бааларды жөнөтүү' }).click();
        expect(await asked).toContain('Бааларды жөнөтөсүзбү?');
        await expect(selects.first()).toBeEnabled();
      }
      expert.once('dialog', (d) => d.accept());
      await expert.getByRole('button', { name: 'Бааларды жөнөтүү' }).click();
      await expect(expert.getByRole('status').filter({ hasText: 'Сакталды.' })).toBeVisible();
      await expect(expert.getByText('жөнөтүлдү', { exact: true })).toBeVisible();
      await expect(expert.getByRole('combobox').first()).toBeDisabled();
      await expert.context().close();
      // The organiser's scoreboard changes without a reload.
      if (i < 2) await expect(board).toContainText(`баалар: ${i + 1}`);
    }
    const ranked = board.getByRole('row').filter({ hasText: lessonTitle });
    await expect(ranked).toContainText('32.00');
    await expect(ranked).toContainText('жеңүүчү');
    await screenshot(organiser, testInfo, 'contest-scoreboard');
    // The protocol downloads as a spreadsheet.
    const [csv] = await Promise.all([
      organiser.waitForEvent('download'),
      board.getByRole('link', { name: 'Протокол (CSV)' }).click(),
    ]);
    const rows = fs.readFileSync((await csv.path())!, 'utf8');
    expect(rows).toContain(lessonTitle);
    expect(rows).toContain('Эксперт 3');

    // Closing judging freezes the results with their fingerprint; then the winners are announced.
    await organiser.goto('/contest/manage');
    await organiser.getByRole('button', { name: 'Баалоону бүгүн жабуу' }).click();
    await expect(organiser.getByText('Жыйынтыктар бекитилген.')).toBeVisible();
    const sha = (await organiser.locator('code.hash').innerText()).trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const [diplomas] = await Promise.all([
      organiser.waitForEvent('download'),
      organiser.getByRole('region', { name: 'Санариптик мугалим' }).getByRole('link', { name: 'Дипломдор (PDF)' }).click(),
    ]);
    expect(fs.readFileSync((await diplomas.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await announceToday(organiser, today);

    // A visitor who is not logged in sees the winner on a phone.
    const visitor = await newPage(browser, true);
    await visitor.goto('/contest/results');
    const nomination = visitor.getByRole('region', { name: 'Санариптик мугалим' });
    await expect(nomination.getByRole('row').filter({ hasText: lessonTitle })).toContainText('жеңүүчү');
    await expect(visitor.locator('code.hash')).toHaveText(sha);
    await expect(visitor.getByText('@sabak.kg')).toHaveCount(0);
    // How the experts used the 0-5 scale: a chart, and the same counts in a table.
    const spread = nomination.getByRole('region', { name: 'Баалар кандай коюлду' });
    await expect(spread.locator('figure.chart svg')).toBeVisible();
    const counts = spread.getByRole('table', { name: /Ар бир балл/ });
    await expect(counts.getByRole('row')).toHaveCount(7);
    const given = async (score: number) =>
      Number((await counts.getByRole('row').filter({ has: visitor.getByRole('rowheader', { name: String(score), exact: true }) }).getByRole('cell').first().innerText()).trim());
    // This entry alone gave eight 5s, eight 4s and eight 3s.
    for (const score of [5, 4, 3]) expect(await given(score)).toBeGreaterThanOrEqual(8);
    await expectAccessible(visitor, testInfo);
    await screenshot(visitor, testInfo, 'contest-public-results');
  });
});

test('the contest page shows the nominations, their criteria and the scoring guidance', async ({ page }, testInfo) => {
  await logIn(page, 'teacher005');
  await page.goto('/contest');
  await hydrated(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Номинациялар' })).toBeVisible();
  for (const name of ['Санариптик мугалим', 'AVN порталынын мыкты колдонуучусу', 'Мыкты видеосабак']) {
    await expect(page.getByRole('heading', { name, level: 3 })).toBeVisible();
  }
  await expect(page.getByText('Критерийлер (8)')).toBeVisible();
  await expect(page.getByText('Критерийлер (6)')).toBeVisible();
  await expect(page.getByText('Критерийлер (9)')).toBeVisible();
  await expect(page.getByText('4 — 80 %')).toBeVisible();
  // In the menu (closed until opened), among every place.
  await expect(page.getByRole('navigation', { name: 'Бардык бөлүмдөр', includeHidden: true }).getByRole('link', { name: 'Конкурс', includeHidden: true })).toBeAttached();
  await expectAccessible(page, testInfo);
  await screenshot(page, testInfo, 'contest-home');
});
