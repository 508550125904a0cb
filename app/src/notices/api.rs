//! Server functions of notices. The forms are plain posts answered with a redirect to
//! `/notices` (with `?error=` when refused), so they work without JavaScript.

use super::*;
use crate::error::AppResult;
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::super::rules::{self as n_rules, Participation, QuietHours};
    pub use super::super::store::{Family, NewMail, NewNotice};
    pub use crate::accounts::auth::require_user;
    pub use crate::accounts::{ClassRef, Me};
    pub use crate::db::{now, Db};
    pub use crate::error::{AppError, Field, Reason};
    pub use crate::feedback::store as fb_store;
    pub use crate::i18n::{td_string, Locale};
    pub use crate::state::{app_state, db};
    pub use crate::timetable::rules as tt_rules;
    pub use crate::timetable::store as tt_store;
    pub use crate::ui::forms::answer_form_to;
}
#[cfg(feature = "ssr")]
use ssr::*;

pub const NOTICES_PAGE: &str = "/notices";

#[cfg(feature = "ssr")]
fn locale_of(language: &str) -> Locale {
    match language {
        "ru" => Locale::ru,
        "en" => Locale::en,
        _ => Locale::ky,
    }
}

/// The class this person leads as class teacher, or Forbidden.
#[cfg(feature = "ssr")]
fn led_class(me: &Me) -> AppResult<&ClassRef> {
    me.leads.as_ref().ok_or(AppError::Forbidden)
}

/// The summary period from the page's query: the last two weeks by default.
#[cfg(feature = "ssr")]
fn period(from: Option<String>, to: Option<String>) -> AppResult<(i64, i64)> {
    let today = crate::db::today();
    let day = |raw: Option<String>, default: i64| match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => {
            tt_rules::parse_date(text).ok_or(AppError::invalid(Field::Date, Reason::BadFormat))
        }
    };
    let to = day(to, today)?;
    let from = day(from, to - n_rules::SUMMARY_DEFAULT_DAYS)?;
    if from > to || to - from > n_rules::SUMMARY_MAX_DAYS {
        return Err(AppError::invalid(Field::Date, Reason::OutOfRange));
    }
    Ok((from, to))
}

/// Each student's participation in the class's lessons held between two days.
#[cfg(feature = "ssr")]
async fn participation(
    db: &Db,
    class_id: i64,
    from: i64,
    to: i64,
) -> AppResult<HashMap<i64, Participation>> {
    use crate::feedback::rules::Attendance;
    let lessons = tt_store::lessons_of_class(db, class_id).await?;
    let held = tt_store::held_between(db, &lessons, from, to).await?;
    let (from_iso, to_iso) = (tt_rules::iso_date(from), tt_rules::iso_date(to));
    let marks = fb_store::attendance_of_class(db, class_id, &from_iso).await?;
    let given = fb_store::given_by_student(db, class_id, &from_iso, &to_iso).await?;
    let changes = tt_store::changes_between(db, Some(class_id), None, &from_iso, &to_iso).await?;
    let cancelled = changes
        .values()
        .filter(|c| c.kind == crate::timetable::ChangeKind::Cancelled.as_db())
        .count() as i64;
    let until = tt_rules::bishkek_midnight_ms(to + 1) / 1000;
    let tasks = crate::assignments::store::completion_of_class(
        db,
        class_id,
        tt_rules::bishkek_midnight_ms(from) / 1000,
        until,
    )
    .await?;
    let mut out: HashMap<i64, Participation> = HashMap::new();
    for (student, _) in fb_store::roster(db, class_id).await? {
        let p = out.entry(student).or_default();
        p.feedback = given.get(&student).copied().unwrap_or(0);
        p.tasks_given = tasks.given;
        (p.tasks_handed_in, p.tasks_on_time) =
            tasks.by_student.get(&student).copied().unwrap_or((0, 0));
        p.changes = changes.len() as i64;
        p.cancelled = cancelled;
        for h in &held {
            let (joined, mark) = marks
                .get(&(h.lesson.id, tt_rules::iso_date(h.day), student))
                .copied()
                .unwrap_or((false, None));
            let status = mark.unwrap_or(if joined {
                Attendance::Present
            } else {
                Attendance::Absent
            });
            p.scheduled += 1;
            p.attended += i64::from(status.attended());
            p.late += i64::from(status == Attendance::Late);
            p.excused += i64::from(status == Attendance::Excused);
        }
    }
    Ok(out)
}

/// The auto-filled part about one child, in their parent's language.
#[cfg(feature = "ssr")]
fn summary_text(locale: Locale, child: &str, from: i64, to: i64, p: Participation) -> String {
    let percent = crate::feedback::rules::percent(p.attended, p.scheduled)
        .map_or_else(|| "—".to_string(), |n| format!("{n}\u{a0}%"));
    td_string!(
        locale,
        notices.summary,
        child = child,
        from = crate::ui::format::date_in(locale, from),
        to = crate::ui::format::date_in(locale, to),
        scheduled = p.scheduled,
        attended = p.attended,
        percent = percent,
        late = p.late,
        excused = p.excused,
        feedback = p.feedback,
        changes = p.changes,
        cancelled = p.cancelled,
        tasks_given = p.tasks_given,
        tasks_handed = p.tasks_handed_in,
        tasks_on_time = p.tasks_on_time
    )
    .to_string()
}

/// A class teacher's form (with each child's summary) and sent notices; a parent's notices.
#[server(endpoint = "notices/page")]
pub async fn get_notices_page(from: Option<String>, to: Option<String>) -> AppResult<NoticesPage> {
    let me = require_user().await?;
    let db = db()?;
    let teacher = match &me.leads {
        Some(class) => {
            let (from, to) = period(from, to)?;
            let families = store::families(&db, class.id).await?;
            let shares = participation(&db, class.id, from, to).await?;
            let drafts = fb_store::roster(&db, class.id)
                .await?
                .into_iter()
                .map(|(student_id, full_name)| {
                    let mine: Vec<&Family> = families
                        .iter()
                        .filter(|f| f.student_id == student_id)
                        .collect();
                    let locale = locale_of(mine.first().map_or("ky", |f| f.language.as_str()));
                    let p = shares.get(&student_id).copied().unwrap_or_default();
                    SummaryDraft {
                        student_id,
                        summary: summary_text(locale, &full_name, from, to, p),
                        full_name,
                        parents: mine.iter().map(|f| f.parent_name.clone()).collect(),
                    }
                })
                .collect();
            Some(TeacherNotices {
                class_name: class.name.clone(),
                from: tt_rules::iso_date(from),
                to: tt_rules::iso_date(to),
                drafts,
                sent: store::sent(&db, class.id, 30).await?,
                mail_enabled: app_state()?.mail_enabled,
            })
        }
        None => None,
    };
    let parent = if me.children.is_empty() {
        None
    } else {
        Some(store::for_parent(&db, me.id).await?)
    };
    if teacher.is_none() && parent.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(NoticesPage { teacher, parent })
}

/// One parent's mail of a notice: the common text and the parts about their children.
#[cfg(feature = "ssr")]
struct MailText<'a> {
    class_name: &'a str,
    author: &'a str,
    subject: &'a str,
    body: &'a str,
}

#[cfg(feature = "ssr")]
fn mail_for(
    text: &MailText<'_>,
    locale: Locale,
    parts: &[&str],
    reminder: bool,
) -> (String, String) {
    let mut subject = td_string!(
        locale,
        notices.mail_subject,
        class = text.class_name,
        subject = text.subject
    )
    .to_string();
    let mut body = String::new();
    if reminder {
        subject = td_string!(locale, notices.reminder_subject, subject = subject).to_string();
        body.push_str(td_string!(locale, notices.reminder_intro));
        body.push_str("\n\n");
    }
    body.push_str(text.body);
    for part in parts.iter().filter(|p| !p.is_empty()) {
        body.push_str("\n\n");
        body.push_str(part);
    }
    body.push_str("\n\n-- \n");
    body.push_str(
        &td_string!(
            locale,
            notices.mail_footer,
            author = text.author,
            class = text.class_name
        )
        .to_string(),
    );
    (subject, body)
}

/// A parent's mail, due when the quiet hours allow (none for a parent without an address).
#[cfg(feature = "ssr")]
fn mail_to(
    user_id: i64,
    email: &Option<String>,
    (subject, body): (String, String),
    urgent: bool,
    at: i64,
) -> Option<NewMail> {
    let address = email.clone().filter(|a| !a.trim().is_empty())?;
    Some(NewMail {
        user_id,
        address,
        subject,
        body,
        urgent,
        due_at: n_rules::release_at(at, urgent, QuietHours::default()),
    })
}

/// The class teacher sends a notice to all the class's parents or to the chosen children's.
/// `pick[<student id>]` chooses children; `summary[<student id>]` is the part about each child.
#[server(endpoint = "notices/send")]
#[allow(clippy::too_many_arguments)]
pub async fn send_notice(
    subject: String,
    body: String,
    audience: String,
    pick: Option<HashMap<String, String>>,
    summary: Option<HashMap<String, String>>,
    with_summary: Option<String>,
    urgent: Option<String>,
) -> AppResult<()> {
    let result = async {
        let me = require_user().await?;
        let class = led_class(&me)?.clone();
        let db = db()?;
        let subject = n_rules::required_text(&subject, n_rules::SUBJECT_MAX)
            .map_err(|r| AppError::invalid(Field::Subject, r))?;
        let body = n_rules::required_text(&body, n_rules::BODY_MAX)
            .map_err(|r| AppError::invalid(Field::NoticeText, r))?;
        let urgent = urgent.is_some_and(|u| !u.trim().is_empty());
        let families = store::families(&db, class.id).await?;
        let roster = fb_store::roster(&db, class.id).await?;
        let in_class = |id: i64| roster.iter().any(|(s, _)| *s == id);
        let student_key = |key: &str| {
            key.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| in_class(*id))
                .ok_or(AppError::invalid(Field::Student, Reason::UnknownUser))
        };
        let chosen: Vec<i64> = match audience.trim() {
            "class" => roster.iter().map(|(id, _)| *id).collect(),
            "chosen" => {
                let mut ids = Vec::new();
                for (key, value) in pick.unwrap_or_default() {
                    if !value.trim().is_empty() {
                        ids.push(student_key(&key)?);
                    }
                }
                ids
            }
            _ => return Err(AppError::invalid(Field::Recipients, Reason::BadFormat)),
        };
        let mut personal: HashMap<i64, String> = HashMap::new();
        if with_summary.is_some_and(|w| !w.trim().is_empty()) {
            for (key, text) in summary.unwrap_or_default() {
                let id = student_key(&key)?;
                let text = n_rules::optional_text(&text, n_rules::PERSONAL_MAX)
                    .map_err(|r| AppError::invalid(Field::Summary, r))?;
                personal.insert(id, text);
            }
        }
        let reached: Vec<&Family> = families
            .iter()
            .filter(|f| chosen.contains(&f.student_id))
            .collect();
        if reached.is_empty() {
            return Err(AppError::invalid(Field::Recipients, Reason::NoRecipients));
        }
        let recipients = reached
            .iter()
            .map(|f| {
                let part = personal.get(&f.student_id).cloned().unwrap_or_default();
                (f.parent_id, f.student_id, part)
            })
            .collect();
        let text = MailText {
            class_name: &class.name,
            author: &me.full_name,
            subject: &subject,
            body: &body,
        };
        let mails = if app_state()?.mail_enabled {
            let at = now();
            let mut mails: Vec<NewMail> = Vec::new();
            for f in &reached {
                if mails.iter().any(|m| m.user_id == f.parent_id) {
                    continue;
                }
                let parts: Vec<&str> = reached
                    .iter()
                    .filter(|g| g.parent_id == f.parent_id)
                    .filter_map(|g| personal.get(&g.student_id).map(String::as_str))
                    .collect();
                let words = mail_for(&text, locale_of(&f.language), &parts, false);
                mails.extend(mail_to(f.parent_id, &f.email, words, urgent, at));
            }
            mails
        } else {
            Vec::new()
        };
        store::create(
            &db,
            &NewNotice {
                class_id: class.id,
                author_id: me.id,
                subject: &subject,
                body: &body,
                urgent,
                recipients,
                mails,
            },
        )
        .await?;
        Ok(())
    }
    .await;
    answer_form_to(result, "/notices?sent=1", NOTICES_PAGE)
}

/// A parent confirms they have read a notice addressed to them.
#[server(endpoint = "notices/read")]
pub async fn confirm_notice(notice_id: i64) -> AppResult<()> {
    let result = async {
        let me = require_user().await?;
        if me.children.is_empty() {
            return Err(AppError::Forbidden);
        }
        let db = db()?;
        if !store::confirm(&db, notice_id, me.id).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }
    .await;
    answer_form_to(result, "/notices?read=1", NOTICES_PAGE)
}

/// The class teacher reminds the parents who have not confirmed a notice of their class (in the
/// app, and by mail when configured), at most once an hour.
#[server(endpoint = "notices/nudge")]
pub async fn nudge_notice(notice_id: i64) -> AppResult<()> {
    let result = async {
        let me = require_user().await?;
        let class = led_class(&me)?.clone();
        let db = db()?;
        let head = store::head(&db, notice_id)
            .await?
            .filter(|h| h.class_id == class.id)
            .ok_or(AppError::NotFound)?;
        let at = now();
        let waiting = store::non_readers(&db, notice_id).await?;
        if waiting.is_empty() {
            return Err(AppError::invalid(Field::Recipients, Reason::NoRecipients));
        }
        if waiting.iter().any(|w| {
            w.nudged_at
                .is_some_and(|t| at - t < n_rules::NUDGE_INTERVAL_SECS)
        }) {
            return Err(AppError::invalid(Field::Recipients, Reason::TooSoon));
        }
        let text = MailText {
            class_name: &class.name,
            author: &head.author_name,
            subject: &head.subject,
            body: &head.body,
        };
        let urgent = head.urgent == 1;
        let mut mails = Vec::new();
        if app_state()?.mail_enabled {
            for w in &waiting {
                let words = mail_for(&text, locale_of(&w.language), &[], true);
                mails.extend(mail_to(w.parent_id, &w.email, words, urgent, at));
            }
        }
        let parents: Vec<i64> = waiting.iter().map(|w| w.parent_id).collect();
        store::nudge(&db, notice_id, &parents, &mails).await
    }
    .await;
    answer_form_to(result, "/notices?nudged=1", NOTICES_PAGE)
}

/// A notice the system writes to every parent of a class (e.g. a timetable change), in each
/// parent's language: one notice per language, each with its mails when e-mail is on.
/// `text(locale)` gives the subject and the body.
#[cfg(feature = "ssr")]
pub async fn system_notice(
    db: &Db,
    class_id: i64,
    class_name: &str,
    author: (i64, &str),
    urgent: bool,
    text: impl Fn(Locale) -> (String, String),
) -> AppResult<usize> {
    let families = store::families(db, class_id).await?;
    let mail = app_state()?.mail_enabled;
    let at = now();
    let mut sent = 0;
    for locale in [Locale::ky, Locale::ru, Locale::en] {
        let group: Vec<&Family> = families
            .iter()
            .filter(|f| locale_of(&f.language) == locale)
            .collect();
        if group.is_empty() {
            continue;
        }
        let (subject, body) = text(locale);
        let words = MailText {
            class_name,
            author: author.1,
            subject: &subject,
            body: &body,
        };
        let mut mails: Vec<NewMail> = Vec::new();
        for f in group.iter().filter(|_| mail) {
            if mails.iter().any(|m| m.user_id == f.parent_id) {
                continue;
            }
            let text = mail_for(&words, locale, &[], false);
            mails.extend(mail_to(f.parent_id, &f.email, text, urgent, at));
        }
        store::create(
            db,
            &NewNotice {
                class_id,
                author_id: author.0,
                subject: &subject,
                body: &body,
                urgent,
                recipients: group
                    .iter()
                    .map(|f| (f.parent_id, f.student_id, String::new()))
                    .collect(),
                mails,
            },
        )
        .await?;
        sent += group.len();
    }
    Ok(sent)
}
