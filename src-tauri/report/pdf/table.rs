//! Tables that break across pages, repeating their header row on each; a
//! row too tall for what is left of a page continues on the next.

use super::{colour, text_width, wrap, Align, Doc, Rgb, Weight, CONTENT_BOTTOM, MARGIN, SMALL};

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

/// The fewest rows a table leaves alone on its last page, where it can.
const WIDOWS: usize = 3;

/// The width of each column: its share of the table, widened where a word
/// of its title or of a cell would not fit (the other columns give up the
/// difference, as far as their own words allow), so words are not broken.
fn column_widths(
    columns: &[Column],
    rows: &[Vec<Cell>],
    size: f32,
    pad: f32,
    width: f32,
) -> Vec<f32> {
    let total: f32 = columns
        .iter()
        .map(|c| c.share)
        .sum::<f32>()
        .max(f32::EPSILON);
    let mut widths: Vec<f32> = columns.iter().map(|c| width * c.share / total).collect();
    let words = |text: &str, weight: Weight| -> f32 {
        text.split_whitespace()
            .map(|word| text_width(word, size, weight))
            .fold(0.0, f32::max)
    };
    // First the words of the titles, then those of the cells (a word
    // longer than a third of the table breaks wherever it is): each
    // widens its column as far as the others can give without breaking
    // their own.
    let titles: Vec<f32> = columns
        .iter()
        .map(|c| words(&c.title, Weight::Bold) + 2.0 * pad + 0.5)
        .collect();
    let longest = width / 3.0;
    let cells: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let widest = rows
                .iter()
                .filter_map(|row| row.get(i))
                .map(|cell| {
                    cell.text
                        .split_whitespace()
                        .map(|word| text_width(word, size, cell.weight))
                        .filter(|w| *w <= longest)
                        .fold(0.0, f32::max)
                })
                .fold(0.0, f32::max);
            titles[i].max(widest + 2.0 * pad + 0.5)
        })
        .collect();
    widen(&mut widths, &titles, &titles);
    widen(&mut widths, &cells, &titles);
    widths
}

/// Widens each column narrower than its `least` width, taking the
/// difference from the columns wider than theirs in proportion to what they
/// can spare, never below their `floor`; when they cannot spare it all, each
/// narrow column gets the same share of what there is.
fn widen(widths: &mut [f32], least: &[f32], floor: &[f32]) {
    let deficit: f32 = widths
        .iter()
        .zip(least)
        .map(|(w, l)| (l - w).max(0.0))
        .sum();
    let spare: f32 = widths
        .iter()
        .zip(least)
        .zip(floor)
        .map(|((w, l), f)| (w - l.max(*f)).max(0.0))
        .sum();
    if deficit <= 0.0 || spare <= 0.0 {
        return;
    }
    let given = deficit.min(spare);
    for ((w, l), f) in widths.iter_mut().zip(least).zip(floor) {
        if *w < *l {
            *w += (*l - *w) * given / deficit;
        } else {
            *w -= (*w - l.max(*f)).max(0.0) * given / spare;
        }
    }
}

impl Doc {
    /// The height [`Doc::table_sized`] gives the table on one page.
    pub fn table_height(&self, columns: &[Column], rows: &[Vec<Cell>], size: f32) -> f32 {
        let pad = 3.0;
        let widths = column_widths(columns, rows, size, pad, self.content_width());
        let leading = size * 1.3;
        let lines = |texts: Vec<(&str, Weight)>| -> usize {
            texts
                .iter()
                .zip(&widths)
                .map(|((text, weight), w)| wrap(text, w - 2.0 * pad, size, *weight).len())
                .max()
                .unwrap_or(1)
                .max(1)
        };
        let header = lines(
            columns
                .iter()
                .map(|c| (c.title.as_str(), Weight::Bold))
                .collect(),
        );
        let body: usize = rows
            .iter()
            .map(|row| lines(row.iter().map(|c| (c.text.as_str(), c.weight)).collect()))
            .sum();
        (header + body) as f32 * leading + (rows.len() + 1) as f32 * 2.0 * pad + size
    }

    /// Where to start a new page early so that a table's last page does not
    /// hold only one or two rows (widows): the rows' places are worked out
    /// ahead as the table will set them, and when the last page would get
    /// fewer than [`WIDOWS`] rows while the page before holds at least twice
    /// as many, that many rows move over with them.
    fn widow_break(
        &self,
        rows: &[Vec<Cell>],
        widths: &[f32],
        size: f32,
        pad: f32,
        header_height: f32,
    ) -> Option<usize> {
        let leading = size * 1.3;
        let heights: Vec<f32> = rows
            .iter()
            .map(|row| {
                let lines = row
                    .iter()
                    .zip(widths)
                    .map(|(cell, w)| wrap(&cell.text, w - 2.0 * pad, size, cell.weight).len())
                    .max()
                    .unwrap_or(1)
                    .max(1);
                lines as f32 * leading + 2.0 * pad
            })
            .collect();
        let page_top = self.content_top() - header_height;
        let mut y = self.y;
        let mut starts = vec![0usize];
        for (index, height) in heights.iter().enumerate() {
            if *height > page_top - CONTENT_BOTTOM {
                // A row taller than a page is split: no rebalancing.
                return None;
            }
            if y - height < CONTENT_BOTTOM {
                starts.push(index);
                y = page_top;
            }
            y -= height;
        }
        let last = *starts.last()?;
        let before = starts.get(starts.len().checked_sub(2)?).copied()?;
        let on_last = rows.len() - last;
        let on_before = last - before;
        (last > 0 && on_last < WIDOWS && on_before >= 2 * WIDOWS).then(|| rows.len() - WIDOWS)
    }

    /// Starts a new page unless `height` points fit on this one, where they
    /// fit on a page at all: what follows is kept together.
    pub fn keep_together(&mut self, height: f32) {
        if height <= self.content_top() - CONTENT_BOTTOM {
            self.ensure(height);
        }
    }

    /// A table that breaks across pages, repeating its header row on each.
    /// A row too tall for what is left of a page continues on the next.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>]) {
        self.table_sized(columns, rows, SMALL + 0.5);
    }

    pub fn table_sized(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32) {
        self.transcribe(|t| t.table(columns, rows, size));
        let pad = 3.0;
        let widths = column_widths(columns, rows, size, pad, self.content_width());
        let content_width = self.content_width();
        let right = self.right();
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
                content_width,
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
        let widow_break = self.widow_break(rows, &widths, size, pad, header_height);
        for (index, row) in rows.iter().enumerate() {
            if Some(index) == widow_break {
                self.new_page();
                draw_header(self);
            }
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
                // Never split a row that a page can hold whole: it goes to the
                // next page; a taller one is split where two lines fit.
                let whole_page = ((self.content_top() - CONTENT_BOTTOM - header_height - 2.0 * pad)
                    / leading)
                    .floor()
                    .max(1.0) as usize;
                if fit == 0 || (fit < lines - from && (lines - from <= whole_page || fit < 2)) {
                    self.new_page();
                    draw_header(self);
                    continue;
                }
                let to = lines.min(from + fit);
                let height = (to - from) as f32 * leading + 2.0 * pad;
                let top = self.y;
                if index % 2 == 1 {
                    self.fill_rect(MARGIN, top - height, content_width, height, colour::ZEBRA);
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
                self.line((MARGIN, y), (right, y), 0.3, colour::RULE);
                from = to;
            }
        }
        self.y -= size;
    }
}
