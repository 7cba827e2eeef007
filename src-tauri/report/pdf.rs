//! The page layout of every report: A4 pages filled from the top, with
//! headings, wrapped paragraphs, label–value blocks, tables that break across
//! pages and repeat their header row, and a drawn 5×5 heat map. Every page
//! gets a header and footer when the document is finished (the page count is
//! known only then). Text is set in DejaVu Sans, compiled into the binary and
//! embedded in every PDF. The output is a pure function of what was laid out:
//! the same content and the same clock give the same bytes.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem, TextMatrix,
    WindingOrder,
};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.276;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
/// The width text and tables may use.
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Content starts below the page header and ends above the footer.
const CONTENT_TOP: f32 = PAGE_HEIGHT - 66.0;
const CONTENT_BOTTOM: f32 = 64.0;

const REGULAR_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// A colour as red, green and blue from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    fn color(self) -> Color {
        Color::Rgb(printpdf::Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

/// The palette of the reports.
pub mod colour {
    use super::Rgb;
    pub const TEXT: Rgb = Rgb(0.11, 0.13, 0.17);
    pub const MUTED: Rgb = Rgb(0.38, 0.42, 0.48);
    pub const ACCENT: Rgb = Rgb(0.10, 0.29, 0.47);
    pub const RULE: Rgb = Rgb(0.80, 0.83, 0.87);
    pub const HEADER_FILL: Rgb = Rgb(0.89, 0.92, 0.96);
    pub const ZEBRA: Rgb = Rgb(0.965, 0.972, 0.98);
    pub const ALERT: Rgb = Rgb(0.70, 0.11, 0.11);
    pub const GOOD: Rgb = Rgb(0.12, 0.45, 0.22);
    pub const LOW: Rgb = Rgb(0.74, 0.89, 0.72);
    pub const MEDIUM: Rgb = Rgb(0.99, 0.91, 0.60);
    pub const HIGH: Rgb = Rgb(0.98, 0.72, 0.47);
    pub const CRITICAL: Rgb = Rgb(0.93, 0.49, 0.47);
    pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);
}

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// Horizontal alignment in a table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A font face with the advance width of each character, for measuring.
#[derive(Debug)]
struct Face {
    parsed: ParsedFont,
    /// Advance widths in thousandths of the font size, by code point (below `MEASURED`).
    widths: Vec<f32>,
    fallback: f32,
}

/// Code points measured from a table; the fonts hold nothing above ✘ (U+2718).
const MEASURED: usize = 0x2720;

impl Face {
    fn load(bytes: &[u8], name: &str) -> Face {
        let mut parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the embedded DejaVu font parses");
        // The PostScript name, as viewers list the embedded fonts.
        parsed.font_name = Some(name.to_owned());
        let per_unit = 1000.0 / f32::from(parsed.units_per_em.max(1));
        let width_of = |cp: u32| -> Option<f32> {
            let gid = parsed.lookup_glyph_index(cp)?;
            Some(f32::from(parsed.get_glyph_width(gid)?) * per_unit)
        };
        let fallback = width_of(u32::from('?')).unwrap_or(600.0);
        let widths = (0..MEASURED as u32)
            .map(|cp| width_of(cp).unwrap_or(fallback))
            .collect();
        Face {
            parsed,
            widths,
            fallback,
        }
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.widths
                    .get(c as usize)
                    .copied()
                    .unwrap_or(self.fallback)
            })
            .sum();
        units * size / 1000.0
    }
}

#[derive(Debug)]
struct Fonts {
    regular: Face,
    bold: Face,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: Face::load(REGULAR_TTF, "DejaVuSans"),
        bold: Face::load(BOLD_TTF, "DejaVuSans-Bold"),
    })
}

fn face(weight: Weight) -> &'static Face {
    match weight {
        Weight::Regular => &fonts().regular,
        Weight::Bold => &fonts().bold,
    }
}

/// The width of `text` in points.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    face(weight).width(text, size)
}

/// Fixed resource names, so the bytes do not depend on random ids.
fn font_id(weight: Weight) -> FontId {
    FontId(
        match weight {
            Weight::Regular => "F1",
            Weight::Bold => "F2",
        }
        .to_owned(),
    )
}

/// Breaks `text` into lines no wider than `width`: at spaces where it can,
/// inside a word only when the word alone is too wide. Line breaks in the
/// text are kept.
pub fn wrap(text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
    let face = face(weight);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        let space = face.width(" ", size);
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_width = face.width(word, size);
            if !line.is_empty() && line_width + space + word_width <= width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= width {
                line.push_str(word);
                line_width = word_width;
                continue;
            }
            // A word wider than the line: break it between characters.
            line_width = 0.0;
            for c in word.chars() {
                let w = face.width(c.encode_utf8(&mut [0; 4]), size);
                if !line.is_empty() && line_width + w > width {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += w;
            }
        }
        lines.push(line);
    }
    lines
}

/// A table column: its title, its share of the table's width, its alignment.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub share: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: &str, share: f32) -> Column {
        Column {
            title: title.to_owned(),
            share,
            align: Align::Left,
        }
    }

    pub fn right(mut self) -> Column {
        self.align = Align::Right;
        self
    }
}

/// A table cell: its text and how it is set.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub weight: Weight,
    pub colour: Rgb,
    /// A background, e.g. the colour of a risk band.
    pub fill: Option<Rgb>,
}

impl Cell {
    pub fn bold(mut self) -> Cell {
        self.weight = Weight::Bold;
        self
    }

    pub fn colour(mut self, colour: Rgb) -> Cell {
        self.colour = colour;
        self
    }

    pub fn fill(mut self, fill: Rgb) -> Cell {
        self.fill = Some(fill);
        self
    }
}

impl<T: Into<String>> From<T> for Cell {
    fn from(text: T) -> Cell {
        Cell {
            text: text.into(),
            weight: Weight::Regular,
            colour: colour::TEXT,
            fill: None,
        }
    }
}

/// The width of each column: its share of the table, widened where a word
/// of its title would not fit (the other columns give up the difference).
fn column_widths(columns: &[Column], size: f32, pad: f32) -> Vec<f32> {
    let total: f32 = columns
        .iter()
        .map(|c| c.share)
        .sum::<f32>()
        .max(f32::EPSILON);
    let mut widths: Vec<f32> = columns
        .iter()
        .map(|c| CONTENT_WIDTH * c.share / total)
        .collect();
    let least: Vec<f32> = columns
        .iter()
        .map(|c| {
            c.title
                .split_whitespace()
                .map(|word| text_width(word, size, Weight::Bold))
                .fold(0.0, f32::max)
                + 2.0 * pad
                + 0.5
        })
        .collect();
    let deficit: f32 = widths
        .iter()
        .zip(&least)
        .map(|(w, l)| (l - w).max(0.0))
        .sum();
    let spare: f32 = widths
        .iter()
        .zip(&least)
        .map(|(w, l)| (w - l).max(0.0))
        .sum();
    if deficit > 0.0 && spare >= deficit {
        for (w, l) in widths.iter_mut().zip(&least) {
            if *w < *l {
                *w = *l;
            } else {
                *w -= (*w - l) * deficit / spare;
            }
        }
    }
    widths
}

/// What every page carries: the document's title, its classification
/// marking, when it was generated and its fingerprint.
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: String,
    pub marking: String,
    /// "Generated 2026-11-22 14:03 UTC by …", as the language has it.
    pub generated: String,
    /// "Page {page} of {pages}" with both placeholders.
    pub page_of: String,
    /// "Document fingerprint (SHA-256): …".
    pub fingerprint: String,
}

/// The document's metadata (shown by a viewer's document properties).
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// Unix seconds (UTC) of generation: the creation and modification date.
    pub created: i64,
    /// Hex digits that identify the document (the trailer's /ID).
    pub identifier: String,
}

/// A map drawn on the heat map: a label at its inherent and residual position.
#[derive(Debug, Clone)]
pub struct HeatMark {
    pub label: String,
    /// (likelihood, impact), each 1–5.
    pub inherent: (u8, u8),
    pub residual: (u8, u8),
}

/// A document being laid out.
#[derive(Debug)]
pub struct Doc {
    pages: Vec<Vec<Op>>,
    /// The baseline position for what comes next, from the bottom of the page.
    y: f32,
    frame: Frame,
    /// The same content as HTML, when asked for ([`Doc::with_html`]): what
    /// the benchmark prints with a browser to compare.
    html: Option<String>,
}

const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;

impl Doc {
    pub fn new(frame: Frame) -> Doc {
        Doc {
            pages: vec![Vec::new()],
            y: CONTENT_TOP,
            frame,
            html: None,
        }
    }

    /// Also writes the content as HTML, for [`Doc::finish_html`].
    pub fn with_html(mut self) -> Doc {
        self.html = Some(String::new());
        self
    }

    /// Appends to the HTML transcript, if one is kept.
    fn html(&mut self, write: impl FnOnce(&mut String)) {
        if let Some(html) = self.html.as_mut() {
            write(html);
        }
    }

    /// The content as one HTML page, styled like the PDF (A4, the same
    /// fonts, colours, tables and marking), for a browser to print.
    pub fn finish_html(&self) -> String {
        let frame = &self.frame;
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title><style>\
             @page {{ size: A4; margin: 20mm 15mm; }} \
             body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: {text}; }} \
             h1 {{ font-size: 18pt; color: {accent}; margin: 0 0 4pt; }} h2 {{ font-size: 13pt; color: {accent}; }} \
             h3 {{ font-size: 10.5pt; }} .sub, .marking, .frame {{ color: {muted}; font-size: 8pt; }} \
             table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4pt 0 8pt; }} \
             th {{ background: {header}; text-align: left; }} th, td {{ border-bottom: 0.5pt solid {rule}; padding: 3pt; }} \
             dl {{ display: grid; grid-template-columns: 150pt 1fr; gap: 2pt; }} dt {{ color: {muted}; }} \
             .heat td {{ width: 34pt; height: 34pt; text-align: center; border: 0.5pt solid white; }} \
             </style></head><body><p class=\"marking\">{marking}</p>{body}\
             <p class=\"frame\">{generated}<br>{fingerprint}</p><p class=\"marking\">{marking}</p></body></html>",
            title = escape(&frame.title),
            text = css(colour::TEXT),
            accent = css(colour::ACCENT),
            muted = css(colour::MUTED),
            header = css(colour::HEADER_FILL),
            rule = css(colour::RULE),
            marking = escape(&frame.marking),
            generated = escape(&frame.generated),
            fingerprint = escape(&frame.fingerprint),
            body = self.html.as_deref().unwrap_or_default(),
        )
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a document has a page")
    }

    /// The number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = CONTENT_TOP;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < CONTENT_BOTTOM {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: f32) {
        self.y -= height;
    }

    /// Sets one line of text with its baseline at (`x`, `y`).
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, weight: Weight, colour: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font_id(weight)),
                size: Pt(size),
            },
            Op::SetFillColor {
                col: colour.color(),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(x), Pt(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// A filled rectangle with its lower left corner at (`x`, `y`).
    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, fill: Rgb) {
        self.ops().extend([
            Op::SetFillColor { col: fill.color() },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(y),
                    width: Pt(width),
                    height: Pt(height),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            },
        ]);
    }

    /// A straight line.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, stroke: Rgb) {
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.ops().extend([
            Op::SetOutlineColor {
                col: stroke.color(),
            },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![point(from), point(to)],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A closed shape through `points`, filled or outlined.
    fn shape(&mut self, points: &[(f32, f32)], mode: PaintMode, paint: Rgb) {
        let ring = PolygonRing {
            points: points
                .iter()
                .map(|&(x, y)| LinePoint {
                    p: Point { x: Pt(x), y: Pt(y) },
                    bezier: false,
                })
                .collect(),
        };
        let set = match mode {
            PaintMode::Stroke => Op::SetOutlineColor { col: paint.color() },
            _ => Op::SetFillColor { col: paint.color() },
        };
        self.ops().extend([
            set,
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![ring],
                    mode,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// The document's title block at the top of the first page.
    pub fn title(&mut self, title: &str, subtitle: &str) {
        self.html(|h| {
            let _ = write!(
                h,
                "<h1>{}</h1><p class=\"sub\">{}</p>",
                escape(title),
                escape(subtitle)
            );
        });
        for line in wrap(title, CONTENT_WIDTH, 18.0, Weight::Bold) {
            self.y -= 18.0;
            let y = self.y;
            self.text_at(MARGIN, y, 18.0, Weight::Bold, colour::ACCENT, &line);
            self.y -= 4.0;
        }
        for line in wrap(subtitle, CONTENT_WIDTH, 10.5, Weight::Regular) {
            self.y -= 13.0;
            let y = self.y;
            self.text_at(MARGIN, y, 10.5, Weight::Regular, colour::MUTED, &line);
        }
        self.y -= 8.0;
        let y = self.y;
        self.line((MARGIN, y), (PAGE_WIDTH - MARGIN, y), 1.2, colour::ACCENT);
        self.y -= 6.0;
    }

    /// A section heading, kept with at least a few lines of what follows.
    pub fn heading(&mut self, text: &str) {
        self.html(|h| {
            let _ = write!(h, "<h2>{}</h2>", escape(text));
        });
        self.ensure(110.0);
        self.y -= 14.0;
        let lines = wrap(text, CONTENT_WIDTH, 13.0, Weight::Bold);
        for line in lines {
            self.y -= 13.0;
            let y = self.y;
            self.text_at(MARGIN, y, 13.0, Weight::Bold, colour::ACCENT, &line);
        }
        self.y -= 4.0;
        let y = self.y;
        self.line((MARGIN, y), (PAGE_WIDTH - MARGIN, y), 0.6, colour::RULE);
        self.y -= 4.0;
    }

    /// A heading within a section.
    pub fn subheading(&mut self, text: &str) {
        self.html(|h| {
            let _ = write!(h, "<h3>{}</h3>", escape(text));
        });
        // Kept with what follows: a table's header and first row.
        self.ensure(96.0);
        self.y -= 8.0;
        for line in wrap(text, CONTENT_WIDTH, 10.5, Weight::Bold) {
            self.y -= 12.0;
            let y = self.y;
            self.text_at(MARGIN, y, 10.5, Weight::Bold, colour::TEXT, &line);
        }
        self.y -= 2.0;
    }

    /// A wrapped paragraph in the body size.
    pub fn paragraph(&mut self, text: &str) {
        self.paragraph_styled(text, BODY, Weight::Regular, colour::TEXT);
    }

    /// A wrapped paragraph in a muted small size (notes, explanations).
    pub fn note(&mut self, text: &str) {
        self.paragraph_styled(text, SMALL, Weight::Regular, colour::MUTED);
    }

    pub fn paragraph_styled(&mut self, text: &str, size: f32, weight: Weight, colour: Rgb) {
        self.html(|h| {
            let _ = write!(
                h,
                "<p style=\"font-size:{size}pt;color:{};font-weight:{}\">{}</p>",
                css(colour),
                if weight == Weight::Bold {
                    "bold"
                } else {
                    "normal"
                },
                escape(text)
            );
        });
        self.indented(MARGIN, CONTENT_WIDTH, text, size, weight, colour);
        self.y -= size * 0.5;
    }

    fn indented(&mut self, x: f32, width: f32, text: &str, size: f32, weight: Weight, colour: Rgb) {
        let leading = size * 1.35;
        for line in wrap(text, width, size, weight) {
            self.ensure(leading);
            self.y -= leading;
            let y = self.y;
            self.text_at(x, y, size, weight, colour, &line);
        }
    }

    /// A bulleted list.
    pub fn bullets(&mut self, items: &[String]) {
        self.html(|h| {
            h.push_str("<ul>");
            for item in items {
                let _ = write!(h, "<li>{}</li>", escape(item));
            }
            h.push_str("</ul>");
        });
        for item in items {
            self.ensure(BODY * 1.35);
            let y = self.y - BODY * 1.35;
            self.text_at(MARGIN + 4.0, y, BODY, Weight::Regular, colour::ACCENT, "•");
            self.indented(
                MARGIN + 14.0,
                CONTENT_WIDTH - 14.0,
                item,
                BODY,
                Weight::Regular,
                colour::TEXT,
            );
        }
        self.y -= BODY * 0.5;
    }

    /// Labels and their values in two columns.
    pub fn facts(&mut self, facts: &[(String, String)]) {
        self.html(|h| {
            h.push_str("<dl>");
            for (label, value) in facts {
                let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
            }
            h.push_str("</dl>");
        });
        let label_width = 150.0;
        let leading = BODY * 1.4;
        for (label, value) in facts {
            let labels = wrap(label, label_width - 8.0, SMALL + 0.5, Weight::Bold);
            let values = wrap(value, CONTENT_WIDTH - label_width, BODY, Weight::Regular);
            let lines = labels.len().max(values.len());
            self.ensure(leading * lines.min(4) as f32);
            for i in 0..lines {
                self.ensure(leading);
                self.y -= leading;
                let y = self.y;
                if let Some(label) = labels.get(i) {
                    self.text_at(MARGIN, y, SMALL + 0.5, Weight::Bold, colour::MUTED, label);
                }
                if let Some(value) = values.get(i) {
                    self.text_at(
                        MARGIN + label_width,
                        y,
                        BODY,
                        Weight::Regular,
                        colour::TEXT,
                        value,
                    );
                }
            }
            self.y -= 2.0;
        }
        self.y -= BODY * 0.5;
    }

    /// A table that breaks across pages, repeating its header row on each.
    /// A row too tall for what is left of a page continues on the next.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>]) {
        self.table_sized(columns, rows, SMALL + 0.5);
    }

    pub fn table_sized(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32) {
        self.html(|h| {
            let _ = write!(h, "<table style=\"font-size:{size}pt\"><thead><tr>");
            for column in columns {
                let _ = write!(
                    h,
                    "<th style=\"width:{}%\">{}</th>",
                    column.share * 100.0,
                    escape(&column.title)
                );
            }
            h.push_str("</tr></thead><tbody>");
            for row in rows {
                h.push_str("<tr>");
                for (cell, column) in row.iter().zip(columns) {
                    let _ = write!(
                        h,
                        "<td style=\"color:{};font-weight:{};text-align:{}{}\">{}</td>",
                        css(cell.colour),
                        if cell.weight == Weight::Bold {
                            "bold"
                        } else {
                            "normal"
                        },
                        if column.align == Align::Right {
                            "right"
                        } else {
                            "left"
                        },
                        cell.fill
                            .map(|f| format!(";background:{}", css(f)))
                            .unwrap_or_default(),
                        escape(&cell.text)
                    );
                }
                h.push_str("</tr>");
            }
            h.push_str("</tbody></table>");
        });
        let pad = 3.0;
        let widths = column_widths(columns, size, pad);
        let leading = size * 1.3;
        let header: Vec<Vec<String>> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| wrap(&c.title, w - 2.0 * pad, size, Weight::Bold))
            .collect();
        let header_lines = header.iter().map(Vec::len).max().unwrap_or(1);
        let header_height = header_lines as f32 * leading + 2.0 * pad;

        let draw_header = |doc: &mut Doc| {
            let top = doc.y;
            doc.fill_rect(
                MARGIN,
                top - header_height,
                CONTENT_WIDTH,
                header_height,
                colour::HEADER_FILL,
            );
            let mut x = MARGIN;
            for ((column, lines), width) in columns.iter().zip(&header).zip(&widths) {
                for (i, line) in lines.iter().enumerate() {
                    let y = top - pad - (i as f32 + 1.0) * leading + size * 0.25;
                    let tx = match column.align {
                        Align::Left => x + pad,
                        Align::Right => x + width - pad - text_width(line, size, Weight::Bold),
                    };
                    doc.text_at(tx, y, size, Weight::Bold, colour::TEXT, line);
                }
                x += width;
            }
            doc.y = top - header_height;
        };

        // Never a header alone at the foot of a page: it goes with the first row
        // (or the first lines of a long one).
        let first_lines = rows.first().map_or(1, |row| {
            row.iter()
                .zip(&widths)
                .map(|(cell, w)| wrap(&cell.text, w - 2.0 * pad, size, cell.weight).len())
                .max()
                .unwrap_or(1)
        });
        self.ensure(header_height + first_lines.clamp(1, 4) as f32 * leading + 2.0 * pad);
        draw_header(self);
        for (index, row) in rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| wrap(&cell.text, w - 2.0 * pad, size, cell.weight))
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let mut from = 0;
            while from < lines {
                let fit = ((self.y - CONTENT_BOTTOM - 2.0 * pad) / leading)
                    .floor()
                    .max(0.0) as usize;
                // Keep a short row whole; split a long one only where two lines fit.
                if fit == 0 || (fit < lines - from && (lines - from <= 3 || fit < 2)) {
                    self.new_page();
                    draw_header(self);
                    continue;
                }
                let to = lines.min(from + fit);
                let height = (to - from) as f32 * leading + 2.0 * pad;
                let top = self.y;
                if index % 2 == 1 {
                    self.fill_rect(MARGIN, top - height, CONTENT_WIDTH, height, colour::ZEBRA);
                }
                let mut x = MARGIN;
                for ((cell, lines), (column, width)) in
                    row.iter().zip(&cells).zip(columns.iter().zip(&widths))
                {
                    if let Some(fill) = cell.fill {
                        self.fill_rect(x, top - height, *width, height, fill);
                    }
                    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                        let y = top - pad - ((i - from) as f32 + 1.0) * leading + size * 0.25;
                        let tx = match column.align {
                            Align::Left => x + pad,
                            Align::Right => x + width - pad - text_width(line, size, cell.weight),
                        };
                        self.text_at(tx, y, size, cell.weight, cell.colour, line);
                    }
                    x += width;
                }
                self.y = top - height;
                let y = self.y;
                self.line((MARGIN, y), (PAGE_WIDTH - MARGIN, y), 0.3, colour::RULE);
                from = to;
            }
        }
        self.y -= size;
    }

    /// A 5×5 heat map (likelihood across, impact up) coloured by `band`,
    /// with each mark's inherent position (open square) joined by an arrow
    /// to its residual position (filled circle), labelled.
    pub fn heat_map(
        &mut self,
        marks: &[HeatMark],
        band: impl Fn(u8) -> Rgb,
        likelihood_label: &str,
        impact_label: &str,
        legend: &str,
    ) {
        self.html(|h| {
            let _ = write!(
                h,
                "<table class=\"heat\"><caption>{} × {}</caption>",
                escape(impact_label),
                escape(likelihood_label)
            );
            for impact in (1..=5u8).rev() {
                h.push_str("<tr>");
                for likelihood in 1..=5u8 {
                    let here = |at: (u8, u8)| at == (likelihood, impact);
                    let labels: Vec<String> = marks
                        .iter()
                        .filter(|m| here(m.residual) || here(m.inherent))
                        .map(|m| {
                            if here(m.residual) {
                                format!("● {}", m.label)
                            } else {
                                format!("□ {}", m.label)
                            }
                        })
                        .collect();
                    let _ = write!(
                        h,
                        "<td style=\"background:{}\">{}</td>",
                        css(band(likelihood * impact)),
                        escape(&labels.join(" "))
                    );
                }
                h.push_str("</tr>");
            }
            let _ = write!(h, "</table><p class=\"sub\">{}</p>", escape(legend));
        });
        let cell = 34.0;
        let grid = cell * 5.0;
        let height = grid + 44.0;
        self.ensure(height);
        let left = MARGIN + 40.0;
        let bottom = self.y - grid - 8.0;
        for l in 1..=5u8 {
            for i in 1..=5u8 {
                let x = left + f32::from(l - 1) * cell;
                let y = bottom + f32::from(i - 1) * cell;
                self.fill_rect(x, y, cell, cell, band(l * i));
                self.shape(
                    &[(x, y), (x + cell, y), (x + cell, y + cell), (x, y + cell)],
                    PaintMode::Stroke,
                    colour::WHITE,
                );
            }
        }
        for n in 1..=5u8 {
            let label = n.to_string();
            let x = left + f32::from(n - 1) * cell + cell / 2.0 - 2.5;
            self.text_at(
                x,
                bottom - 11.0,
                SMALL,
                Weight::Regular,
                colour::MUTED,
                &label,
            );
            let y = bottom + f32::from(n - 1) * cell + cell / 2.0 - 3.0;
            self.text_at(
                left - 12.0,
                y,
                SMALL,
                Weight::Regular,
                colour::MUTED,
                &label,
            );
        }
        self.text_at(
            left,
            bottom - 24.0,
            SMALL,
            Weight::Bold,
            colour::MUTED,
            likelihood_label,
        );
        self.text_at(
            MARGIN - 4.0,
            bottom + grid + 6.0,
            SMALL,
            Weight::Bold,
            colour::MUTED,
            impact_label,
        );

        // Marks sharing a cell are spread out so each stays readable.
        let centre = |(l, i): (u8, u8), k: usize| {
            let offsets = [
                (0.0, 0.0),
                (-9.0, 8.0),
                (9.0, -8.0),
                (-9.0, -8.0),
                (9.0, 8.0),
            ];
            let (dx, dy) = offsets[k % offsets.len()];
            (
                left + (f32::from(l.clamp(1, 5)) - 0.5) * cell + dx,
                bottom + (f32::from(i.clamp(1, 5)) - 0.5) * cell + dy,
            )
        };
        let mut seen_inherent: std::collections::HashMap<(u8, u8), usize> = Default::default();
        let mut seen_residual: std::collections::HashMap<(u8, u8), usize> = Default::default();
        for mark in marks {
            let k = seen_inherent.entry(mark.inherent).or_default();
            let from = centre(mark.inherent, *k);
            *k += 1;
            let k = seen_residual.entry(mark.residual).or_default();
            let to = centre(mark.residual, *k);
            *k += 1;
            if mark.inherent != mark.residual {
                self.line(from, to, 0.8, colour::TEXT);
                // The arrow head at the residual end.
                let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                let length = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
                let (ux, uy) = (dx / length, dy / length);
                let tip = (to.0 - ux * 4.5, to.1 - uy * 4.5);
                let back = (tip.0 - ux * 5.0, tip.1 - uy * 5.0);
                self.shape(
                    &[
                        tip,
                        (back.0 - uy * 2.5, back.1 + ux * 2.5),
                        (back.0 + uy * 2.5, back.1 - ux * 2.5),
                    ],
                    PaintMode::Fill,
                    colour::TEXT,
                );
                let s = 3.5;
                self.shape(
                    &[
                        (from.0 - s, from.1 - s),
                        (from.0 + s, from.1 - s),
                        (from.0 + s, from.1 + s),
                        (from.0 - s, from.1 + s),
                    ],
                    PaintMode::Stroke,
                    colour::TEXT,
                );
            }
            let circle: Vec<(f32, f32)> = (0..16)
                .map(|k| {
                    let a = k as f32 * std::f32::consts::PI / 8.0;
                    (to.0 + 4.0 * a.cos(), to.1 + 4.0 * a.sin())
                })
                .collect();
            self.shape(&circle, PaintMode::Fill, colour::TEXT);
            // The label above the dot, clear of the arrow coming in from below or the side.
            self.fill_rect(
                to.0 + 3.5,
                to.1 + 3.5,
                text_width(&mark.label, 6.5, Weight::Bold) + 2.0,
                8.0,
                colour::WHITE,
            );
            self.text_at(
                to.0 + 4.5,
                to.1 + 5.5,
                6.5,
                Weight::Bold,
                colour::TEXT,
                &mark.label,
            );
        }
        // The legend beside the map.
        let legend_x = left + grid + 24.0;
        let mut y = bottom + grid - 8.0;
        for line in wrap(
            legend,
            PAGE_WIDTH - MARGIN - legend_x,
            SMALL,
            Weight::Regular,
        ) {
            self.text_at(legend_x, y, SMALL, Weight::Regular, colour::MUTED, &line);
            y -= SMALL * 1.35;
        }
        self.y = bottom - 30.0;
    }

    /// Adds the header and footer to every page and writes the PDF.
    pub fn finish(self, meta: &Meta) -> Vec<u8> {
        let Doc { pages, frame, .. } = self;
        let count = pages.len();
        let mut doc = PdfDocument::new(&meta.title);
        for weight in [Weight::Regular, Weight::Bold] {
            doc.resources.fonts.map.insert(
                font_id(weight),
                printpdf::font::PdfFont::new(face(weight).parsed.clone()),
            );
        }
        let info = &mut doc.metadata.info;
        info.author = meta.author.clone();
        info.subject = meta.subject.clone();
        info.keywords = meta.keywords.clone();
        info.creator = "Tillit".to_owned();
        info.producer = format!("Tillit {}", crate::VERSION);
        info.identifier = meta.identifier.clone();
        let created = printpdf::OffsetDateTime::from_unix_timestamp(meta.created)
            .unwrap_or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0).expect("epoch"));
        info.creation_date = created;
        info.modification_date = created;
        info.metadata_date = created;

        let pages: Vec<PdfPage> = pages
            .into_iter()
            .enumerate()
            .map(|(index, ops)| {
                let mut page = Doc {
                    pages: vec![Vec::new()],
                    y: 0.0,
                    frame: frame.clone(),
                    html: None,
                };
                page.frame_page(index + 1, count);
                let mut all = page.pages.pop().unwrap_or_default();
                all.extend(ops);
                PdfPage::new(Mm(210.0), Mm(297.0), all)
            })
            .collect();
        doc.with_pages(pages);

        let options = PdfSaveOptions {
            optimize: true,
            subset_fonts: false,
            secure: true,
            image_optimization: None,
        };
        let mut lopdf = printpdf::serialize::to_lopdf_doc(&doc, &options, &mut Vec::new());
        // printpdf gives each file a random /ID; the document's own identifier
        // makes the bytes reproducible.
        let id = lopdf::Object::String(
            meta.identifier.as_bytes().to_vec(),
            lopdf::StringFormat::Hexadecimal,
        );
        lopdf
            .trailer
            .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
        lopdf.compress();
        let mut bytes = Vec::new();
        lopdf
            .save_to(&mut bytes)
            .expect("writing a PDF to memory cannot fail");
        bytes
    }

    /// The header and footer of page `page` of `pages`.
    fn frame_page(&mut self, page: usize, pages: usize) {
        let frame = self.frame.clone();
        let top = PAGE_HEIGHT - 34.0;
        let marking_width = text_width(&frame.marking, 7.5, Weight::Bold);
        let title_room = CONTENT_WIDTH - marking_width - 20.0;
        let title = wrap(&frame.title, title_room, 7.5, Weight::Regular)
            .into_iter()
            .next()
            .unwrap_or_default();
        self.text_at(MARGIN, top, 7.5, Weight::Regular, colour::MUTED, &title);
        self.fill_rect(
            PAGE_WIDTH - MARGIN - marking_width - 8.0,
            top - 4.0,
            marking_width + 8.0,
            13.0,
            colour::ACCENT,
        );
        self.text_at(
            PAGE_WIDTH - MARGIN - marking_width - 4.0,
            top,
            7.5,
            Weight::Bold,
            colour::WHITE,
            &frame.marking,
        );
        self.line(
            (MARGIN, top - 10.0),
            (PAGE_WIDTH - MARGIN, top - 10.0),
            0.5,
            colour::RULE,
        );

        let bottom = 42.0;
        self.line(
            (MARGIN, bottom + 10.0),
            (PAGE_WIDTH - MARGIN, bottom + 10.0),
            0.5,
            colour::RULE,
        );
        self.text_at(
            MARGIN,
            bottom,
            7.0,
            Weight::Regular,
            colour::MUTED,
            &frame.generated,
        );
        let page_text = frame
            .page_of
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string());
        let width = text_width(&page_text, 7.0, Weight::Bold);
        self.text_at(
            PAGE_WIDTH - MARGIN - width,
            bottom,
            7.0,
            Weight::Bold,
            colour::TEXT,
            &page_text,
        );
        self.text_at(
            MARGIN,
            bottom - 10.0,
            6.5,
            Weight::Regular,
            colour::MUTED,
            &frame.fingerprint,
        );
        // The marking at the foot as well, for pages printed and separated.
        let width = text_width(&frame.marking, 6.5, Weight::Bold);
        self.text_at(
            (PAGE_WIDTH - width) / 2.0,
            bottom - 21.0,
            6.5,
            Weight::Bold,
            colour::ACCENT,
            &frame.marking,
        );
    }
}

/// Text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A colour for CSS.
fn css(colour: Rgb) -> String {
    let byte = |c: f32| (c.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        byte(colour.0),
        byte(colour.1),
        byte(colour.2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let text = "Leverantören lagrar personuppgifter i Sverige och når dem från Indien – med ett mycket_långt_ord_som_inte_ryms_på_en_rad_alls_i_smala_kolumner.";
        let lines = wrap(text, 120.0, 9.0, Weight::Regular);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(
                text_width(line, 9.0, Weight::Regular) <= 120.0 + 0.01,
                "{line}"
            );
        }
        assert_eq!(lines.join("").replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn the_fonts_have_the_characters_reports_use() {
        for c in "åäöÅÄÖéüßæøñ–—€✓✗→•…".chars() {
            for weight in [Weight::Regular, Weight::Bold] {
                assert!(
                    face(weight)
                        .parsed
                        .lookup_glyph_index(u32::from(c))
                        .is_some(),
                    "{c} is missing from {weight:?}"
                );
            }
        }
    }
}
