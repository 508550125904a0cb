//! Error codes and role names turned into sentences in the reader's language.

use crate::accounts::Role;
use crate::error::{AppError, Field, Reason};
use crate::i18n::*;

pub fn role_text(role: Role) -> String {
    let i18n = use_i18n();
    match role {
        Role::Admin => t_string!(i18n, roles.admin),
        Role::Organiser => t_string!(i18n, roles.organiser),
        Role::Teacher => t_string!(i18n, roles.teacher),
        Role::ClassTeacher => t_string!(i18n, roles.class_teacher),
        Role::Student => t_string!(i18n, roles.student),
        Role::Parent => t_string!(i18n, roles.parent),
        Role::Expert => t_string!(i18n, roles.expert),
    }
    .to_string()
}

pub fn field_text(field: Field) -> String {
    let i18n = use_i18n();
    match field {
        Field::Login => t_string!(i18n, fields.login),
        Field::FullName => t_string!(i18n, fields.full_name),
        Field::Password => t_string!(i18n, fields.password),
        Field::Class => t_string!(i18n, fields.class),
        Field::Grade => t_string!(i18n, fields.grade),
        Field::Letter => t_string!(i18n, fields.letter),
        Field::Faculty => t_string!(i18n, fields.faculty),
        Field::Course => t_string!(i18n, fields.course),
        Field::GroupName => t_string!(i18n, fields.group_name),
        Field::Role => t_string!(i18n, fields.role),
        Field::Email => t_string!(i18n, fields.email),
        Field::Phone => t_string!(i18n, fields.phone),
        Field::Language => t_string!(i18n, fields.language),
        Field::Code => t_string!(i18n, fields.code),
        Field::Csv => t_string!(i18n, fields.csv),
        Field::Student => t_string!(i18n, fields.student),
        Field::Parent => t_string!(i18n, fields.parent),
        Field::Teacher => t_string!(i18n, fields.teacher),
        Field::Request => t_string!(i18n, fields.request),
        Field::Date => t_string!(i18n, fields.date),
        Field::Link => t_string!(i18n, fields.link),
        Field::Topic => t_string!(i18n, fields.topic),
        Field::Minutes => t_string!(i18n, fields.minutes),
        Field::Timer => t_string!(i18n, fields.timer),
        Field::Nomination => t_string!(i18n, fields.nomination),
        Field::Department => t_string!(i18n, fields.department),
        Field::Position => t_string!(i18n, fields.position),
        Field::LessonTitle => t_string!(i18n, fields.lesson_title),
        Field::PlanLink => t_string!(i18n, fields.plan_link),
        Field::VideoLink => t_string!(i18n, fields.video_link),
        Field::SocialLink => t_string!(i18n, fields.social_link),
        Field::Confirmation => t_string!(i18n, fields.confirmation),
        Field::Score => t_string!(i18n, fields.score),
        Field::Expert => t_string!(i18n, fields.expert),
        Field::Entry => t_string!(i18n, fields.entry),
        Field::Comment => t_string!(i18n, fields.comment),
        Field::Reason => t_string!(i18n, fields.reason),
        Field::Setting => t_string!(i18n, fields.setting),
        Field::Feedback => t_string!(i18n, fields.feedback),
        Field::Rating => t_string!(i18n, fields.rating),
        Field::Answer => t_string!(i18n, fields.answer),
        Field::Attendance => t_string!(i18n, fields.attendance),
        Field::Subject => t_string!(i18n, fields.subject),
        Field::NoticeText => t_string!(i18n, fields.notice_text),
        Field::Recipients => t_string!(i18n, fields.recipients),
        Field::Summary => t_string!(i18n, fields.summary),
        Field::Lesson => t_string!(i18n, fields.lesson),
        Field::Room => t_string!(i18n, fields.room),
        Field::Weeks => t_string!(i18n, fields.weeks),
        Field::Period => t_string!(i18n, fields.period),
        Field::Weekday => t_string!(i18n, fields.weekday),
        Field::Title => t_string!(i18n, fields.title),
        Field::Repeat => t_string!(i18n, fields.repeat),
        Field::Question => t_string!(i18n, fields.question),
        Field::Choices => t_string!(i18n, fields.choices),
        Field::Material => t_string!(i18n, fields.material),
        Field::Channel => t_string!(i18n, fields.channel),
        Field::Person => t_string!(i18n, fields.person),
        Field::Association => t_string!(i18n, fields.association),
        Field::Time => t_string!(i18n, fields.time),
        Field::Term => t_string!(i18n, fields.term),
        Field::Task => t_string!(i18n, fields.task),
        Field::WorkForm => t_string!(i18n, fields.work_form),
        Field::Due => t_string!(i18n, fields.due),
        Field::Instructions => t_string!(i18n, fields.instructions),
        Field::Work => t_string!(i18n, fields.work),
        Field::Verdict => t_string!(i18n, fields.verdict),
        Field::Mark => t_string!(i18n, fields.mark),
        Field::Review => t_string!(i18n, fields.review),
        Field::File => t_string!(i18n, fields.file),
    }
    .to_string()
}

pub fn reason_text(reason: Reason) -> String {
    let i18n = use_i18n();
    match reason {
        Reason::Empty => t_string!(i18n, reasons.empty),
        Reason::TooShort => t_string!(i18n, reasons.too_short),
        Reason::TooLong => t_string!(i18n, reasons.too_long),
        Reason::BadFormat => t_string!(i18n, reasons.bad_format),
        Reason::OutOfRange => t_string!(i18n, reasons.out_of_range),
        Reason::AlreadyTaken => t_string!(i18n, reasons.already_taken),
        Reason::DuplicateInFile => t_string!(i18n, reasons.duplicate_in_file),
        Reason::UnknownClass => t_string!(i18n, reasons.unknown_class),
        Reason::UnknownUser => t_string!(i18n, reasons.unknown_user),
        Reason::NotAStudent => t_string!(i18n, reasons.not_a_student),
        Reason::NotAParent => t_string!(i18n, reasons.not_a_parent),
        Reason::NotATeacher => t_string!(i18n, reasons.not_a_teacher),
        Reason::MissingColumn => t_string!(i18n, reasons.missing_column),
        Reason::CodeUnknown => t_string!(i18n, reasons.code_unknown),
        Reason::CodeUsed => t_string!(i18n, reasons.code_used),
        Reason::CodeExpired => t_string!(i18n, reasons.code_expired),
        Reason::NoRows => t_string!(i18n, reasons.no_rows),
        Reason::TooManyRows => t_string!(i18n, reasons.too_many_rows),
        Reason::NotThatDay => t_string!(i18n, reasons.not_that_day),
        Reason::NothingToReuse => t_string!(i18n, reasons.nothing_to_reuse),
        Reason::OverCap { cap_min } => {
            return t_string!(i18n, reasons.over_cap, cap = cap_min).to_string()
        }
        Reason::CapUsedToday { cap_min, left_min } => {
            return t_string!(i18n, reasons.cap_used_today, cap = cap_min, left = left_min)
                .to_string()
        }
        Reason::AboveRegulation { cap_min } => {
            return t_string!(i18n, reasons.above_regulation, cap = cap_min).to_string()
        }
        Reason::TimerBusy => t_string!(i18n, reasons.timer_busy),
        Reason::TimerEnded => t_string!(i18n, reasons.timer_ended),
        Reason::AlreadyPaused => t_string!(i18n, reasons.already_paused),
        Reason::NotPaused => t_string!(i18n, reasons.not_paused),
        Reason::NotToday => t_string!(i18n, reasons.not_today),
        Reason::Changed => t_string!(i18n, reasons.changed),
        Reason::OutOfPhase { from, until } => {
            let from = crate::ui::format::date_label(i64::from(from));
            return if until == i32::MAX {
                t_string!(i18n, reasons.out_of_phase_from, from = from).to_string()
            } else {
                let until = crate::ui::format::date_label(i64::from(until));
                t_string!(i18n, reasons.out_of_phase, from = from, until = until).to_string()
            };
        }
        Reason::OutOfOrder { position } => {
            return t_string!(i18n, reasons.out_of_order, position = position).to_string()
        }
        Reason::CouncilFull => t_string!(i18n, reasons.council_full),
        Reason::Locked => t_string!(i18n, reasons.locked),
        Reason::Conflicted => t_string!(i18n, reasons.conflicted),
        Reason::Incomplete => t_string!(i18n, reasons.incomplete),
        Reason::InUse => t_string!(i18n, reasons.in_use),
        Reason::NotYet => t_string!(i18n, reasons.not_yet),
        Reason::FixedForJudging => t_string!(i18n, reasons.fixed_for_judging),
        Reason::WindowClosed => t_string!(i18n, reasons.window_closed),
        Reason::TooFew { min } => return t_string!(i18n, reasons.too_few, min = min).to_string(),
        Reason::Term { number, problem } => {
            use crate::timetable::terms::TermProblem;
            return match problem {
                TermProblem::Missing => t_string!(i18n, reasons.term_missing, n = number),
                TermProblem::EndsBeforeStart => t_string!(i18n, reasons.term_backwards, n = number),
                TermProblem::Overlaps => t_string!(i18n, reasons.term_overlaps, n = number),
                TermProblem::OutsideYear => t_string!(i18n, reasons.term_outside_year, n = number),
            }
            .to_string();
        }
        Reason::NoRecipients => t_string!(i18n, reasons.no_recipients),
        Reason::Withdrawn => t_string!(i18n, reasons.withdrawn),
        Reason::AlreadyAccepted => t_string!(i18n, reasons.already_accepted),
        Reason::AlreadyHandedIn => t_string!(i18n, reasons.already_handed_in),
        Reason::NotPositive => t_string!(i18n, reasons.not_positive),
        Reason::TooSoon => t_string!(i18n, reasons.too_soon),
        Reason::HasHistory => t_string!(i18n, reasons.has_history),
        Reason::Clash {
            kind,
            weekday,
            period,
        } => {
            use crate::timetable::rules::ClashKind;
            let day = crate::ui::format::weekday_text(weekday);
            return match kind {
                ClashKind::Teacher => {
                    t_string!(i18n, reasons.clash_teacher, day = day, period = period)
                }
                ClashKind::Class => {
                    t_string!(i18n, reasons.clash_class, day = day, period = period)
                }
                ClashKind::Room => t_string!(i18n, reasons.clash_room, day = day, period = period),
            }
            .to_string();
        }
    }
    .to_string()
}

pub fn error_text(err: &AppError) -> String {
    let i18n = use_i18n();
    match err {
        AppError::NotLoggedIn => t_string!(i18n, errors.not_logged_in).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::WrongCredentials => t_string!(i18n, errors.wrong_credentials).to_string(),
        AppError::Throttled => t_string!(i18n, errors.throttled).to_string(),
        AppError::Internal => t_string!(i18n, errors.internal).to_string(),
        AppError::Network => t_string!(i18n, errors.network).to_string(),
        AppError::Import(rows) => {
            t_string!(i18n, errors.import_refused, count = rows.len()).to_string()
        }
        AppError::Invalid { field, reason } => t_string!(
            i18n,
            errors.invalid,
            field = field_text(*field),
            reason = reason_text(*reason)
        )
        .to_string(),
    }
}
