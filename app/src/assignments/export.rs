//! The journal as a spreadsheet: `/journal/export.csv?class=ID&subject=ID&lang=ky` (server only).

use super::JournalPage;
use crate::i18n::*;
use crate::ui::format::csv_cell as cell;

/// One row per student (in the roster's order), one column per date with a grade; a date with
/// two accepted works holds both grades ("5 4"). UTF-8 with a byte-order mark, so that a
/// spreadsheet opened by double click reads Kyrgyz letters right.
pub fn journal_csv(page: &JournalPage, locale: Locale) -> Option<String> {
    let chosen = page.chosen.as_ref()?;
    let subject = match locale {
        Locale::ru => &chosen.subject.ru,
        Locale::en => &chosen.subject.en,
        Locale::ky => &chosen.subject.ky,
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&cell(&format!("{} · {subject}", chosen.class_name)));
    out.push_str("\r\n");
    let mut head = vec![cell(td_string!(locale, tasks.student))];
    head.extend(page.dates.iter().map(|d| cell(d)));
    head.push(cell(td_string!(locale, tasks.average)));
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for (student, name) in &page.students {
        let own: Vec<_> = page
            .marks
            .iter()
            .filter(|m| m.student_id == *student)
            .collect();
        let mut row = vec![cell(name)];
        for date in &page.dates {
            let grades: Vec<String> = own
                .iter()
                .filter(|m| &m.date == date)
                .map(|m| m.grade.to_string())
                .collect();
            row.push(cell(&grades.join(" ")));
        }
        let grades: Vec<i64> = own.iter().map(|m| m.grade).collect();
        row.push(cell(
            &super::rules::average_text(&grades).unwrap_or_default(),
        ));
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignments::{JournalChoice, JournalMark};

    #[test]
    fn a_row_per_student_a_column_per_date_and_no_formulas() {
        let mark = |student_id, date: &str, grade| JournalMark {
            student_id,
            date: date.to_string(),
            grade,
            title: String::new(),
        };
        let page = JournalPage {
            choices: Vec::new(),
            chosen: Some(JournalChoice {
                class_id: 1,
                class_name: "5А".into(),
                subject_id: 2,
                subject: crate::timetable::SubjectName {
                    ky: "Кыргыз тили".into(),
                    ru: "Кыргызский язык".into(),
                    en: "Kyrgyz".into(),
                },
            }),
            students: vec![(7, "Асанов Бектур".into()), (8, "=HYPERLINK(1)".into())],
            dates: vec!["2026-11-27".into(), "2026-11-30".into()],
            marks: vec![
                mark(7, "2026-11-27", 5),
                mark(7, "2026-11-27", 4),
                mark(8, "2026-11-30", 3),
            ],
            books: Vec::new(),
        };
        let csv = journal_csv(&page, Locale::ru).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "\"5А · Кыргызский язык\"");
        assert!(
            lines[1].ends_with(",\"2026-11-27\",\"2026-11-30\",\"Средний\""),
            "{}",
            lines[1]
        );
        assert_eq!(lines[2], "\"Асанов Бектур\",\"5 4\",\"\",\"4.5\"");
        assert_eq!(lines[3], "\"'=HYPERLINK(1)\",\"\",\"3\",\"3.0\"");
        assert!(csv.starts_with('\u{feff}'));
        let empty = JournalPage {
            chosen: None,
            ..page
        };
        assert_eq!(journal_csv(&empty, Locale::ky), None);
    }
}
