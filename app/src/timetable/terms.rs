//! Academic terms: quarters for school classes, autumn and spring semesters for university groups.
//! Lessons run only inside a term; the days between terms are holidays. A school that has not set
//! its terms teaches every week from the first day of the year, as before.
//!
//! The rules here are pure (days are counts since 1970-01-01, Bishkek calendar); the admin's form
//! and its server functions follow below.
// The terms form's fields arrive one server-function argument each.
#![allow(clippy::too_many_arguments)]

use serde::{Deserialize, Serialize};

/// Which calendar a class follows: schools count quarters, universities semesters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TermKind {
    Quarter,
    Semester,
}

impl TermKind {
    /// How many terms make a year.
    pub fn count(self) -> usize {
        match self {
            TermKind::Quarter => 4,
            TermKind::Semester => 2,
        }
    }

    pub fn as_db(self) -> &'static str {
        match self {
            TermKind::Quarter => "quarter",
            TermKind::Semester => "semester",
        }
    }

    pub fn from_db(raw: &str) -> Option<TermKind> {
        match raw {
            "quarter" => Some(TermKind::Quarter),
            "semester" => Some(TermKind::Semester),
            _ => None,
        }
    }

    /// School classes follow quarters, university groups semesters (`classes.kind`).
    pub fn of_class_kind(class_kind: &str) -> TermKind {
        if class_kind == "group" {
            TermKind::Semester
        } else {
            TermKind::Quarter
        }
    }
}

/// One term: its number in the year (1-based) and its first and last day, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub kind: TermKind,
    pub number: u8,
    pub starts: i64,
    pub ends: i64,
}

/// Where a day stands in a kind's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermDay {
    /// No terms are set for this kind: every week of the year is taught.
    Unset,
    In(Term),
    /// Between terms (or before the first, after the last): no lessons. `until` is the last
    /// holiday day before the next term, if there is one.
    Holiday {
        until: Option<i64>,
    },
}

/// What a day is for classes of `kind`, given all the school's terms.
pub fn term_day(terms: &[Term], kind: TermKind, day: i64) -> TermDay {
    let mut of_kind = terms.iter().filter(|t| t.kind == kind).peekable();
    if of_kind.peek().is_none() {
        return TermDay::Unset;
    }
    let mut next_start: Option<i64> = None;
    for term in of_kind {
        if (term.starts..=term.ends).contains(&day) {
            return TermDay::In(*term);
        }
        if term.starts > day {
            next_start = Some(next_start.map_or(term.starts, |s: i64| s.min(term.starts)));
        }
    }
    TermDay::Holiday {
        until: next_start.map(|s| s - 1),
    }
}

/// A day count as the calendar date pages show.
pub fn day_of(days: i64) -> crate::accounts::Day {
    let (year, month, day) = super::rules::civil_from_days(days);
    crate::accounts::Day {
        year,
        month: month as u8,
        day: day as u8,
        weekday: super::rules::weekday_of(days),
    }
}

/// Whether lessons of classes following `kind` take place on `day` (weekday and weeks aside).
pub fn is_teaching_day(terms: &[Term], kind: TermKind, day: i64) -> bool {
    !matches!(term_day(terms, kind, day), TermDay::Holiday { .. })
}

/// Checks an admin's dates for one kind. Every row must be filled (or every row left empty, which
/// clears the kind's terms); each term ends on or after it starts and starts after the one before
/// it ends; all lie within the school year (a year from its first day).
pub fn check_terms(
    kind: TermKind,
    year_start: i64,
    rows: &[(Option<i64>, Option<i64>)],
) -> Result<Vec<Term>, (u8, TermProblem)> {
    if rows.iter().all(|(s, e)| s.is_none() && e.is_none()) {
        return Ok(Vec::new());
    }
    if rows.len() != kind.count() {
        return Err((rows.len().min(kind.count()) as u8 + 1, TermProblem::Missing));
    }
    let mut out: Vec<Term> = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let number = index as u8 + 1;
        let (Some(starts), Some(ends)) = *row else {
            return Err((number, TermProblem::Missing));
        };
        if ends < starts {
            return Err((number, TermProblem::EndsBeforeStart));
        }
        if out.last().is_some_and(|before| starts <= before.ends) {
            return Err((number, TermProblem::Overlaps));
        }
        if starts < year_start || ends >= year_start + 366 {
            return Err((number, TermProblem::OutsideYear));
        }
        out.push(Term {
            kind,
            number,
            starts,
            ends,
        });
    }
    Ok(out)
}

/// Why a term's dates were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermProblem {
    /// A date is empty or not a real date while others are filled.
    Missing,
    EndsBeforeStart,
    /// It starts before the previous term has ended.
    Overlaps,
    /// It lies outside the school year.
    OutsideYear,
}

/// The days the calendar feed covers: from the start of the current term (or the last one before
/// a holiday) to the end of the next term, so a feed taken near a term's end is not empty. Without
/// terms, four weeks back and eighteen ahead.
pub fn feed_window(terms: &[Term], kind: TermKind, today: i64) -> (i64, i64) {
    let mut of_kind: Vec<&Term> = terms.iter().filter(|t| t.kind == kind).collect();
    if of_kind.is_empty() {
        return (today - 28, today + 18 * 7);
    }
    of_kind.sort_by_key(|t| t.starts);
    let current = of_kind.iter().rposition(|t| t.starts <= today).unwrap_or(0);
    let from = of_kind[current].starts.min(today);
    let last = (current + 1).min(of_kind.len() - 1);
    let to = of_kind[last].ends.max(today);
    (from, to)
}

/// The demo school's terms (dates close to the ministry's usual ones). A demo must show lessons
/// whatever day it is started on, so any holiday within four weeks before and two weeks after
/// `today`'s week is taught through: the term before it runs on (or the first one starts early).
pub fn demo_terms(year_start: i64, today: i64) -> Vec<Term> {
    use super::rules::{civil_from_days, days_from_civil, monday_of};
    let (year, _, _) = civil_from_days(year_start);
    let date = |y: i64, m: u32, d: u32| days_from_civil(y, m, d);
    let quarters = [
        (date(year, 9, 1), date(year, 11, 1)),
        (date(year, 11, 10), date(year, 12, 28)),
        (date(year + 1, 1, 12), date(year + 1, 3, 20)),
        (date(year + 1, 4, 1), date(year + 1, 5, 25)),
    ];
    let semesters = [
        (date(year, 9, 1), date(year + 1, 1, 17)),
        (date(year + 1, 2, 2), date(year + 1, 6, 27)),
    ];
    let window = (monday_of(today) - 28, monday_of(today) + 13);
    let mut out = Vec::new();
    for (kind, spans) in [
        (TermKind::Quarter, &quarters[..]),
        (TermKind::Semester, &semesters[..]),
    ] {
        let mut terms: Vec<Term> = spans
            .iter()
            .enumerate()
            .map(|(i, &(starts, ends))| Term {
                kind,
                number: i as u8 + 1,
                starts,
                ends,
            })
            .collect();
        for day in window.0..=window.1 {
            if is_teaching_day(&terms, kind, day) {
                continue;
            }
            match terms.iter().position(|t| t.starts > day) {
                // Seeded in August, before the year: the first term starts early.
                Some(0) => terms[0].starts = day,
                Some(next) => terms[next - 1].ends = terms[next].starts - 1,
                None => {
                    let last = terms.len() - 1;
                    terms[last].ends = window.1;
                }
            }
        }
        out.extend(terms);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timetable::rules::{days_from_civil, monday_of};
    use proptest::prelude::*;

    fn quarters() -> Vec<Term> {
        let d = |m, day| days_from_civil(if m >= 9 { 2026 } else { 2027 }, m, day);
        [
            (d(9, 1), d(11, 1)),
            (d(11, 10), d(12, 28)),
            (d(1, 12), d(3, 20)),
            (d(4, 1), d(5, 25)),
        ]
        .iter()
        .enumerate()
        .map(|(i, &(starts, ends))| Term {
            kind: TermKind::Quarter,
            number: i as u8 + 1,
            starts,
            ends,
        })
        .collect()
    }

    #[test]
    fn holidays_lie_between_terms_and_edges_are_taught() {
        let terms = quarters();
        let d = |y, m, day| days_from_civil(y, m, day);
        assert!(is_teaching_day(&terms, TermKind::Quarter, d(2026, 11, 1)));
        assert_eq!(
            term_day(&terms, TermKind::Quarter, d(2026, 11, 2)),
            TermDay::Holiday {
                until: Some(d(2026, 11, 9))
            }
        );
        assert!(is_teaching_day(&terms, TermKind::Quarter, d(2026, 11, 10)));
        assert_eq!(
            term_day(&terms, TermKind::Quarter, d(2027, 1, 5)),
            TermDay::Holiday {
                until: Some(d(2027, 1, 11))
            }
        );
        assert_eq!(
            term_day(&terms, TermKind::Quarter, d(2027, 7, 1)),
            TermDay::Holiday { until: None }
        );
        // Semesters are not set: university groups are taught every week.
        assert_eq!(
            term_day(&terms, TermKind::Semester, d(2027, 1, 5)),
            TermDay::Unset
        );
        assert!(is_teaching_day(&terms, TermKind::Semester, d(2027, 1, 5)));
    }

    #[test]
    fn the_admin_s_dates_are_checked_term_by_term() {
        let start = days_from_civil(2026, 9, 1);
        let ok = quarters()
            .iter()
            .map(|t| (Some(t.starts), Some(t.ends)))
            .collect::<Vec<_>>();
        assert_eq!(
            check_terms(TermKind::Quarter, start, &ok).unwrap(),
            quarters()
        );
        assert_eq!(
            check_terms(TermKind::Quarter, start, &[(None, None); 4]),
            Ok(vec![])
        );

        let mut missing = ok.clone();
        missing[2].1 = None;
        assert_eq!(
            check_terms(TermKind::Quarter, start, &missing),
            Err((3, TermProblem::Missing))
        );
        let mut backwards = ok.clone();
        backwards[1] = (Some(start + 100), Some(start + 90));
        assert_eq!(
            check_terms(TermKind::Quarter, start, &backwards),
            Err((2, TermProblem::EndsBeforeStart))
        );
        let mut overlapping = ok.clone();
        overlapping[3].0 = Some(quarters()[2].ends);
        assert_eq!(
            check_terms(TermKind::Quarter, start, &overlapping),
            Err((4, TermProblem::Overlaps))
        );
        let mut early = ok.clone();
        early[0].0 = Some(start - 1);
        assert_eq!(
            check_terms(TermKind::Quarter, start, &early),
            Err((1, TermProblem::OutsideYear))
        );
        let mut late = ok;
        late[3].1 = Some(start + 366);
        assert_eq!(
            check_terms(TermKind::Quarter, start, &late),
            Err((4, TermProblem::OutsideYear))
        );
        // Two semesters are not four quarters.
        assert_eq!(
            check_terms(
                TermKind::Quarter,
                start,
                &[(Some(start), Some(start + 9)); 2]
            ),
            Err((3, TermProblem::Missing))
        );
    }

    #[test]
    fn the_feed_covers_this_term_and_the_next() {
        let terms = quarters();
        let q = |n: usize| terms[n - 1];
        // In the second quarter: from its start to the end of the third.
        assert_eq!(
            feed_window(&terms, TermKind::Quarter, q(2).starts + 10),
            (q(2).starts, q(3).ends)
        );
        // In the winter holiday: still the second quarter to the end of the third.
        assert_eq!(
            feed_window(&terms, TermKind::Quarter, q(2).ends + 3),
            (q(2).starts, q(3).ends)
        );
        // In the last quarter: to its end.
        assert_eq!(
            feed_window(&terms, TermKind::Quarter, q(4).starts),
            (q(4).starts, q(4).ends)
        );
        let today = q(1).starts;
        assert_eq!(
            feed_window(&terms, TermKind::Semester, today),
            (today - 28, today + 126)
        );
    }

    proptest! {
        /// Whatever day the demo is seeded on (its year starts on the 1 September before, or in
        /// August the one just ahead), its weeks from four back to two ahead are taught, and its
        /// terms still follow one another.
        #[test]
        fn a_demo_started_on_any_day_shows_lessons(offset in -31i64..334) {
            let year_start = days_from_civil(2026, 9, 1);
            let today = year_start + offset;
            let terms = demo_terms(year_start, today);
            for kind in [TermKind::Quarter, TermKind::Semester] {
                let of_kind: Vec<_> = terms.iter().filter(|t| t.kind == kind).collect();
                prop_assert_eq!(of_kind.len(), kind.count());
                let rows: Vec<_> = of_kind.iter().map(|t| (Some(t.starts), Some(t.ends))).collect();
                let first = of_kind[0].starts.min(year_start);
                prop_assert!(check_terms(kind, first, &rows).is_ok());
                for day in monday_of(today) - 28..=monday_of(today) + 13 {
                    prop_assert!(is_teaching_day(&terms, kind, day), "{:?} {}", kind, day);
                }
            }
        }
    }

    #[test]
    fn a_demo_seeded_in_term_keeps_the_usual_holidays() {
        let year_start = days_from_civil(2026, 9, 1);
        let terms = demo_terms(year_start, days_from_civil(2026, 10, 7));
        assert!(!is_teaching_day(
            &terms,
            TermKind::Quarter,
            days_from_civil(2026, 12, 31)
        ));
        assert!(!is_teaching_day(
            &terms,
            TermKind::Semester,
            days_from_civil(2027, 1, 25)
        ));
        assert!(is_teaching_day(
            &terms,
            TermKind::Quarter,
            days_from_civil(2026, 11, 1)
        ));
    }
}

/// What the admin's terms form shows: the year's first day and the terms set so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsPage {
    pub year_start: crate::accounts::Day,
    /// The same day as a day count, for the form's date field.
    pub year_start_day: i64,
    pub terms: Vec<Term>,
}

/// Where the terms form lives (the timetable editor's page) and comes back to.
#[cfg(feature = "ssr")]
const TERMS_PAGE: &str = "/admin/timetable";

/// The school's terms, for its admins.
#[leptos::server(endpoint = "timetable/terms")]
pub async fn get_terms() -> crate::error::AppResult<TermsPage> {
    use crate::accounts::{auth::require, Role};
    require(Role::Admin).await?;
    let db = crate::state::db()?;
    let calendar = super::store::calendar(&db).await?;
    Ok(TermsPage {
        year_start: day_of(calendar.year_start),
        year_start_day: calendar.year_start,
        terms: calendar.terms,
    })
}

/// Sets one kind's terms (`quarter`: four rows; `semester`: the first two), all at once: every
/// date refused with the term and the reason, nothing saved then; all rows empty clears them.
#[leptos::server(endpoint = "timetable/save_terms")]
pub async fn save_terms(
    kind: String,
    starts1: Option<String>,
    ends1: Option<String>,
    starts2: Option<String>,
    ends2: Option<String>,
    starts3: Option<String>,
    ends3: Option<String>,
    starts4: Option<String>,
    ends4: Option<String>,
) -> crate::error::AppResult<()> {
    use crate::accounts::{auth::require, Role};
    use crate::error::{AppError, Field, Reason};
    let result = async {
        let me = require(Role::Admin).await?;
        let kind = TermKind::from_db(kind.trim())
            .ok_or(AppError::invalid(Field::Term, Reason::BadFormat))?;
        // An empty field is "not set"; anything else must be a real date.
        let date = |raw: &Option<String>, number: u8| -> Result<Option<i64>, AppError> {
            match raw.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                None => Ok(None),
                Some(text) => super::rules::parse_date(text)
                    .map(Some)
                    .ok_or(AppError::invalid(
                        Field::Term,
                        Reason::Term {
                            number,
                            problem: TermProblem::Missing,
                        },
                    )),
            }
        };
        let all = [
            (&starts1, &ends1),
            (&starts2, &ends2),
            (&starts3, &ends3),
            (&starts4, &ends4),
        ];
        let mut rows = Vec::new();
        for (index, (starts, ends)) in all.iter().enumerate() {
            let number = index as u8 + 1;
            let row = (date(starts, number)?, date(ends, number)?);
            if index < kind.count() {
                rows.push(row);
            } else if row != (None, None) {
                // A semester form has two rows: dates for a third are not for this kind.
                return Err(AppError::invalid(Field::Term, Reason::OutOfRange));
            }
        }
        let db = crate::state::db()?;
        let calendar = super::store::calendar(&db).await?;
        let terms =
            check_terms(kind, calendar.year_start, &rows).map_err(|(number, problem)| {
                AppError::invalid(Field::Term, Reason::Term { number, problem })
            })?;
        super::store::save_terms(&db, me.id, kind, &terms).await
    }
    .await;
    crate::ui::forms::answer_form_to(result, &format!("{TERMS_PAGE}?saved=1"), TERMS_PAGE)
}

/// Sets the first day of the school year (teaching week 1 holds it). A new year leaves the old
/// one's quarters and semesters behind: terms outside the new year are removed, to be set anew.
#[leptos::server(endpoint = "timetable/save_year_start")]
pub async fn save_year_start(year_start: String) -> crate::error::AppResult<()> {
    use crate::accounts::{auth::require, Role};
    use crate::error::{AppError, Field, Reason};
    let result = async {
        let me = require(Role::Admin).await?;
        let day = super::rules::parse_date(&year_start)
            .ok_or(AppError::invalid(Field::Date, Reason::BadFormat))?;
        super::store::save_year_start(&crate::state::db()?, me.id, day).await
    }
    .await;
    crate::ui::forms::answer_form_to(result, &format!("{TERMS_PAGE}?saved=1"), TERMS_PAGE)
}

pub use terms_ui::TermsSection;

mod terms_ui {
    use super::*;
    use crate::i18n::*;
    use crate::timetable::rules::iso_date;
    use crate::ui::format::month_text;
    use crate::ui::DateInput;
    use crate::ui::ErrorBox;
    use leptos::prelude::*;

    /// The admin's quarters and semesters, two plain forms (they work without JavaScript).
    #[component]
    pub fn TermsSection() -> impl IntoView {
        let page = Resource::new(|| (), |_| get_terms());
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <TermsForms page /> }.into_any(),
                        Err(err) => view! { <ErrorBox err /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    }

    #[component]
    fn TermsForms(page: TermsPage) -> impl IntoView {
        let i18n = use_i18n();
        let start = page.year_start;
        view! {
            <section id="terms" class="card" aria-labelledby="terms-title">
                <h2 id="terms-title">{t_string!(i18n, terms.title)}</h2>
                <p class="muted">
                    {t_string!(i18n, terms.year_start, day = start.day, month = month_text(start.month), year = start.year)}
                </p>
                <p class="muted">{t_string!(i18n, terms.intro)}</p>
                <form method="post" action="/api/timetable/save_year_start" class="stack">
                    <label for="year-start">{t_string!(i18n, terms.year_start_label)}</label>
                    <DateInput id="year-start" name="year_start" required=true value=iso_date(page.year_start_day) />
                    <p class="hint">{t_string!(i18n, terms.year_start_hint)}</p>
                    <button type="submit" class="secondary">{t_string!(i18n, terms.save_year_start)}</button>
                </form>
                <KindForm kind=TermKind::Quarter terms=page.terms.clone() />
                <KindForm kind=TermKind::Semester terms=page.terms />
            </section>
        }
    }

    /// One kind's rows: "Quarter 1: starts, ends", and so on.
    #[component]
    fn KindForm(kind: TermKind, terms: Vec<Term>) -> impl IntoView {
        let i18n = use_i18n();
        let (legend, save) = match kind {
            TermKind::Quarter => (
                t_string!(i18n, terms.quarters).to_string(),
                t_string!(i18n, terms.save_quarters).to_string(),
            ),
            TermKind::Semester => (
                t_string!(i18n, terms.semesters).to_string(),
                t_string!(i18n, terms.save_semesters).to_string(),
            ),
        };
        let value = move |number: u8, ends: bool| {
            terms
                .iter()
                .find(|t| t.kind == kind && t.number == number)
                .map(|t| super::super::rules::iso_date(if ends { t.ends } else { t.starts }))
                .unwrap_or_default()
        };
        view! {
            <form method="post" action="/api/timetable/save_terms" class="stack">
                <input type="hidden" name="kind" value=kind.as_db() />
                <fieldset>
                    <legend>{legend}</legend>
                    {(1..=kind.count() as u8).map(|n| {
                        let name = match kind {
                            TermKind::Quarter => t_string!(i18n, terms.quarter_n, n = n).to_string(),
                            TermKind::Semester => t_string!(i18n, terms.semester_n, n = n).to_string(),
                        };
                        let (starts_id, ends_id) = (format!("{}-starts{n}", kind.as_db()), format!("{}-ends{n}", kind.as_db()));
                        let (starts_for, ends_for) = (starts_id.clone(), ends_id.clone());
                        let starts_label = format!("{name}: {}", t_string!(i18n, terms.starts));
                        let ends_label = format!("{name}: {}", t_string!(i18n, terms.ends));
                        view! {
                            <div class="term-row">
                                <label for=starts_for>{starts_label}</label>
                                <DateInput id=starts_id name=format!("starts{n}") value=value(n, false) />
                                <label for=ends_for>{ends_label}</label>
                                <DateInput id=ends_id name=format!("ends{n}") value=value(n, true) />
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">{save}</button>
            </form>
        }
    }
}
