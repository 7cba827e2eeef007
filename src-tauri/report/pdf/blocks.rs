//! The blocks a report is made of: its title, headings, paragraphs,
//! bullets and label–value facts, each wrapped to the content width.

use super::{colour, wrap, Doc, Rgb, Weight, BODY, MARGIN, SMALL};

impl Doc {
    /// The document's title block at the top of the first page.
    pub fn title(&mut self, title: &str, subtitle: &str) {
        self.transcribe(|t| t.title(title, subtitle));
        for line in wrap(title, self.content_width(), 18.0, Weight::Bold) {
            self.y -= 18.0;
            let y = self.y;
            self.text_at(MARGIN, y, 18.0, Weight::Bold, colour::ACCENT, &line);
            self.y -= 4.0;
        }
        for line in wrap(subtitle, self.content_width(), 10.5, Weight::Regular) {
            self.y -= 13.0;
            let y = self.y;
            self.text_at(MARGIN, y, 10.5, Weight::Regular, colour::MUTED, &line);
        }
        self.y -= 8.0;
        let y = self.y;
        self.line((MARGIN, y), (self.right(), y), 1.2, colour::ACCENT);
        self.y -= 6.0;
    }

    /// A section heading, kept with at least a few lines of what follows.
    pub fn heading(&mut self, text: &str) {
        self.transcribe(|t| t.heading(2, text));
        self.ensure(110.0);
        self.outline_here(2, text);
        self.y -= 14.0;
        let lines = wrap(text, self.content_width(), 13.0, Weight::Bold);
        for line in lines {
            self.y -= 13.0;
            let y = self.y;
            self.text_at(MARGIN, y, 13.0, Weight::Bold, colour::ACCENT, &line);
        }
        self.y -= 4.0;
        let y = self.y;
        self.line((MARGIN, y), (self.right(), y), 0.6, colour::RULE);
        self.y -= 4.0;
    }

    /// A heading within a section.
    pub fn subheading(&mut self, text: &str) {
        self.transcribe(|t| t.heading(3, text));
        // Kept with what follows: a table's header and first row.
        self.ensure(96.0);
        self.outline_here(3, text);
        self.y -= 8.0;
        for line in wrap(text, self.content_width(), 10.5, Weight::Bold) {
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
        self.transcribe(|t| t.paragraph(text, size, weight, colour));
        self.indented(MARGIN, self.content_width(), text, size, weight, colour);
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
        self.transcribe(|t| t.bullets(items));
        for item in items {
            self.ensure(BODY * 1.35);
            let y = self.y - BODY * 1.35;
            self.text_at(MARGIN + 4.0, y, BODY, Weight::Regular, colour::ACCENT, "•");
            self.indented(
                MARGIN + 14.0,
                self.content_width() - 14.0,
                item,
                BODY,
                Weight::Regular,
                colour::TEXT,
            );
        }
        self.y -= BODY * 0.5;
    }

    /// The width of the label column of `facts`: as wide as the longest
    /// label (within limits), so labels do not wrap.
    fn facts_label_width(&self, facts: &[(String, String)]) -> f32 {
        facts
            .iter()
            .map(|(label, _)| super::text_width(label, SMALL + 0.5, Weight::Bold) + 12.0)
            .fold(110.0, f32::max)
            .min(self.content_width() * 0.4)
    }

    /// The lines each of `facts` takes: its label's or its value's, the more.
    fn facts_lines(&self, facts: &[(String, String)]) -> Vec<(Vec<String>, Vec<String>)> {
        let label_width = self.facts_label_width(facts);
        facts
            .iter()
            .map(|(label, value)| {
                (
                    wrap(label, label_width - 8.0, SMALL + 0.5, Weight::Bold),
                    wrap(
                        value,
                        self.content_width() - label_width,
                        BODY,
                        Weight::Regular,
                    ),
                )
            })
            .collect()
    }

    /// The height `facts` take, to keep them with what comes next.
    pub fn facts_height(&self, facts: &[(String, String)]) -> f32 {
        self.facts_lines(facts)
            .iter()
            .map(|(labels, values)| BODY * 1.4 * labels.len().max(values.len()) as f32 + 2.0)
            .sum::<f32>()
            + BODY * 0.5
    }

    /// Labels and their values in two columns.
    pub fn facts(&mut self, facts: &[(String, String)]) {
        self.transcribe(|t| t.facts(facts));
        let label_width = self.facts_label_width(facts);
        let leading = BODY * 1.4;
        for (labels, values) in self.facts_lines(facts) {
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
}
