//! The demo school created on first run (and by `sabak seed --demo` on an empty database):
//! grades 1-11, a university faculty, 32 teachers, ~300 students, parents, one account per role,
//! and a week of lessons for every class.

use crate::accounts::store::hash_password;
use crate::db::{now, Db};
use crate::error::{AppError, AppResult};

/// Every demo account shares this password; printed at start-up and in the README.
pub const DEMO_PASSWORD: &str = "sabak2026";

/// (login, role label) of the accounts printed for people trying Sabak.
pub const DEMO_LOGINS: [(&str, &str); 6] = [
    ("admin", "admin"),
    ("organiser", "organiser"),
    ("teacher", "teacher, class teacher of 5А"),
    ("student", "student of 5А"),
    ("parent", "parent of a 5А and a 2Б student"),
    ("expert", "contest expert"),
];

const MALE: [&str; 20] = [
    "Айбек",
    "Бакыт",
    "Нурлан",
    "Азамат",
    "Эрлан",
    "Талант",
    "Улан",
    "Мирлан",
    "Бектур",
    "Адилет",
    "Нурсултан",
    "Жоомарт",
    "Эмир",
    "Арген",
    "Тимур",
    "Данияр",
    "Алмаз",
    "Канат",
    "Руслан",
    "Самат",
];
const FEMALE: [&str; 20] = [
    "Айгүл",
    "Асел",
    "Жылдыз",
    "Нуриза",
    "Айпери",
    "Бегимай",
    "Мээрим",
    "Айжан",
    "Гүлзат",
    "Динара",
    "Эльмира",
    "Чолпон",
    "Назира",
    "Сезим",
    "Айдана",
    "Нургүл",
    "Каныкей",
    "Элнура",
    "Аида",
    "Толгонай",
];
const SURNAME_STEMS: [&str; 20] = [
    "Асанов",
    "Токтогулов",
    "Жумабаев",
    "Абдыкадыров",
    "Сатыбалдиев",
    "Бообеков",
    "Осмонов",
    "Кадыров",
    "Мамбетов",
    "Турдубаев",
    "Исаков",
    "Эсенгулов",
    "Насиров",
    "Арстанбеков",
    "Шаршеналиев",
    "Маматов",
    "Өмүрбеков",
    "Сыдыков",
    "Токтосунов",
    "Бекмуратов",
];

/// A realistic Kyrgyz full name, "Surname Name", chosen deterministically from `n`.
pub fn person_name(n: usize) -> String {
    let surname = SURNAME_STEMS[(n * 7 + n / 20) % SURNAME_STEMS.len()];
    if n.is_multiple_of(2) {
        format!("{surname} {}", MALE[(n / 2) % MALE.len()])
    } else {
        // Female surnames take -а: Асанов -> Асанова.
        format!("{surname}а {}", FEMALE[(n / 2) % FEMALE.len()])
    }
}

/// (Kyrgyz, Russian, English) subject names.
pub const SUBJECTS: [(&str, &str, &str); 16] = [
    ("Кыргыз тили", "Кыргызский язык", "Kyrgyz language"),
    (
        "Кыргыз адабияты",
        "Кыргызская литература",
        "Kyrgyz literature",
    ),
    ("Орус тили", "Русский язык", "Russian language"),
    ("Англис тили", "Английский язык", "English"),
    ("Математика", "Математика", "Mathematics"),
    ("Алгебра", "Алгебра", "Algebra"),
    ("Геометрия", "Геометрия", "Geometry"),
    ("Физика", "Физика", "Physics"),
    ("Химия", "Химия", "Chemistry"),
    ("Биология", "Биология", "Biology"),
    ("География", "География", "Geography"),
    ("Тарых", "История", "History"),
    ("Информатика", "Информатика", "Computer science"),
    ("Мекен таануу", "Родиноведение", "Homeland studies"),
    ("Дене тарбия", "Физическая культура", "Physical education"),
    ("Музыка", "Музыка", "Music"),
];

pub async fn is_empty(db: &Db) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM schools")
        .fetch_one(&db.pool)
        .await?;
    Ok(n == 0)
}

/// Seeds the demo school if the database has no school yet. Returns whether it seeded.
pub async fn seed_if_empty(db: &Db) -> AppResult<bool> {
    if !is_empty(db).await? {
        return Ok(false);
    }
    seed(db).await?;
    Ok(true)
}

struct Seeder<'a> {
    tx: sqlx::Transaction<'a, sqlx::Any>,
    school: i64,
    hash: String,
    at: i64,
}

impl Seeder<'_> {
    async fn user(&mut self, login: &str, name: &str, roles: &[&str]) -> AppResult<i64> {
        let id = crate::accounts::store::insert_person(
            &mut self.tx,
            self.school,
            login,
            name,
            &self.hash,
            self.at,
        )
        .await?;
        for role in roles {
            sqlx::query("INSERT INTO role_grants (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(*role)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(id)
    }

    async fn class(
        &mut self,
        kind: &str,
        name: &str,
        grade: Option<i64>,
        letter: Option<&str>,
        faculty: Option<&str>,
        course: Option<i64>,
    ) -> AppResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO classes (school_id, kind, name, grade, letter, faculty, course, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(self.school)
        .bind(kind)
        .bind(name)
        .bind(grade)
        .bind(letter)
        .bind(faculty)
        .bind(course)
        .bind(self.at)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    async fn enrol(&mut self, student: i64, class: i64) -> AppResult<()> {
        sqlx::query("INSERT INTO enrolments (student_id, class_id, since) VALUES ($1, $2, $3)")
            .bind(student)
            .bind(class)
            .bind(self.at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn lead(&mut self, class: i64, teacher: i64) -> AppResult<()> {
        sqlx::query("UPDATE classes SET class_teacher_id = $1 WHERE id = $2")
            .bind(teacher)
            .bind(class)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn link(&mut self, parent: i64, student: i64) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO parent_links (parent_id, student_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(parent)
        .bind(student)
        .bind(self.at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

/// How big a school to seed: the demo (26 classes, ~300 students) or the big one that tests and
/// benchmarks load (`sabak seed --big`: 80 classes, 2,000 students, 150 teachers).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub teachers: usize,
    /// Parallel classes (А, Б, …) in grades up to `low_grades`, and above.
    pub low_grades: i64,
    pub parallels_low: usize,
    pub parallels_high: usize,
    pub students_per_class: usize,
    pub parents: usize,
}

impl Scale {
    pub const DEMO: Scale = Scale {
        teachers: 32,
        low_grades: 4,
        parallels_low: 3,
        parallels_high: 2,
        students_per_class: 11,
        parents: 60,
    };
    pub const BIG: Scale = Scale {
        teachers: 150,
        low_grades: 3,
        parallels_low: 8,
        parallels_high: 7,
        students_per_class: 25,
        parents: 1000,
    };
}

const LETTERS: [&str; 8] = ["А", "Б", "В", "Г", "Д", "Е", "Ж", "З"];

/// Seeds the demo school.
pub async fn seed(db: &Db) -> AppResult<()> {
    seed_scaled(db, Scale::DEMO).await
}

/// Seeds a school of the given size (the demo's accounts and contest included).
pub async fn seed_scaled(db: &Db, scale: Scale) -> AppResult<()> {
    // One hash for every demo account (they share a password): hashing ~400 times would
    // make first start-up take many seconds. Real accounts each get their own salt.
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
        .await
        .map_err(|_| AppError::Internal)??;
    let at = now();
    let mut tx = db.begin_write().await?;
    let (school,): (i64,) = sqlx::query_as(
        "INSERT INTO schools (name, kind, created_at) VALUES ($1, 'both', $2) RETURNING id",
    )
    .bind("Сабак демо мектеби-гимназиясы")
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let mut s = Seeder {
        tx,
        school,
        hash,
        at,
    };

    let mut subject_ids = Vec::new();
    for (ky, ru, en) in SUBJECTS {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO subjects (school_id, name_ky, name_ru, name_en) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(school)
        .bind(ky)
        .bind(ru)
        .bind(en)
        .fetch_one(&mut *s.tx)
        .await?;
        subject_ids.push(id);
    }

    s.user("admin", "Бообекова Назира", &["admin"]).await?;
    s.user("organiser", "Сыдыков Алмаз", &["organiser"]).await?;
    s.user("expert", "Эсенгулова Динара", &["expert", "teacher"])
        .await?;
    let mut teachers = vec![s.user("teacher", "Осмонова Айгүл", &["teacher"]).await?];
    for n in 1..scale.teachers {
        teachers.push(
            s.user(
                &format!("teacher{n:03}"),
                &person_name(n * 13 + 5),
                &["teacher"],
            )
            .await?,
        );
    }
    for (i, teacher) in teachers.iter().enumerate() {
        for k in 0..2 {
            let subject = subject_ids[(i * 2 + k) % subject_ids.len()];
            sqlx::query("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(*teacher)
                .bind(subject)
                .execute(&mut *s.tx)
                .await?;
        }
    }

    // The demo: grades 1-4 have three parallel classes, 5-11 two (26 classes); the big school
    // 8 in grades 1-3 and 7 above (80). 5А comes first so that the demo teacher leads it and the
    // demo student sits in it.
    let mut classes = Vec::new();
    for grade in 1..=11i64 {
        let parallels = if grade <= scale.low_grades {
            scale.parallels_low
        } else {
            scale.parallels_high
        };
        for letter in &LETTERS[..parallels] {
            classes.push((grade, *letter));
        }
    }
    classes.sort_by_key(|(g, l)| (*g != 5 || *l != "А", *g, *l));
    let mut class_ids = Vec::new();
    for (i, (grade, letter)) in classes.iter().enumerate() {
        let id = s
            .class(
                "class",
                &format!("{grade}{letter}"),
                Some(*grade),
                Some(letter),
                None,
                None,
            )
            .await?;
        if let Some(teacher) = teachers.get(i) {
            s.lead(id, *teacher).await?;
        }
        class_ids.push(id);
    }

    let mut students = Vec::new();
    let demo_student = s.user("student", "Асанов Бектур", &["student"]).await?;
    s.enrol(demo_student, class_ids[0]).await?;
    let mut n = 1;
    for class in &class_ids {
        for _ in 0..scale.students_per_class {
            let id = s
                .user(
                    &format!("student{n:04}"),
                    &person_name(n * 3 + 1),
                    &["student"],
                )
                .await?;
            s.enrol(id, *class).await?;
            students.push(id);
            n += 1;
        }
    }

    let faculty = "Маалыматтык технологиялар факультети";
    let mut group_ids = Vec::new();
    for (course, group) in [(1, "ПИ-1-25"), (2, "ПИ-1-24")] {
        let class = s
            .class("group", group, None, None, Some(faculty), Some(course))
            .await?;
        group_ids.push(class);
        for _ in 0..10 {
            let id = s
                .user(
                    &format!("student{n:04}"),
                    &person_name(n * 3 + 1),
                    &["student"],
                )
                .await?;
            s.enrol(id, class).await?;
            n += 1;
        }
    }

    let demo_parent = s.user("parent", "Асанова Жылдыз", &["parent"]).await?;
    s.link(demo_parent, demo_student).await?;
    // The sibling sits in 2Б: the parent sees two children in two classes.
    let sibling_class = classes.iter().position(|c| *c == (2, "Б")).unwrap_or(1);
    s.link(
        demo_parent,
        students[sibling_class * scale.students_per_class],
    )
    .await?;
    for p in 1..=scale.parents {
        let parent = s
            .user(
                &format!("parent{p:03}"),
                &person_name(p * 5 + 2),
                &["parent"],
            )
            .await?;
        s.link(parent, students[(p * 5) % students.len()]).await?;
        if p.is_multiple_of(4) {
            s.link(parent, students[(p * 5 + 1) % students.len()])
                .await?;
        }
    }
    // Parents get addresses on a reserved domain: with SMTP set up, a demo mails them harmlessly.
    sqlx::query(
        "UPDATE users SET email = login || '@example.org'
         WHERE id IN (SELECT user_id FROM role_grants WHERE role = 'parent')",
    )
    .execute(&mut *s.tx)
    .await?;
    let grades: Vec<Option<i64>> = classes
        .iter()
        .map(|(g, _)| Some(*g))
        .chain(group_ids.iter().map(|_| None))
        .collect();
    let all_classes: Vec<i64> = class_ids.iter().chain(group_ids.iter()).copied().collect();
    seed_timetable(&mut s, &all_classes, &grades, &teachers, &subject_ids).await?;
    seed_contest(&mut s, &teachers).await?;
    seed_other_schedules(&mut s, &teachers).await?;
    seed_tasks(&mut s).await?;
    s.tx.commit().await?;
    Ok(())
}

/// (ky, ru, en) titles of the regulation's three nominations and their criteria, in short.
type Titles = (&'static str, &'static str, &'static str);
const NOMINATIONS: [(Titles, bool, &[Titles]); 3] = [
    (
        (
            "Санариптик мугалим",
            "Цифровой преподаватель",
            "Digital teacher",
        ),
        false,
        &[
            (
                "Онлайн платформаларды натыйжалуу колдонуу",
                "Эффективное использование онлайн-платформ",
                "Effective use of online platforms",
            ),
            (
                "Модулдук сынакка даярдоочу системалуу тесттер",
                "Систематические тесты к модульным экзаменам",
                "Regular tests preparing for module exams",
            ),
            (
                "Тапшырылган иштин сапаты (сабаттуулук, логика, түшүнүктүүлүк)",
                "Качество представленной работы (грамотность, логика, ясность)",
                "Quality of the submitted work (literacy, logic, clarity)",
            ),
            (
                "Платформадагы тапшырмалар жана өз алдынча иш",
                "Задания и самостоятельная работа на платформах",
                "Assignments and independent work on platforms",
            ),
            (
                "Ар түрдүү формадагы кайтарым байланыш (видео, слайд, жазуу)",
                "Обратная связь в разных формах (видео, слайды, письменно)",
                "Feedback in various forms (video, slides, writing)",
            ),
            (
                "Порталда студенттер менен байланыш, жүктөлгөн материалдар",
                "Обратная связь со студентами на портале, загруженные материалы",
                "Feedback with students on the portal, materials uploaded",
            ),
            (
                "Педагогикалык чеберчилик (компетенция, кеп маданияты, стиль)",
                "Педагогическое мастерство (компетентность, культура речи, стиль)",
                "Teaching mastery (competence, speech, style)",
            ),
            (
                "Эксперттердин сабакка катышуусу",
                "Посещение одного из занятий экспертами",
                "Experts' attendance of one of the lessons",
            ),
        ],
    ),
    (
        (
            "AVN порталынын мыкты колдонуучусу",
            "Лучший пользователь портала AVN",
            "Best user of the AVN portal",
        ),
        false,
        &[
            (
                "Бардык окуу материалдары порталга жүктөлгөн",
                "Все учебные материалы загружены на портал",
                "All teaching materials uploaded to the portal",
            ),
            (
                "Порталдын программаларын толук өздөштүрүү",
                "Полное владение программами портала",
                "Full command of the portal's tools",
            ),
            (
                "Ар бир студенттен кайтарым байланыш, ар бирине жооп",
                "Обратная связь от каждого студента, ответ каждому",
                "Feedback from every student, each answered",
            ),
            (
                "Катышуу кеминде 80 %",
                "Посещаемость не ниже 80 %",
                "Attendance of at least 80 %",
            ),
            (
                "Студенттердин кеминде 70 % кайтарым байланыш берген",
                "Обратная связь не менее чем от 70 % студентов",
                "Feedback from at least 70 % of students",
            ),
            (
                "Порталдагы тесттердин сапаты жана жогорку жетишкендик",
                "Качество тестов на портале и высокая успеваемость",
                "Quality of portal tests and high achievement",
            ),
        ],
    ),
    (
        ("Мыкты видеосабак", "Лучший видеоурок", "Best video lesson"),
        true,
        &[
            (
                "Максаттар жана милдеттер ачылган",
                "Раскрыты цели и задачи",
                "Aims and objectives covered",
            ),
            (
                "Баяндоонун сапаты, убакытты пайдалануу",
                "Качество подачи, использование времени",
                "Quality of delivery, use of time",
            ),
            (
                "Сюжеттик линиянын логикасы",
                "Логика сюжетной линии",
                "Logic of the story line",
            ),
            (
                "Материалдардын сапаты жана көрсөтмөлүүлүгү (сүрөт, схема, анимация)",
                "Качество и наглядность материалов (рисунки, схемы, анимация)",
                "Quality and clarity of materials (pictures, schemes, animation)",
            ),
            (
                "Баалоо тапшырмаларынын деңгээли",
                "Уровень оценочных заданий",
                "Level of assessment activities",
            ),
            (
                "Заманбап билим берүү жана санариптик технологиялар",
                "Современные образовательные и цифровые технологии",
                "Recent educational and digital technologies",
            ),
            (
                "Кайтарым байланыштын жолдору",
                "Способы обратной связи",
                "Ways of feedback",
            ),
            (
                "Педагогикалык чеберчилик",
                "Педагогическое мастерство",
                "Teaching mastery",
            ),
            (
                "Видеонун узактыгы жана жасалгасы талапка ылайык",
                "Длительность и оформление видео по требованиям",
                "Video length and design as required",
            ),
        ],
    ),
];

const DEPARTMENTS: [&str; 5] = [
    "Информатика кафедрасы",
    "Математика кафедрасы",
    "Тил жана адабият кафедрасы",
    "Табигый илимдер кафедрасы",
    "Педагогика кафедрасы",
];

/// This year's contest, open for applications: the regulation's nominations and criteria, a
/// council of 15 experts (5 per nomination) and six applications from teachers.
async fn seed_contest(s: &mut Seeder<'_>, teachers: &[i64]) -> AppResult<()> {
    let day = |offset: i64| crate::timetable::rules::iso_date(crate::db::day_number(s.at) + offset);
    // The regulation's spacing (15 days of applications, experts the day after, four weeks of
    // judging, the announcement ten days later, awards), placed around the first run.
    let dates = [-7, 7, 9, 10, 38, 48, 68, 84].map(day);
    let (edition,): (i64,) = sqlx::query_as(
        "INSERT INTO contest_editions (school_id, title, apply_opens, apply_closes, experts_by,
         judging_opens, judging_closes, announce_on, awards_from, awards_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(s.school)
    .bind("2026–2027 окуу жылы")
    .bind(&dates[0])
    .bind(&dates[1])
    .bind(&dates[2])
    .bind(&dates[3])
    .bind(&dates[4])
    .bind(&dates[5])
    .bind(&dates[6])
    .bind(&dates[7])
    .bind(s.at)
    .fetch_one(&mut *s.tx)
    .await?;
    let mut nominations = Vec::new();
    for (position, ((ky, ru, en), video, criteria)) in NOMINATIONS.iter().enumerate() {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO contest_nominations (edition_id, position, title_ky, title_ru, title_en, needs_video)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(edition)
        .bind(position as i64 + 1)
        .bind(*ky)
        .bind(*ru)
        .bind(*en)
        .bind(i64::from(*video))
        .fetch_one(&mut *s.tx)
        .await?;
        for (k, (cky, cru, cen)) in criteria.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contest_criteria (nomination_id, position, title_ky, title_ru, title_en)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(k as i64 + 1)
            .bind(*cky)
            .bind(*cru)
            .bind(*cen)
            .execute(&mut *s.tx)
            .await?;
        }
        nominations.push(id);
    }
    // The demo expert and expert01..expert14: five per nomination.
    let (demo_expert,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE login = 'expert'")
        .fetch_one(&mut *s.tx)
        .await?;
    let mut experts = vec![demo_expert];
    for n in 1..15usize {
        experts.push(
            s.user(
                &format!("expert{n:02}"),
                &person_name(n * 7 + 3),
                &["expert"],
            )
            .await?,
        );
    }
    for (i, expert) in experts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contest_experts (edition_id, nomination_id, expert_id, department, appointed_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(edition)
        .bind(nominations[i / 5])
        .bind(*expert)
        .bind(DEPARTMENTS[i % DEPARTMENTS.len()])
        .bind(s.at)
        .execute(&mut *s.tx)
        .await?;
    }
    // teacher001..teacher006 applied, two per nomination.
    for k in 0..6usize {
        let applicant = teachers[k + 1];
        let (name,): (String,) = sqlx::query_as("SELECT full_name FROM users WHERE id = $1")
            .bind(applicant)
            .fetch_one(&mut *s.tx)
            .await?;
        let nomination = k / 2;
        sqlx::query(
            "INSERT INTO contest_applications (edition_id, nomination_id, applicant_id, faculty,
             department, position, full_name, email, phone, social_link, lesson_title, plan_link,
             video_link, signed_on, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11, $12, $13, $14, $14)",
        )
        .bind(edition)
        .bind(nominations[nomination])
        .bind(applicant)
        .bind("Педагогика факультети")
        .bind(DEPARTMENTS[(k + 2) % DEPARTMENTS.len()])
        .bind("Улук окутуучу")
        .bind(&name)
        .bind(format!("teacher{:03}@sabak.kg", k + 1))
        .bind(format!("+996 700 10{k} 20{k}"))
        .bind(DEMO_LESSONS[k])
        .bind(format!("https://sabak.kg/plans/{}.pdf", k + 1))
        .bind((nomination == 2).then(|| format!("https://video.sabak.kg/lesson-{}", k + 1)))
        .bind(&dates[0])
        .bind(s.at)
        .execute(&mut *s.tx)
        .await?;
    }
    Ok(())
}

const DEMO_LESSONS: [&str; 6] = [
    "Бөлчөктөрдү кошуу: онлайн практикум",
    "Python тилинде циклдер",
    "Кыргыз адабияты: «Манас» эпосу",
    "Фотосинтез: виртуалдык лаборатория",
    "Пифагордун теоремасы: видеосабак",
    "Англис тили: Present Simple",
];

/// Bell schedules, the school calendar, a clash-free week of lessons for every class and group,
/// and this week's Meet links and topics for 5А (the demo student's class).
async fn seed_timetable(
    s: &mut Seeder<'_>,
    classes: &[i64],
    grades: &[Option<i64>],
    teachers: &[i64],
    subjects: &[i64],
) -> AppResult<()> {
    use crate::timetable::rules::{self, Slot};
    use crate::timetable::Weeks;
    let today = crate::db::bishkek_day(s.at);
    let year = if today.month >= 8 {
        today.year
    } else {
        today.year - 1
    };
    sqlx::query("INSERT INTO school_calendar (school_id, year_start, bell_variant, saturday) VALUES ($1, $2, 'distance', 0)")
        .bind(s.school)
        .bind(format!("{year:04}-09-01"))
        .execute(&mut *s.tx)
        .await?;
    // Quarters and semesters close to the ministry's, arranged so the demo's weeks around today are
    // taught whatever day it starts on.
    let year_start = rules::days_from_civil(year, 9, 1);
    let today_number = rules::days_from_civil(today.year, today.month as u32, today.day as u32);
    for term in crate::timetable::terms::demo_terms(year_start, today_number) {
        sqlx::query(
            "INSERT INTO academic_terms (school_id, kind, number, starts, ends) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(s.school)
        .bind(term.kind.as_db())
        .bind(term.number as i64)
        .bind(rules::iso_date(term.starts))
        .bind(rules::iso_date(term.ends))
        .execute(&mut *s.tx)
        .await?;
    }
    // Regular 45-minute lessons, and the distance variant within the 30-minute cap of grades 5-11.
    let regular = [
        (480, 525),
        (535, 580),
        (590, 635),
        (655, 700),
        (710, 755),
        (765, 810),
    ];
    let distance = [
        (510, 540),
        (555, 585),
        (600, 630),
        (645, 675),
        (690, 720),
        (735, 765),
    ];
    for (variant, bells) in [("regular", regular), ("distance", distance)] {
        for (i, (starts, ends)) in bells.iter().enumerate() {
            sqlx::query("INSERT INTO bell_periods (school_id, variant, number, starts_min, ends_min) VALUES ($1, $2, $3, $4, $5)")
                .bind(s.school)
                .bind(variant)
                .bind(i as i64 + 1)
                .bind(*starts)
                .bind(*ends)
                .execute(&mut *s.tx)
                .await?;
        }
    }
    let mut placed: Vec<Slot> = Vec::new();
    let mut demo_lessons = Vec::new();
    for (ci, (&class, grade)) in classes.iter().zip(grades).enumerate() {
        let periods = match grade {
            Some(1..=4) => 4,
            Some(5..=9) => 5,
            Some(_) => 6,
            None => 3,
        };
        for weekday in 0..5u8 {
            for period in 1..=periods as i64 {
                let first = ci + period as usize * 5 + weekday as usize * 3;
                // The first teacher free in that slot, by the same clash rule the editor uses.
                let slot_for = |lesson_id: i64, t: usize| Slot {
                    lesson_id,
                    weekday,
                    period,
                    class_id: class,
                    teacher_id: teachers[t],
                    room: None,
                    weeks: Weeks::All,
                };
                let free = (0..teachers.len())
                    .map(|k| (first + k) % teachers.len())
                    .find(|&t| rules::clashes(&placed, &slot_for(0, t)).is_empty());
                let Some(t) = free else { continue };
                let subject =
                    subjects[(2 * t + (weekday as usize + period as usize) % 2) % subjects.len()];
                let form = if grade.is_none() && period == 2 {
                    "practice"
                } else {
                    "lecture"
                };
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO lessons (school_id, class_id, weekday, period, subject_id, teacher_id, form, mode, weeks, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'online', 'all', $8) RETURNING id",
                )
                .bind(s.school)
                .bind(class)
                .bind(weekday as i64)
                .bind(period)
                .bind(subject)
                .bind(teachers[t])
                .bind(form)
                .bind(s.at)
                .fetch_one(&mut *s.tx)
                .await?;
                placed.push(slot_for(id, t));
                if ci == 0 && period <= 2 {
                    demo_lessons.push((id, weekday, period));
                }
            }
        }
    }
    let monday = rules::monday_of(rules::days_from_civil(
        today.year,
        today.month as u32,
        today.day as u32,
    ));
    for (id, weekday, period) in demo_lessons {
        let code = format!(
            "sbk-{}{}a-{}",
            weekday + 1,
            period,
            5 * (weekday as i64 + 1) + period
        );
        sqlx::query(
            "INSERT INTO lesson_occurrences (lesson_id, date, link, topic, updated_by, updated_at) VALUES ($1, $2, $3, $4, NULL, $5)",
        )
        .bind(id)
        .bind(rules::iso_date(monday + weekday as i64))
        .bind(format!("https://meet.google.com/{code}"))
        .bind(if period == 1 { "Кайталоо жана жаңы тема" } else { "Практикалык тапшырмалар" })
        .bind(s.at)
        .execute(&mut *s.tx)
        .await?;
    }
    Ok(())
}

/// This week's TV lessons, the administration's duty rota and the five methodical associations'
/// days (the regulation's other schedules), so the demo shows them filled in.
async fn seed_other_schedules(s: &mut Seeder<'_>, teachers: &[i64]) -> AppResult<()> {
    use crate::timetable::rules;
    let today = crate::db::bishkek_day(s.at);
    let monday = rules::monday_of(rules::days_from_civil(
        today.year,
        today.month as u32,
        today.day as u32,
    ));
    let tv = [
        ("ЭлТР", 0, 600, (5, 9), "Математика", "Бөлчөктөрдү кошуу"),
        ("ЭлТР", 1, 600, (1, 4), "Окуу", "Жомоктор"),
        ("Баластан", 2, 660, (5, 9), "Кыргыз тили", "Зат атооч"),
        ("ЭлТР", 3, 600, (10, 11), "Физика", "Электр тогу"),
        (
            "Баластан",
            4,
            660,
            (1, 4),
            "Математика",
            "Кошуу жана кемитүү",
        ),
    ];
    for (channel, weekday, starts, (from, to), subject, topic) in tv {
        sqlx::query(
            "INSERT INTO tv_lessons (school_id, channel, date, starts_min, ends_min, grade_from,
               grade_to, subject, topic, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(s.school)
        .bind(channel)
        .bind(rules::iso_date(monday + weekday))
        .bind(starts)
        .bind(starts + 30)
        .bind(from)
        .bind(to)
        .bind(subject)
        .bind(topic)
        .bind(s.at)
        .execute(&mut *s.tx)
        .await?;
    }
    for weekday in 0..5i64 {
        sqlx::query(
            "INSERT INTO duty_rota (school_id, weekday, person_id, starts_min, ends_min, created_at)
             VALUES ($1, $2, $3, 480, 1020, $4)",
        )
        .bind(s.school)
        .bind(weekday)
        .bind(teachers[(weekday as usize * 3 + 1) % teachers.len()])
        .bind(s.at)
        .execute(&mut *s.tx)
        .await?;
    }
    let associations = [
        "Башталгыч класстар",
        "Гуманитардык предметтер",
        "Табигый предметтер",
        "Эстетикалык предметтер",
        "Так илимдер",
    ];
    for (weekday, association) in associations.iter().enumerate() {
        sqlx::query(
            "INSERT INTO methodical_days (school_id, association, weekday, starts_min, ends_min, room,
               created_at) VALUES ($1, $2, $3, 540, 900, $4, $5)",
        )
        .bind(s.school)
        .bind(*association)
        .bind(weekday as i64)
        .bind(format!("{}", 101 + weekday))
        .bind(s.at)
        .execute(&mut *s.tx)
        .await?;
    }
    Ok(())
}

/// 5А's self-study tasks (the regulation, 4.5-4.6): one due soon with hand-ins in every state,
/// one past its due date with grades in the journal and a late hand-in, one ungraded.
async fn seed_tasks(s: &mut Seeder<'_>) -> AppResult<()> {
    #[derive(sqlx::FromRow)]
    struct Teaches {
        class_id: i64,
        subject_id: i64,
    }
    struct SeedTask<'a> {
        teacher_id: i64,
        teaches: &'a Teaches,
        title: &'static str,
        form: &'static str,
        text: &'static str,
        due_at: i64,
        graded: bool,
    }
    /// A hand-in of the `task`-th task above, `days_ago` days before now.
    struct SeedHandIn {
        task: usize,
        login: &'static str,
        version: i64,
        days_ago: i64,
        verdict: Option<&'static str>,
        grade: Option<i64>,
        review: &'static str,
    }
    let id_of = |login: &'static str| {
        sqlx::query_as::<_, (i64,)>("SELECT id FROM users WHERE login = $1").bind(login)
    };
    let (teacher,) = id_of("teacher").fetch_one(&mut *s.tx).await?;
    let (maths_teacher,) = id_of("teacher002").fetch_one(&mut *s.tx).await?;
    let teaches = |teacher: i64| {
        sqlx::query_as::<_, Teaches>(
            "SELECT l.class_id, l.subject_id FROM lessons l JOIN classes c ON c.id = l.class_id
             WHERE c.name = '5А' AND l.teacher_id = $1 ORDER BY l.id LIMIT 1",
        )
        .bind(teacher)
    };
    let Some(own) = teaches(teacher).fetch_optional(&mut *s.tx).await? else {
        return Ok(());
    };
    let maths = teaches(maths_teacher).fetch_optional(&mut *s.tx).await?;
    let day = 86_400;
    // 18:00 Bishkek, `offset` days from today.
    let evening = |offset: i64| (crate::db::day_number(s.at) + offset) * day + 12 * 3600;
    let tasks = [
        SeedTask {
            teacher_id: teacher,
            teaches: &own,
            title: "Дил баян: «Менин айылым»",
            form: "essay",
            text: "Айылыңыз жөнүндө 10-12 сүйлөмдөн турган дил баян жазыңыз. Сын атоочторду колдонуңуз.",
            due_at: evening(2),
            graded: true,
        },
        SeedTask {
            teacher_id: teacher,
            teaches: &own,
            title: "Сын атооч: 5-көнүгүү",
            form: "practical",
            text: "Окуу китебинин 48-бетиндеги 5-көнүгүүнү аткарыңыз.",
            due_at: evening(-3),
            graded: true,
        },
        SeedTask {
            teacher_id: maths_teacher,
            teaches: maths.as_ref().unwrap_or(&own),
            title: "Бөлчөктөр: видеосабакты көрүү",
            form: "self_study",
            text: "Видеосабакты көрүп, негизги эрежелерди дептериңизге жазыңыз.",
            due_at: evening(5),
            graded: false,
        },
    ];
    let mut ids = Vec::new();
    for SeedTask {
        teacher_id,
        teaches: t,
        title,
        form,
        text,
        due_at,
        graded,
    } in tasks
    {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO assignments (school_id, class_id, subject_id, teacher_id, title, instructions,
               form, due_at, graded, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(s.school)
        .bind(t.class_id)
        .bind(t.subject_id)
        .bind(teacher_id)
        .bind(title)
        .bind(text)
        .bind(form)
        .bind(due_at)
        .bind(i64::from(graded))
        .bind(s.at - 7 * day)
        .fetch_one(&mut *s.tx)
        .await?;
        ids.push((id, due_at));
    }
    let hand_ins = [
        SeedHandIn {
            task: 0,
            login: "student0001",
            version: 1,
            days_ago: 1,
            verdict: Some("accepted"),
            grade: Some(5),
            review: "Абдан жакшы, сын атоочтор орундуу колдонулган.",
        },
        SeedHandIn {
            task: 0,
            login: "student0002",
            version: 1,
            days_ago: 2,
            verdict: Some("returned"),
            grade: None,
            review: "Дил баян өтө кыска: дагы 5-6 сүйлөм кошуңуз.",
        },
        SeedHandIn {
            task: 0,
            login: "student0002",
            version: 2,
            days_ago: 0,
            verdict: None,
            grade: None,
            review: "",
        },
        SeedHandIn {
            task: 0,
            login: "student0003",
            version: 1,
            days_ago: 0,
            verdict: None,
            grade: None,
            review: "",
        },
        SeedHandIn {
            task: 1,
            login: "student0001",
            version: 1,
            days_ago: 4,
            verdict: Some("accepted"),
            grade: Some(4),
            review: "Жакшы, бир ката бар: 3-сүйлөм.",
        },
        SeedHandIn {
            task: 1,
            login: "student",
            version: 1,
            days_ago: 4,
            verdict: Some("accepted"),
            grade: Some(5),
            review: "Эң сонун!",
        },
        SeedHandIn {
            task: 1,
            login: "student0004",
            version: 1,
            days_ago: 4,
            verdict: Some("accepted"),
            grade: Some(3),
            review: "Көнүгүүнүн жарымы гана туура.",
        },
        SeedHandIn {
            task: 1,
            login: "student0005",
            version: 1,
            days_ago: 1,
            verdict: None,
            grade: None,
            review: "",
        },
    ];
    for SeedHandIn {
        task,
        login,
        version,
        days_ago,
        verdict,
        grade,
        review,
    } in hand_ins
    {
        let (task_id, due_at) = ids[task];
        let (student,) = id_of(login).fetch_one(&mut *s.tx).await?;
        let at = s.at - days_ago * day - 3600;
        sqlx::query(
            "INSERT INTO hand_ins (assignment_id, student_id, version, body, handed_in_at, late,
               verdict, review, grade, reviewed_by, reviewed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(task_id)
        .bind(student)
        .bind(version)
        .bind("Менин айылым тоонун этегинде жайгашкан. Жазында бак-дарактар гүлдөйт…")
        .bind(at)
        .bind(i64::from(crate::assignments::rules::is_late(at, due_at)))
        .bind(verdict)
        .bind((!review.is_empty()).then_some(review))
        .bind(grade)
        .bind(verdict.map(|_| teacher))
        .bind(verdict.map(|_| at + 1800))
        .execute(&mut *s.tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kyrgyz_and_varied() {
        let names: std::collections::HashSet<_> = (0..300).map(person_name).collect();
        assert!(names.len() > 250, "only {} distinct names", names.len());
        assert_eq!(person_name(1).split(' ').count(), 2);
        assert!(person_name(1).split(' ').next().unwrap().ends_with('а'));
    }
}
