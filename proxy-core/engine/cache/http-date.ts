// HTTP-date exactly as RFC 9110 §5.6.7 defines it: the preferred IMF-fixdate and the two
// obsolete forms recipients must still accept (RFC 850 and asctime). Everything else —
// "UTC" for "GMT", a missing comma, a one-digit hour, several values in one field — is not
// a date: callers decide what an invalid date means (for Expires: already expired).
// Date.parse is not used because it accepts almost anything.

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** Milliseconds since the epoch, or undefined when the fields do not make a real instant. */
function instant(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const m = MONTHS.indexOf(month);
  // 60 is a leap second (RFC 9110 allows it); it is read as the last second of the minute.
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return undefined;
  const ms = Date.UTC(year, m, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March; a real date round-trips.
  const back = new Date(ms);
  if (back.getUTCMonth() !== m || back.getUTCDate() !== day || back.getUTCFullYear() !== year) return undefined;
  return ms;
}

/**
 * RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is the most recent
 * past year with the same last two digits.
 */
function fullYear(twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  let year = Math.floor(current / 100) * 100 + twoDigits;
  if (year > current + 50) year -= 100;
  return year;
}

/** An HTTP-date field value in milliseconds, or undefined when it is not one. */
export function parseHttpDate(value: string | readonly string[] | undefined, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string') return undefined; // absent, or several field lines
  const text = value.trim();
  let m = IMF_FIXDATE.exec(text);
  if (m) return instant(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(text);
  if (m) return instant(fullYear(Number(m[3]), now), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = ASCTIME_DATE.exec(text);
  if (m) return instant(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/** An instant as IMF-fixdate, the form a sender must generate. */
export const formatHttpDate = (ms: number): string => new Date(ms).toUTCString();
