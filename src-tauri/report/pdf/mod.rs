//! The page layout of every report: A4 pages filled from the top, with
//! headings, wrapped paragraphs, label–value blocks ([`blocks`]), tables that
//! break across pages and repeat their header row ([`table`]), and a drawn
//! 5×5 heat map ([`heat_map`]), measured and broken into lines with the
//! fonts' own widths ([`text`]). [`page`] adds every page's header and
//! footer when the document is finished (the page count is known only then)
//! and writes the PDF bytes. The output is a pure function of what was laid
//! out: the same content and the same clock give the same bytes.

mod blocks;
mod heat_map;
mod page;
mod style;
mod table;
mod text;

pub use heat_map::{HeatMark, HEAT_MAP_HEIGHT};
pub use page::{Frame, Meta};
pub use style::{colour, Align, Rgb, Weight};
pub use table::{Cell, Column};
pub use text::{text_width, wrap};

use printpdf::{
    Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    TextMatrix, WindingOrder,
};
use text::font_id;

/// A4 in points, portrait: the short side.
pub const PAGE_WIDTH: f32 = 595.276;
/// A4's long side.
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
/// The width text and tables may use on a portrait page.
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Content starts this far below the top of the page (under the header)
/// and ends above the footer.
const HEADER_ROOM: f32 = 66.0;
pub(super) const CONTENT_BOTTOM: f32 = 64.0;

pub(super) const REGULAR_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
pub(super) const BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Something that follows a document's content block by block as it is
/// laid out: the benchmark writes it as HTML, to have a browser print the
/// same content.
pub trait Transcript {
    /// The document's frame, before any content.
    fn frame(&mut self, frame: &Frame);
    fn title(&mut self, title: &str, subtitle: &str);
    /// A heading of `level` 2 (a section) or 3 (a part of one).
    fn heading(&mut self, level: u8, text: &str);
    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, colour: Rgb);
    fn bullets(&mut self, items: &[String]);
    fn facts(&mut self, facts: &[(String, String)]);
    fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>], size: f32);
    /// The heat map: `colours[impact - 1][likelihood - 1]` of each cell.
    fn heat_map(
        &mut self,
        marks: &[HeatMark],
        colours: &[[Rgb; 5]; 5],
        likelihood_label: &str,
        impact_label: &str,
        legend: &str,
    );
}

/// A document being laid out.
pub struct Doc {
    pages: Vec<Vec<Op>>,
    /// The page's size in points: A4 portrait or landscape.
    width: f32,
    height: f32,
    /// The baseline position for what comes next, from the bottom of the page.
    y: f32,
    frame: Frame,
    /// What follows the content block by block, when asked for
    /// ([`Doc::with_transcript`]).
    transcript: Option<Box<dyn Transcript>>,
    /// The headings in order, for the document's outline (bookmarks).
    outline: Vec<OutlineEntry>,
}

/// A heading in the document's outline: its level (2 a section, 3 a part
/// of one), its text and the page (from 0) it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
}

pub const BODY: f32 = 9.5;
pub(super) const SMALL: f32 = 8.0;

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doc")
            .field("pages", &self.pages.len())
            .field("y", &self.y)
            .field("frame", &self.frame)
            .finish()
    }
}

impl Doc {
    /// A document on A4 portrait pages.
    pub fn new(frame: Frame) -> Doc {
        Doc {
            pages: vec![Vec::new()],
            width: PAGE_WIDTH,
            height: PAGE_HEIGHT,
            y: PAGE_HEIGHT - HEADER_ROOM,
            frame,
            transcript: None,
            outline: Vec::new(),
        }
    }

    /// A document on A4 landscape pages (a wide table).
    pub fn landscape(frame: Frame) -> Doc {
        let mut doc = Doc::new(frame);
        doc.width = PAGE_HEIGHT;
        doc.height = PAGE_WIDTH;
        doc.y = doc.content_top();
        doc
    }

    /// The width text and tables may use.
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    /// Where the right margin starts.
    pub(super) fn right(&self) -> f32 {
        self.width - MARGIN
    }

    pub(super) fn content_top(&self) -> f32 {
        self.height - HEADER_ROOM
    }

    /// Marks where a heading starts, for the outline.
    fn outline_here(&mut self, level: u8, title: &str) {
        let page = self.pages.len() - 1;
        self.outline.push(OutlineEntry {
            level,
            title: title.to_owned(),
            page,
        });
    }

    /// Also tells `transcript` the content, block by block.
    pub fn with_transcript(mut self, mut transcript: Box<dyn Transcript>) -> Doc {
        transcript.frame(&self.frame);
        self.transcript = Some(transcript);
        self
    }

    /// Tells the transcript, if there is one, a block of content.
    fn transcribe(&mut self, tell: impl FnOnce(&mut dyn Transcript)) {
        if let Some(transcript) = self.transcript.as_mut() {
            tell(transcript.as_mut());
        }
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
        self.y = self.content_top();
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
    pub(super) fn shape(&mut self, points: &[(f32, f32)], mode: PaintMode, paint: Rgb) {
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
}
