//! Finishing a document: every page's header and footer (title, marking,
//! when generated, page of pages, fingerprint) and the PDF bytes, with the
//! document's metadata and an identifier that makes them reproducible.

use super::text::{face, font_id};
use super::{colour, text_width, wrap, Doc, Weight, MARGIN};
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
        let Doc {
            pages,
            frame,
            outline,
            width,
            height,
            ..
        } = self;
        let landscape = width > height;
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
                let mut page = Doc::new(frame.clone());
                page.width = width;
                page.height = height;
                page.frame_page(index + 1, count);
                // The content first, then the header and footer: the
                // reading order starts with what the page says.
                let mut all = ops;
                all.extend(page.pages.pop().unwrap_or_default());
                let (across, down) = if landscape {
                    (297.0, 210.0)
                } else {
                    (210.0, 297.0)
                };
                PdfPage::new(Mm(across), Mm(down), all)
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
        add_outline(&mut lopdf, &outline);
        add_xmp(&mut lopdf, meta);
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
        let top = self.height - 34.0;
        let marking_width = text_width(&frame.marking, 7.5, Weight::Bold);
        let title_room = self.content_width() - marking_width - 20.0;
        let title = wrap(&frame.title, title_room, 7.5, Weight::Regular)
            .into_iter()
            .next()
            .unwrap_or_default();
        self.text_at(MARGIN, top, 7.5, Weight::Regular, colour::MUTED, &title);
        self.fill_rect(
            self.right() - marking_width - 8.0,
            top - 4.0,
            marking_width + 8.0,
            13.0,
            colour::ACCENT,
        );
        self.text_at(
            self.right() - marking_width - 4.0,
            top,
            7.5,
            Weight::Bold,
            colour::WHITE,
            &frame.marking,
        );
        self.line(
            (MARGIN, top - 10.0),
            (self.right(), top - 10.0),
            0.5,
            colour::RULE,
        );

        let bottom = 42.0;
        self.line(
            (MARGIN, bottom + 10.0),
            (self.right(), bottom + 10.0),
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
            self.right() - width,
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
            .find(|(_, used, right)| used + 12.0 + width + right <= self.content_width())
            .map_or((bottom - 30.0, 0.0), |(y, _, right)| (*y, *right));
        self.text_at(
            self.right() - right - width,
            y,
            6.5,
            Weight::Bold,
            colour::ACCENT,
            &frame.marking,
        );
    }
}

/// The outline (bookmarks) of the sections and their parts, shown open.
fn add_outline(lopdf: &mut lopdf::Document, outline: &[super::OutlineEntry]) {
    let pages = lopdf.get_pages();
    let mut section = None;
    for entry in outline {
        let Some(&page) = u32::try_from(entry.page + 1)
            .ok()
            .and_then(|number| pages.get(&number))
        else {
            continue;
        };
        let bookmark = lopdf::Bookmark::new(entry.title.clone(), [0.0, 0.0, 0.0], 0, page);
        if entry.level <= 2 || section.is_none() {
            section = Some(lopdf.add_bookmark(bookmark, None));
        } else {
            lopdf.add_bookmark(bookmark, section);
        }
    }
    if let Some(root) = lopdf.build_outline() {
        if let Ok(catalog) = lopdf.catalog_mut() {
            catalog.set("Outlines", root);
            catalog.set("PageMode", lopdf::Object::Name(b"UseOutlines".to_vec()));
        }
    }
}

/// XML with `&`, `<`, `>` and quotes escaped.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The XMP metadata packet: the same title, author, subject, keywords,
/// language and dates as the document information, uncompressed so any
/// tool reads it. It claims no PDF/A or PDF/X conformance.
pub(super) fn xmp_packet(meta: &Meta) -> String {
    let date = chrono::DateTime::from_timestamp(meta.created, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">
  <rdf:Description rdf:about=\"\"
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"
    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>Tillit {version}</pdf:Producer>
   <xmp:CreatorTool>Tillit</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmpMM:DocumentID>{identifier}</xmpMM:DocumentID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end=\"r\"?>",
        title = xml(&meta.title),
        author = xml(&meta.author),
        subject = xml(&meta.subject),
        language = xml(&meta.language),
        keywords = xml(&meta.keywords.join(", ")),
        version = crate::VERSION,
        identifier = xml(&meta.identifier),
    )
}

fn add_xmp(lopdf: &mut lopdf::Document, meta: &Meta) {
    let mut dictionary = lopdf::Dictionary::new();
    dictionary.set("Type", lopdf::Object::Name(b"Metadata".to_vec()));
    dictionary.set("Subtype", lopdf::Object::Name(b"XML".to_vec()));
    let stream =
        lopdf::Stream::new(dictionary, xmp_packet(meta).into_bytes()).with_compression(false);
    let id = lopdf.add_object(stream);
    if let Ok(catalog) = lopdf.catalog_mut() {
        catalog.set("Metadata", id);
    }
}
