//! Contest exports (server only): the protocol of a nomination as CSV and PDF, and diplomas for
//! places 1-3 as PDF. The PDFs embed DejaVu Serif (`assets/fonts`), so Kyrgyz and Russian text
//! renders everywhere; the words come from the locale files like every UI string.

use super::rules::{award, Award};
use super::{Localized, NominationInfo, ResultsPage};
use crate::error::{AppError, AppResult};
use crate::i18n::*;
use crate::ui::format::csv_cell as cell;
use printpdf::{IndirectFontRef, Mm, PdfDocument, PdfLayerReference};

pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf");

fn localized(text: &Localized, locale: Locale) -> &str {
    match locale {
        Locale::ky => &text.ky,
        Locale::ru => &text.ru,
        Locale::en => &text.en,
    }
}

fn nomination(page: &ResultsPage, nomination_id: i64) -> AppResult<&NominationInfo> {
    page.nominations
        .iter()
        .find(|n| n.id == nomination_id)
        .ok_or(AppError::NotFound)
}

/// One row per expert's evaluation of an entry: place, participant, lesson, the entry's score,
/// the expert (by number), each criterion's score and the total. Entries in rating order.
pub fn protocol_csv(page: &ResultsPage, nomination_id: i64, locale: Locale) -> AppResult<String> {
    let n = nomination(page, nomination_id)?;
    let mut head = vec![
        td_string!(locale, contest.place).to_string(),
        "№".to_string(),
        td_string!(locale, fields.full_name).to_string(),
        td_string!(locale, fields.lesson_title).to_string(),
        td_string!(locale, contest.score).to_string(),
        td_string!(locale, contest.expert).to_string(),
    ];
    head.extend((1..=n.criteria.len()).map(|i| format!("K{i}")));
    head.push(td_string!(locale, contest.total_short).to_string());
    let mut out = head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in page
        .rows
        .iter()
        .filter(|r| r.nomination_id == nomination_id)
    {
        let place = row.place.map(|p| p.to_string()).unwrap_or_default();
        for p in page.protocol.iter().filter(|p| p.entry == row.entry) {
            let mut cells = vec![
                cell(&place),
                row.entry.to_string(),
                cell(&row.full_name),
                cell(&row.lesson_title),
                cell(&row.score),
                cell(&td_string!(locale, contest.expert_n, n = p.expert.clone()).to_string()),
            ];
            cells.extend(p.scores.iter().map(|s| s.to_string()));
            cells.push(p.total.to_string());
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
    }
    Ok(out)
}

/// Text measured with the font's own advance widths, for centring and cutting long lines.
struct Metrics {
    face: ttf_parser::Face<'static>,
}

impl Metrics {
    fn new(bytes: &'static [u8]) -> AppResult<Self> {
        let face = ttf_parser::Face::parse(bytes, 0).map_err(|_| AppError::Internal)?;
        Ok(Metrics { face })
    }

    fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .unwrap_or(0) as f32
            })
            .sum();
        let pt = units / f32::from(self.face.units_per_em()) * size_pt;
        pt * 25.4 / 72.0
    }

    /// Cuts `text` to fit `max_mm`, ending with "…" when cut.
    fn fit(&self, text: &str, size_pt: f32, max_mm: f32) -> String {
        if self.width_mm(text, size_pt) <= max_mm {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            if self.width_mm(&format!("{out}{c}…"), size_pt) > max_mm {
                break;
            }
            out.push(c);
        }
        format!("{out}…")
    }
}

struct Writer {
    doc: printpdf::PdfDocumentReference,
    layer: PdfLayerReference,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    metrics: Metrics,
    y: f32,
    width: f32,
    height: f32,
}

const MARGIN: f32 = 18.0;

impl Writer {
    fn new(title: &str, width: f32, height: f32) -> AppResult<Self> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(width), Mm(height), "1");
        let regular = doc
            .add_external_font(std::io::Cursor::new(FONT_REGULAR))
            .map_err(|_| AppError::Internal)?;
        let bold = doc
            .add_external_font(std::io::Cursor::new(FONT_BOLD))
            .map_err(|_| AppError::Internal)?;
        let layer = doc.get_page(page).get_layer(layer);
        Ok(Writer {
            doc,
            layer,
            regular,
            bold,
            metrics: Metrics::new(FONT_REGULAR)?,
            y: height - MARGIN,
            width,
            height,
        })
    }

    fn new_page(&mut self) {
        let (page, layer) = self.doc.add_page(Mm(self.width), Mm(self.height), "1");
        self.layer = self.doc.get_page(page).get_layer(layer);
        self.y = self.height - MARGIN;
    }

    /// A line at the left margin (indented by `x` mm), breaking the page when full.
    fn line(&mut self, text: &str, size: f32, bold: bool, x: f32) {
        let step = size * 0.5;
        if self.y - step < MARGIN {
            self.new_page();
        }
        self.y -= step;
        let max = self.width - 2.0 * MARGIN - x;
        let text = self.metrics.fit(text, size, max);
        let font = if bold { &self.bold } else { &self.regular };
        self.layer
            .use_text(text, size, Mm(MARGIN + x), Mm(self.y), font);
    }

    /// A centred line (long text is cut to the page).
    fn centred(&mut self, text: &str, size: f32, bold: bool) {
        let step = size * 0.55;
        self.y -= step;
        let text = self.metrics.fit(text, size, self.width - 2.0 * MARGIN);
        // Bold runs a little wider than regular: measured on regular, widened by 8 %.
        let width = self.metrics.width_mm(&text, size) * if bold { 1.08 } else { 1.0 };
        let x = ((self.width - width) / 2.0).max(MARGIN);
        let font = if bold { &self.bold } else { &self.regular };
        self.layer.use_text(text, size, Mm(x), Mm(self.y), font);
    }

    fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn finish(self) -> AppResult<Vec<u8>> {
        self.doc.save_to_bytes().map_err(|_| AppError::Internal)
    }
}

/// The rating list and the protocol of one nomination on A4 pages.
pub fn protocol_pdf(page: &ResultsPage, nomination_id: i64, locale: Locale) -> AppResult<Vec<u8>> {
    let n = nomination(page, nomination_id)?;
    let title = td_string!(locale, contest.protocol).to_string();
    let mut w = Writer::new(&title, 210.0, 297.0)?;
    w.line(td_string!(locale, contest.title), 14.0, true, 0.0);
    w.line(&page.edition.title, 11.0, false, 0.0);
    w.gap(2.0);
    w.line(
        &format!("{} — {}", title, localized(&n.title, locale)),
        13.0,
        true,
        0.0,
    );
    if let Some(frozen) = &page.frozen {
        w.line(td_string!(locale, contest.frozen), 9.0, false, 0.0);
        w.line(&frozen.sha256, 8.0, false, 0.0);
    }
    w.gap(4.0);
    let rows: Vec<_> = page
        .rows
        .iter()
        .filter(|r| r.nomination_id == nomination_id)
        .collect();
    for row in &rows {
        let place = match row.place {
            Some(p) => {
                let label = match award(Some(p)) {
                    Some(Award::Winner) => td_string!(locale, contest.winner).to_string(),
                    Some(Award::Prize) => td_string!(locale, contest.prize).to_string(),
                    None => String::new(),
                };
                format!("{} {p} {label}", td_string!(locale, contest.place))
            }
            None => {
                td_string!(locale, contest.incomplete, min = page.edition.min_experts).to_string()
            }
        };
        w.line(
            &format!("№{} · {} · {}", row.entry, row.full_name, place.trim()),
            11.0,
            true,
            0.0,
        );
        w.line(&row.lesson_title, 10.0, false, 4.0);
        w.line(
            &format!(
                "{}: {} · {}: {}",
                td_string!(locale, contest.score),
                row.score,
                td_string!(locale, contest.evaluations),
                row.evaluations
            ),
            10.0,
            false,
            4.0,
        );
        for p in page.protocol.iter().filter(|p| p.entry == row.entry) {
            let scores = p
                .scores
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("  ");
            w.line(
                &format!(
                    "{}: {}  = {}",
                    td_string!(locale, contest.expert_n, n = p.expert.clone()),
                    scores,
                    p.total
                ),
                9.5,
                false,
                8.0,
            );
        }
        w.gap(3.0);
    }
    w.gap(2.0);
    for (i, c) in n.criteria.iter().enumerate() {
        w.line(
            &format!("K{} — {}", i + 1, localized(&c.title, locale)),
            8.5,
            false,
            0.0,
        );
    }
    w.finish()
}

/// One landscape page per prize winner (places 1-3) of a nomination, once results are frozen.
pub fn diplomas_pdf(page: &ResultsPage, nomination_id: i64, locale: Locale) -> AppResult<Vec<u8>> {
    let n = nomination(page, nomination_id)?;
    let frozen = page.frozen.as_ref().ok_or(AppError::NotFound)?;
    let winners: Vec<_> = page
        .rows
        .iter()
        .filter(|r| r.nomination_id == nomination_id && award(r.place).is_some())
        .collect();
    if winners.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut w = Writer::new(td_string!(locale, export.diploma), 297.0, 210.0)?;
    for (i, row) in winners.iter().enumerate() {
        if i > 0 {
            w.new_page();
        }
        let place = row.place.unwrap_or(0);
        w.gap(12.0);
        w.centred(
            &td_string!(locale, export.diploma)
                .to_string()
                .to_uppercase(),
            36.0,
            true,
        );
        w.gap(6.0);
        w.centred(td_string!(locale, export.awarded_to), 14.0, false);
        w.gap(2.0);
        w.centred(&row.full_name, 26.0, true);
        w.gap(4.0);
        let standing = match award(row.place) {
            Some(Award::Winner) => td_string!(locale, export.place_winner).to_string(),
            _ => td_string!(locale, export.place_prize, n = place).to_string(),
        };
        w.centred(&standing, 16.0, true);
        w.centred(
            &td_string!(
                locale,
                export.in_nomination,
                nomination = localized(&n.title, locale)
            )
            .to_string(),
            14.0,
            false,
        );
        w.gap(2.0);
        w.centred(td_string!(locale, contest.title), 14.0, false);
        w.centred(&page.edition.title, 12.0, false);
        w.gap(4.0);
        w.centred(&format!("«{}»", row.lesson_title), 12.0, false);
        w.centred(
            &format!("{}: {}", td_string!(locale, contest.score), row.score),
            12.0,
            false,
        );
        w.gap(14.0);
        w.centred(&format!("SHA-256: {}", frozen.sha256), 7.0, false);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("Асанова \"Айгүл\""), "\"Асанова \"\"Айгүл\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn text_is_measured_and_cut_to_the_page() {
        let m = Metrics::new(FONT_REGULAR).unwrap();
        let short = m.width_mm("Сабак", 12.0);
        assert!(short > 5.0 && short < 20.0, "{short} mm");
        assert!(m.width_mm("ШШШ", 12.0) > m.width_mm("iii", 12.0));
        let cut = m.fit(&"Кыргызстан ".repeat(40), 12.0, 100.0);
        assert!(cut.ends_with('…'));
        assert!(m.width_mm(&cut, 12.0) <= 100.0);
    }
}
