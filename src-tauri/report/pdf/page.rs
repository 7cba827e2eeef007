//! Finishing a document: every page's header and footer (title, marking,
//! when generated, page of pages, fingerprint) and the PDF bytes, with the
//! document's metadata and an identifier that makes them reproducible.

use super::text::{face, font_id};
use super::{
    colour, text_width, wrap, Doc, Weight, CONTENT_WIDTH, MARGIN, PAGE_HEIGHT, PAGE_WIDTH,
};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

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
    /// The head of the audit trail and how to check the document.
    pub check: String,
}

/// The document's metadata (shown by a viewer's document properties).
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub author: String,
    /// The document's language (BCP 47, the catalog's /Lang).
    pub language: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// Unix seconds (UTC) of generation: the creation and modification date.
    pub created: i64,
    /// Hex digits that identify the document (the trailer's /ID).
    pub identifier: String,
}

impl Doc {
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
                    transcript: None,
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
        // The document's language, for screen readers and text extraction;
        // and no claim of a PDF/X conformance it does not have (printpdf
        // writes an empty /GTS_PDFXVersion).
        if let Ok(catalog) = lopdf.catalog_mut() {
            catalog.set(
                "Lang",
                lopdf::Object::string_literal(meta.language.as_str()),
            );
        }
        if let Ok(info) = lopdf
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
        {
            if let Ok(lopdf::Object::Dictionary(dictionary)) = lopdf.get_object_mut(info) {
                dictionary.remove(b"GTS_PDFXVersion");
                dictionary.remove(b"Trapped");
            }
        }
        lopdf.version = "1.7".to_owned();
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
        self.text_at(
            MARGIN,
            bottom - 20.0,
            6.5,
            Weight::Regular,
            colour::MUTED,
            &frame.check,
        );
        // The marking at the foot as well, for pages printed and separated:
        // at the end of the first footer line it fits beside (a long
        // marking does not run into the fingerprint).
        let width = text_width(&frame.marking, 6.5, Weight::Bold);
        let page_width = text_width(&page_text, 7.0, Weight::Bold);
        let lines = [
            (
                bottom - 10.0,
                text_width(&frame.fingerprint, 6.5, Weight::Regular),
                0.0,
            ),
            (
                bottom,
                text_width(&frame.generated, 7.0, Weight::Regular),
                page_width + 10.0,
            ),
            (
                bottom - 20.0,
                text_width(&frame.check, 6.5, Weight::Regular),
                0.0,
            ),
        ];
        let (y, right) = lines
            .iter()
            .find(|(_, used, right)| used + 12.0 + width + right <= CONTENT_WIDTH)
            .map_or((bottom - 30.0, 0.0), |(y, _, right)| (*y, *right));
        self.text_at(
            PAGE_WIDTH - MARGIN - right - width,
            y,
            6.5,
            Weight::Bold,
            colour::ACCENT,
            &frame.marking,
        );
    }
}
