//! The report's content as one HTML page, styled like the PDF (A4, the same
//! fonts, colours, tables and marking), written from the blocks the layout
//! tells its transcript: what the benchmark has a browser print to PDF, to
//! compare with Tillit's own writer.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;
use tillit::report::pdf::{colour, Align, Cell, Column, Frame, HeatMark, Rgb, Transcript, Weight};

/// Collects the HTML; [`Html::page`] gives the page once the report is rendered.
#[derive(Debug, Default, Clone)]
pub struct Html(Rc<RefCell<Page>>);

#[derive(Debug, Default)]
struct Page {
    frame: Option<Frame>,
    body: String,
}

impl Html {
    /// The whole page.
    pub fn page(&self) -> String {
        let page = self.0.borrow();
        let Some(frame) = page.frame.as_ref() else {
            return String::new();
        };
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
            body = page.body,
        )
    }

    fn write(&self, write: impl FnOnce(&mut String)) {
        write(&mut self.0.borrow_mut().body);
    }
}

impl Transcript for Html {
    fn frame(&mut self, frame: &Frame) {
        self.0.borrow_mut().frame = Some(frame.clone());
    }

    fn title(&mut self, title: &str, subtitle: &str) {
        self.write(|h| {
            let _ = write!(
                h,
                "<h1>{}</h1><p class=\"sub\">{}</p>",
                escape(title),
                escape(subtitle)
            );
        });
    }

    fn heading(&mut self, level: u8, text: &str) {
        self.write(|h| {
            let _ = write!(h, "<h{level}>{}</h{level}>", escape(text));
        });
    }

    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, colour: Rgb) {
        self.write(|h| {
            let _ = write!(
                h,
                "<p style=\"font-size:{size}pt;color:{};font-weight:{}\">{}</p>",
                css(colour),
                bold(weight),
                escape(text)
            );
        });
    }

    fn bullets(&mut self, items: &[String]) {
        self.write(|h| {
            h.push_str("<ul>");
            for item in items {
                let _ = write!(h, "<li>{}</li>", escape(item));
            }
            h.push_str("</ul>");
        });
    }

    fn facts(&mut self, facts: &[(String, String)]) {
        self.write(|h| {
            h.push_str("<dl>");
            for (label, value) in facts {
                let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
            }
            h.push_str("</dl>");
        });
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32) {
        self.write(|h| {
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
                        bold(cell.weight),
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
    }

    fn heat_map(
        &mut self,
        marks: &[HeatMark],
        colours: &[[Rgb; 5]; 5],
        likelihood_label: &str,
        impact_label: &str,
        legend: &str,
    ) {
        self.write(|h| {
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
                        css(colours[usize::from(impact - 1)][usize::from(likelihood - 1)]),
                        escape(&labels.join(" "))
                    );
                }
                h.push_str("</tr>");
            }
            let _ = write!(h, "</table><p class=\"sub\">{}</p>", escape(legend));
        });
    }
}

fn bold(weight: Weight) -> &'static str {
    if weight == Weight::Bold {
        "bold"
    } else {
        "normal"
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
