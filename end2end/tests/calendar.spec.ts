import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, logIn, goTo } from './helpers';

// Each project uses a student of its own: a new address turns the old one off.
const STUDENT: Record<string, string> = {
  desktop: 'student0033',
  phone: 'student0044',
  'phone-nojs': 'student0055',
  'desktop-nojs': 'student0066',
};

test('a student gets a secret calendar address and it returns a valid calendar in Bishkek time', async ({ page }, testInfo) => {
  await logIn(page, STUDENT[testInfo.project.name]);
  await goTo(page, 'Жадыбал', true);
  await hydrated(page, testInfo);
  const section = page.getByRole('region', { name: 'Телефондогу календарь' });
  await section.getByRole('button', { name: 'Жаңы дарек алуу' }).click();
  const address = page.getByRole('region', { name: 'Телефондогу календарь' }).getByLabel('Календардын дареги (iCal)');
  await expect(address).toHaveValue(/\/ical\/[0-9a-f]{48}\.ics$/);
  await expectAccessible(page, testInfo);
  const url = await address.inputValue();

  // What a calendar app downloads: no cookies, a valid iCalendar.
  const answer = await page.context().request.fetch(url, { headers: { cookie: '' } });
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const text = await answer.text();
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
  // Every line is a property, or the continuation of a folded one.
  for (const line of lines) expect(line).toMatch(/^([A-Z-]+[;:]|[ \t])/);
  const begins = lines.filter((l) => l === 'BEGIN:VEVENT').length;
  expect(begins).toBeGreaterThan(100);
  expect(lines.filter((l) => l === 'END:VEVENT').length).toBe(begins);
  expect(lines).toContain('TZID:Asia/Bishkek');
  expect(lines.some((l) => /^DTSTART;TZID=Asia\/Bishkek:\d{8}T\d{6}$/.test(l))).toBe(true);

  // Turned off, the address answers 404.
  await page.getByRole('region', { name: 'Телефондогу календарь' }).getByRole('button', { name: 'Даректи өчүрүү' }).click();
  await expect(page.getByRole('region', { name: 'Телефондогу календарь' }).getByLabel('Календардын дареги (iCal)')).toHaveCount(0);
  expect((await page.context().request.fetch(url)).status()).toBe(404);
});
