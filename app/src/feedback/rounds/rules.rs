//! Feedback-round rules as plain functions, no I/O: which cycle of a repeating round runs on a
//! day, what a composed form may hold, and what an answer to each kind of question may be.

use super::QuestionKind;
use crate::error::{Field, Reason};

pub const TITLE_MAX: usize = 120;
pub const PROMPT_MAX: usize = 300;
pub const CHOICE_MAX: usize = 100;
pub const QUESTIONS_MAX: usize = 10;
/// How many question rows the composing form offers.
pub const FORM_ROWS: usize = 5;
pub const CHOICES_MIN: usize = 2;
pub const CHOICES_MAX: usize = 8;
/// A cycle stays open at most this many days.
pub const OPEN_DAYS_MAX: i64 = 31;
/// A repeating round comes back every 7 to 90 days (the ministry: every 2-3 weeks).
pub const REPEAT_MIN: i64 = 7;
pub const REPEAT_MAX: i64 = 90;
/// A cycle's results (averages, counts, texts) are shown only from this many answers on: with
/// fewer, the list of those who have not answered would tell who wrote what.
pub const MIN_RESPONSES_FOR_RESULTS: i64 = 5;

/// Which cycle's results a report may show: the latest one that has closed (the current one
/// once it closes or the round is stopped, else the one before it), and only with at least
/// `MIN_RESPONSES_FOR_RESULTS` answers. While a cycle is open its results never show: the
/// author watches the "not answered" list shrink, and an average that moved with one name
/// would be that student's answer.
pub fn results_cycle(current: Option<Cycle>, open: bool) -> Option<i64> {
    let current = current?;
    if open {
        (current.index > 0).then_some(current.index - 1)
    } else {
        Some(current.index)
    }
}
/// One reminder per round in this many hours.
pub const REMIND_GAP_HOURS: i64 = 12;

/// One run of a round: cycle `index` opens on day `opens` and closes at the end of day `closes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    pub index: i64,
    pub opens: i64,
    pub closes: i64,
}

impl Cycle {
    pub fn is_open(&self, today: i64) -> bool {
        (self.opens..=self.closes).contains(&today)
    }
}

/// The latest cycle that has opened by `today` (days since 1970-01-01 in Bishkek), or `None`
/// before the first one opens. A round without repetition has only cycle 0.
pub fn cycle_on(today: i64, opens: i64, closes: i64, repeat_days: i64) -> Option<Cycle> {
    if today < opens {
        return None;
    }
    let index = if repeat_days > 0 {
        (today - opens) / repeat_days
    } else {
        0
    };
    Some(Cycle {
        index,
        opens: opens + index * repeat_days,
        closes: closes + index * repeat_days,
    })
}

/// Checks a round's dates: it closes on or after it opens and not in the past, stays open at most
/// `OPEN_DAYS_MAX` days, and a repetition (0 = none) is 7-90 days and longer than a cycle.
pub fn check_dates(
    today: i64,
    opens: i64,
    closes: i64,
    repeat_days: i64,
) -> Result<(), (Field, Reason)> {
    if closes < opens || closes < today || closes - opens >= OPEN_DAYS_MAX {
        return Err((Field::Date, Reason::OutOfRange));
    }
    if repeat_days != 0
        && (!(REPEAT_MIN..=REPEAT_MAX).contains(&repeat_days) || repeat_days <= closes - opens)
    {
        return Err((Field::Repeat, Reason::OutOfRange));
    }
    Ok(())
}

/// A question as composed, before it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub kind: QuestionKind,
    pub prompt: String,
    pub choices: Vec<String>,
}

/// A trimmed text of at most `max` characters without control characters.
fn line(raw: &str, max: usize, field: Field) -> Result<String, (Field, Reason)> {
    let text = raw.trim();
    if text.chars().count() > max {
        Err((field, Reason::TooLong))
    } else if text.chars().any(char::is_control) {
        Err((field, Reason::BadFormat))
    } else {
        Ok(text.to_string())
    }
}

/// The round's title: 1-120 characters.
pub fn check_title(raw: &str) -> Result<String, (Field, Reason)> {
    let title = line(raw, TITLE_MAX, Field::Title)?;
    if title.is_empty() {
        return Err((Field::Title, Reason::Empty));
    }
    Ok(title)
}

/// The form's question rows (kind, prompt, options one per line) into questions: rows with an
/// empty prompt are skipped; at least one question is left; a choice has 2-8 distinct options.
pub fn compose(
    kinds: &[String],
    prompts: &[String],
    choices: &[String],
) -> Result<Vec<NewQuestion>, (Field, Reason)> {
    if prompts.len() > QUESTIONS_MAX || kinds.len() > QUESTIONS_MAX {
        return Err((Field::Question, Reason::TooLong));
    }
    let mut out = Vec::new();
    for (i, raw) in prompts.iter().enumerate() {
        let prompt = line(raw, PROMPT_MAX, Field::Question)?;
        if prompt.is_empty() {
            continue;
        }
        let kind = kinds
            .get(i)
            .and_then(|k| QuestionKind::from_db(k.trim()))
            .ok_or((Field::Question, Reason::BadFormat))?;
        let options = if kind == QuestionKind::Choice {
            let raw = choices.get(i).map(String::as_str).unwrap_or("");
            let mut options: Vec<String> = Vec::new();
            for option in raw.lines() {
                let option = line(option, CHOICE_MAX, Field::Choices)?;
                if !option.is_empty() && !options.contains(&option) {
                    options.push(option);
                }
            }
            if options.len() < CHOICES_MIN {
                return Err((Field::Choices, Reason::TooShort));
            }
            if options.len() > CHOICES_MAX {
                return Err((Field::Choices, Reason::TooLong));
            }
            options
        } else {
            Vec::new()
        };
        out.push(NewQuestion {
            kind,
            prompt,
            choices: options,
        });
    }
    if out.is_empty() {
        return Err((Field::Question, Reason::Empty));
    }
    Ok(out)
}

/// A student's answer to one question, as stored: a rating 1-5, an option's position, or a text
/// (which may be left empty).
pub fn check_answer(
    kind: QuestionKind,
    options: usize,
    raw: &str,
) -> Result<String, (Field, Reason)> {
    let raw = raw.trim();
    match kind {
        QuestionKind::Rating => crate::feedback::rules::parse_rating(raw)
            .map(|r| r.to_string())
            .ok_or((Field::Rating, Reason::OutOfRange)),
        QuestionKind::Choice => raw
            .parse::<usize>()
            .ok()
            .filter(|i| *i < options)
            .map(|i| i.to_string())
            .ok_or((Field::Answer, Reason::OutOfRange)),
        QuestionKind::Text => crate::feedback::rules::clean_text(raw)
            .map_err(|r| (Field::Answer, r))
            .and_then(|t| {
                if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
                    Err((Field::Answer, Reason::BadFormat))
                } else {
                    Ok(t)
                }
            }),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_show_only_closed_cycles() {
        let cycle = |index| {
            Some(Cycle {
                index,
                opens: 0,
                closes: 6,
            })
        };
        assert_eq!(results_cycle(None, false), None, "before the first cycle");
        assert_eq!(
            results_cycle(cycle(0), true),
            None,
            "the first cycle, still open"
        );
        assert_eq!(results_cycle(cycle(0), false), Some(0), "closed or stopped");
        assert_eq!(
            results_cycle(cycle(3), true),
            Some(2),
            "the one before an open cycle"
        );
    }

    use super::*;
    use proptest::prelude::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_round_without_repetition_has_one_cycle() {
        assert_eq!(cycle_on(9, 10, 14, 0), None);
        let c = cycle_on(12, 10, 14, 0).unwrap();
        assert_eq!((c.index, c.opens, c.closes), (0, 10, 14));
        assert!(c.is_open(14));
        let later = cycle_on(40, 10, 14, 0).unwrap();
        assert_eq!(later.index, 0);
        assert!(!later.is_open(40));
    }

    #[test]
    fn a_fortnightly_round_comes_back() {
        // Opens Monday (day 100) for five days, every 14 days.
        let c = cycle_on(113, 100, 104, 14).unwrap();
        assert_eq!((c.index, c.opens, c.closes), (0, 100, 104));
        assert!(!c.is_open(113));
        let c = cycle_on(114, 100, 104, 14).unwrap();
        assert_eq!((c.index, c.opens, c.closes), (1, 114, 118));
        assert!(c.is_open(114) && c.is_open(118) && !c.is_open(119));
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_dates(100, 100, 104, 14).is_ok());
        assert!(check_dates(100, 100, 100, 0).is_ok());
        assert_eq!(
            check_dates(100, 104, 100, 0),
            Err((Field::Date, Reason::OutOfRange))
        );
        assert_eq!(
            check_dates(100, 90, 95, 0),
            Err((Field::Date, Reason::OutOfRange))
        );
        assert_eq!(
            check_dates(100, 100, 140, 0),
            Err((Field::Date, Reason::OutOfRange))
        );
        // Every 3 days, or every 5 days for a 7-day cycle: cycles would overlap.
        assert_eq!(
            check_dates(100, 100, 102, 3),
            Err((Field::Repeat, Reason::OutOfRange))
        );
        assert_eq!(
            check_dates(100, 100, 110, 7),
            Err((Field::Repeat, Reason::OutOfRange))
        );
        assert_eq!(
            check_dates(100, 100, 102, 91),
            Err((Field::Repeat, Reason::OutOfRange))
        );
    }

    #[test]
    fn a_form_is_composed_from_its_rows() {
        let questions = compose(
            &strings(&["rating", "choice", "text", "text"]),
            &strings(&["Сабак түшүнүктүү болдубу?", "Эмне жакты?", "", " Сунуш "]),
            &strings(&["", "Видео\nТапшырма\n\nВидео\n", "", ""]),
        )
        .unwrap();
        assert_eq!(questions.len(), 3);
        assert_eq!(questions[0].kind, QuestionKind::Rating);
        assert_eq!(questions[1].choices, strings(&["Видео", "Тапшырма"]));
        assert_eq!(questions[2].prompt, "Сунуш");
        assert!(questions[2].choices.is_empty());
    }

    #[test]
    fn bad_forms_are_refused() {
        let none = compose(&strings(&["text"]), &strings(&["  "]), &strings(&[""]));
        assert_eq!(none, Err((Field::Question, Reason::Empty)));
        let one_option = compose(&strings(&["choice"]), &strings(&["?"]), &strings(&["A\nA"]));
        assert_eq!(one_option, Err((Field::Choices, Reason::TooShort)));
        let kind = compose(&strings(&["essay"]), &strings(&["?"]), &strings(&[""]));
        assert_eq!(kind, Err((Field::Question, Reason::BadFormat)));
        let long = "ы".repeat(PROMPT_MAX + 1);
        let long = compose(&strings(&["text"]), &[long], &strings(&[""]));
        assert_eq!(long, Err((Field::Question, Reason::TooLong)));
        assert_eq!(check_title(" "), Err((Field::Title, Reason::Empty)));
        assert_eq!(
            check_title("a\u{7}b"),
            Err((Field::Title, Reason::BadFormat))
        );
    }

    #[test]
    fn answers_are_checked_by_kind() {
        assert_eq!(check_answer(QuestionKind::Rating, 0, " 4 "), Ok("4".into()));
        assert!(check_answer(QuestionKind::Rating, 0, "6").is_err());
        assert_eq!(check_answer(QuestionKind::Choice, 3, "2"), Ok("2".into()));
        assert!(check_answer(QuestionKind::Choice, 3, "3").is_err());
        assert!(check_answer(QuestionKind::Choice, 3, "-1").is_err());
        assert_eq!(check_answer(QuestionKind::Text, 0, ""), Ok(String::new()));
        assert!(check_answer(QuestionKind::Text, 0, &"a".repeat(5000)).is_err());
    }

    proptest! {
        /// The cycle of a day has opened by then, is the latest to have opened, and cycles never
        /// overlap (so a day belongs to at most one open cycle).
        #[test]
        fn the_cycle_of_a_day_is_the_latest_opened(
            opens in 0i64..1000,
            length in 0i64..OPEN_DAYS_MAX,
            repeat in prop_oneof![Just(0i64), REPEAT_MIN..=REPEAT_MAX],
            after in 0i64..400,
        ) {
            let closes = opens + length;
            prop_assume!(repeat == 0 || repeat > length);
            let today = opens + after;
            let c = cycle_on(today, opens, closes, repeat).unwrap();
            prop_assert!(c.opens <= today);
            prop_assert_eq!(c.closes - c.opens, length);
            if repeat > 0 {
                prop_assert!(c.opens + repeat > today);
                let next = cycle_on(c.opens + repeat, opens, closes, repeat).unwrap();
                prop_assert_eq!(next.index, c.index + 1);
                prop_assert!(next.opens > c.closes);
            } else {
                prop_assert_eq!(c.index, 0);
            }
        }
    }
}
