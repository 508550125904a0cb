//! Checking a whole timetable from CSV, as a plain function (no I/O): every row is read against
//! the school's classes, subjects, teachers and bells, and against the lessons already there and
//! the rows before it; every problem is reported with its line, and nothing is saved unless
//! every row is good.
//!
//! Columns, named in a header row in any order: `class, weekday, period, subject, teacher`
//! (required) and `form, mode, room, weeks` (optional). A weekday is 1-6 or its name in Kyrgyz,
//! Russian or English; a subject its name in any of the three; a teacher their login.

use super::rules::{self, Slot};
use super::store::LessonDraft;
use super::{LessonForm, LessonMode, Weeks};
use crate::error::{Field, Reason, RowError};
use std::collections::{HashMap, HashSet};

pub const MAX_ROWS: usize = 5000;
const REQUIRED: [&str; 5] = ["class", "weekday", "period", "subject", "teacher"];

const DAY_NAMES: [[&str; 3]; 6] = [
    ["дүйшөмбү", "понедельник", "monday"],
    ["шейшемби", "вторник", "tuesday"],
    ["шаршемби", "среда", "wednesday"],
    ["бейшемби", "четверг", "thursday"],
    ["жума", "пятница", "friday"],
    ["ишемби", "суббота", "saturday"],
];

/// What the rows are checked against. Names are matched trimmed and lower-cased.
#[derive(Debug, Default, Clone)]
pub struct Lookups {
    pub classes: HashMap<String, i64>,
    pub subjects: HashMap<String, i64>,
    pub teachers: HashMap<String, i64>,
    pub periods: HashSet<i64>,
    /// 4 = Friday, 5 = Saturday.
    pub last_day: u8,
}

fn key(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A weekday as written: 1-6 or a name; 0 = Monday.
pub fn parse_weekday(raw: &str) -> Option<u8> {
    let raw = key(raw);
    if let Ok(n) = raw.parse::<u8>() {
        return (1..=6).contains(&n).then(|| n - 1);
    }
    DAY_NAMES
        .iter()
        .position(|names| names.contains(&raw.as_str()))
        .map(|i| i as u8)
}

/// Checks every row (line 1 is the header). `existing` are the lessons that stay; each good row
/// is checked against them and the good rows before it.
pub fn check_rows(
    records: &[Vec<String>],
    lookups: &Lookups,
    existing: &[Slot],
) -> Result<Vec<LessonDraft>, Vec<RowError>> {
    let error = |line: usize, field: Field, reason: Reason| RowError {
        line,
        field,
        reason,
    };
    let Some(header) = records.first() else {
        return Err(vec![error(1, Field::Csv, Reason::NoRows)]);
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (key(name), i))
        .collect();
    if REQUIRED.iter().any(|c| !columns.contains_key(*c)) {
        return Err(vec![error(1, Field::Csv, Reason::MissingColumn)]);
    }
    if records.len() < 2 {
        return Err(vec![error(1, Field::Csv, Reason::NoRows)]);
    }
    if records.len() - 1 > MAX_ROWS {
        return Err(vec![error(1, Field::Csv, Reason::TooManyRows)]);
    }
    let mut errors = Vec::new();
    let mut slots: Vec<Slot> = existing.to_vec();
    let mut drafts = Vec::new();
    for (i, record) in records.iter().enumerate().skip(1) {
        let line = i + 1;
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|c| record.get(*c))
                .map_or("", |v| v.trim())
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let before = errors.len();
        let mut check = |value: Option<i64>, field: Field, reason: Reason| {
            if value.is_none() {
                errors.push(error(line, field, reason));
            }
            value
        };
        let class_id = check(
            lookups.classes.get(&key(cell("class"))).copied(),
            Field::Class,
            Reason::UnknownClass,
        );
        let weekday = check(
            parse_weekday(cell("weekday"))
                .filter(|d| *d <= lookups.last_day)
                .map(i64::from),
            Field::Weekday,
            Reason::OutOfRange,
        );
        let period = check(
            cell("period")
                .parse::<i64>()
                .ok()
                .filter(|p| lookups.periods.contains(p)),
            Field::Period,
            Reason::OutOfRange,
        );
        let subject_id = check(
            lookups.subjects.get(&key(cell("subject"))).copied(),
            Field::Subject,
            Reason::OutOfRange,
        );
        let teacher_id = check(
            lookups.teachers.get(&key(cell("teacher"))).copied(),
            Field::Teacher,
            Reason::NotATeacher,
        );
        let form = match cell("form") {
            "" => Some(LessonForm::Lecture),
            raw => LessonForm::ALL.into_iter().find(|f| f.as_db() == key(raw)),
        };
        let mode = match key(cell("mode")).as_str() {
            "" | "online" => Some(LessonMode::Online),
            "in_school" => Some(LessonMode::InSchool),
            "tv" => Some(LessonMode::Tv),
            _ => None,
        };
        if form.is_none() || mode.is_none() {
            errors.push(error(line, Field::Request, Reason::BadFormat));
        }
        let room = cell("room");
        if room.chars().count() > 20 {
            errors.push(error(line, Field::Room, Reason::TooLong));
        }
        let weeks = Weeks::from_db(&key(cell("weeks")));
        if weeks.is_none() {
            errors.push(error(line, Field::Weeks, Reason::BadFormat));
        }
        if errors.len() > before {
            continue;
        }
        let (Some(class_id), Some(weekday), Some(period), Some(subject_id), Some(teacher_id)) =
            (class_id, weekday, period, subject_id, teacher_id)
        else {
            continue;
        };
        let (Some(form), Some(mode), Some(weeks)) = (form, mode, weeks) else {
            continue;
        };
        let room = (!room.is_empty()).then(|| room.to_string());
        let candidate = Slot {
            // New lessons have no id yet: a negative one per line keeps them apart.
            lesson_id: -(line as i64),
            weekday: weekday as u8,
            period,
            class_id,
            teacher_id,
            room: room.clone(),
            weeks,
        };
        if let Some(clash) = rules::main_clash(&rules::clashes(&slots, &candidate)) {
            errors.push(error(
                line,
                Field::Lesson,
                Reason::Clash {
                    kind: clash.kind,
                    weekday: weekday as u8,
                    period: period as u8,
                },
            ));
            continue;
        }
        slots.push(candidate);
        drafts.push(LessonDraft {
            class_id,
            weekday: weekday as u8,
            period,
            subject_id,
            teacher_id,
            form,
            mode,
            room,
            weeks,
        });
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timetable::rules::ClashKind;
    use proptest::prelude::*;

    fn lookups() -> Lookups {
        Lookups {
            classes: [("5а".to_string(), 1), ("5б".to_string(), 2)].into(),
            subjects: [("математика".to_string(), 10), ("math".to_string(), 10)].into(),
            teachers: [
                ("teacher".to_string(), 100),
                ("teacher030".to_string(), 101),
            ]
            .into(),
            periods: (1..=6).collect(),
            last_day: 4,
        }
    }

    fn csv(rows: &[&str]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.split(',').map(str::to_string).collect())
            .collect()
    }

    const HEADER: &str = "class,weekday,period,subject,teacher,room,weeks";

    #[test]
    fn good_rows_become_lessons() {
        let drafts = check_rows(
            &csv(&[
                HEADER,
                "5А,1,1,Математика,teacher,,",
                "5Б,Monday,2,math,teacher030,12,odd",
                ",,,,,,",
                "5Б,шейшемби,1,Math,TEACHER,,3-10",
            ]),
            &lookups(),
            &[],
        )
        .unwrap();
        assert_eq!(drafts.len(), 3);
        assert_eq!(
            (drafts[1].weekday, drafts[1].room.as_deref()),
            (0, Some("12"))
        );
        assert_eq!(drafts[1].weeks, Weeks::Odd);
        assert_eq!((drafts[2].weekday, drafts[2].teacher_id), (1, 100));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let errors = check_rows(
            &csv(&[
                HEADER,
                "9Я,1,1,Математика,teacher,,",
                "5А,7,1,Математика,teacher,,",
                "5А,1,9,Химия,nobody,,",
                "5А,1,1,Математика,teacher,,sometimes",
            ]),
            &lookups(),
            &[],
        )
        .unwrap_err();
        let found: Vec<(usize, Field)> = errors.iter().map(|e| (e.line, e.field)).collect();
        assert_eq!(
            found,
            vec![
                (2, Field::Class),
                (3, Field::Weekday),
                (4, Field::Period),
                (4, Field::Subject),
                (4, Field::Teacher),
                (5, Field::Weeks),
            ]
        );
    }

    #[test]
    fn clashes_with_the_timetable_and_within_the_file_are_refused() {
        let existing = Slot {
            lesson_id: 7,
            weekday: 0,
            period: 1,
            class_id: 1,
            teacher_id: 101,
            room: None,
            weeks: Weeks::All,
        };
        let errors = check_rows(
            &csv(&[
                HEADER,
                "5А,1,1,Математика,teacher,,",
                "5Б,2,3,Математика,teacher,,",
                "5А,2,3,Математика,teacher,,",
            ]),
            &lookups(),
            &[existing],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 2);
        assert!(matches!(
            errors[0].reason,
            Reason::Clash {
                kind: ClashKind::Class,
                ..
            }
        ));
        assert_eq!(errors[1].line, 4);
        assert!(matches!(
            errors[1].reason,
            Reason::Clash {
                kind: ClashKind::Teacher,
                weekday: 1,
                period: 3
            }
        ));
    }

    #[test]
    fn a_file_without_the_columns_or_rows_is_refused() {
        let missing = check_rows(&csv(&["class,weekday,period,subject"]), &lookups(), &[]);
        assert_eq!(missing.unwrap_err()[0].reason, Reason::MissingColumn);
        let empty = check_rows(&csv(&[HEADER]), &lookups(), &[]);
        assert_eq!(empty.unwrap_err()[0].reason, Reason::NoRows);
    }

    proptest! {
        /// Whatever the rows, the lessons accepted never clash with each other.
        #[test]
        fn accepted_lessons_never_clash(rows in prop::collection::vec((0usize..2, 1u8..=5, 1i64..=3, 0usize..2), 1..30)) {
            let classes = ["5А", "5Б"];
            let teachers = ["teacher", "teacher030"];
            let mut records = csv(&[HEADER]);
            for (c, d, p, t) in &rows {
                records.push(csv(&[&format!("{},{d},{p},Математика,{},,", classes[*c], teachers[*t])]).remove(0));
            }
            if let Ok(drafts) = check_rows(&records, &lookups(), &[]) {
                for (i, a) in drafts.iter().enumerate() {
                    for b in &drafts[i + 1..] {
                        let same_time = a.weekday == b.weekday && a.period == b.period;
                        prop_assert!(!(same_time && (a.class_id == b.class_id || a.teacher_id == b.teacher_id)));
                    }
                }
            }
        }
    }
}
