//! A small layout layer over printpdf's drawing operations: measured word wrap, headings kept
//! with what follows, tables whose header row repeats on each page, banners, and "Page 1 of 2"
//! footers. Everything is placed inside the margins; nothing is drawn past them.

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem,
};

use crate::fonts::{printable, Fonts};

mod footer;
mod table;

use table::row_height;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub f32, pub f32, pub f32);

pub const INK: Colour = Colour(0.1, 0.1, 0.1);
pub const MUTED: Colour = Colour(0.35, 0.35, 0.35);
pub const RULE: Colour = Colour(0.6, 0.6, 0.6);
pub const HEADER_FILL: Colour = Colour(0.9, 0.92, 0.95);
pub const WHITE: Colour = Colour(1.0, 1.0, 1.0);

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub colour: Colour,
}

impl Style {
    pub const fn new(size: f32, bold: bool, colour: Colour) -> Style {
        Style { size, bold, colour }
    }

    pub fn line_height(&self) -> f32 {
        self.size * 1.35
    }
}

pub const BODY: Style = Style::new(11.0, false, INK);
pub const SMALL: Style = Style::new(9.0, false, INK);
pub const H1: Style = Style::new(18.0, true, INK);
pub const H2: Style = Style::new(13.5, true, INK);

pub struct Table {
    /// Column widths as fractions of the text width.
    pub columns: Vec<f32>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub style: Style,
}

pub enum Block {
    /// Kept on the same page as the start of the block after it.
    Heading(String, Style),
    Paragraph(String, Style),
    /// Bulleted items; each item is kept whole on one page when it can be.
    Bullets(Vec<String>, Style),
    Table(Table),
    /// Text on a coloured band, kept whole.
    Banner {
        text: String,
        style: Style,
        fill: Colour,
    },
    Space(f32),
}

#[derive(Debug, Clone, Copy)]
pub struct PageSetup {
    pub width: f32,
    pub height: f32,
    pub margin: f32,
}

/// Space kept at the foot of every page for the footer line.
const FOOTER_SPACE: f32 = 22.0;
/// Padding inside table cells and banners.
const CELL_PAD: f32 = 4.0;
const BULLET_INDENT: f32 = 14.0;

pub struct Composer<'a> {
    fonts: &'a Fonts,
    regular: FontId,
    bold: FontId,
    pub setup: PageSetup,
    pages: Vec<Vec<Op>>,
    /// The page being drawn on.
    current: usize,
    /// Top of the free space on the current page.
    y: f32,
    /// Characters no bundled font has, printed as a placeholder.
    pub missing: BTreeSet<char>,
}

fn colour(c: Colour) -> Color {
    Color::Rgb(Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

impl<'a> Composer<'a> {
    pub fn new(fonts: &'a Fonts, regular: FontId, bold: FontId, setup: PageSetup) -> Composer<'a> {
        Composer {
            fonts,
            regular,
            bold,
            setup,
            pages: vec![Vec::new()],
            current: 0,
            y: setup.height - setup.margin,
            missing: BTreeSet::new(),
        }
    }

    pub fn text_width(&self) -> f32 {
        self.setup.width - 2.0 * self.setup.margin
    }

    fn bottom(&self) -> f32 {
        self.setup.margin + FOOTER_SPACE
    }

    fn fresh_page_space(&self) -> f32 {
        self.setup.height - self.setup.margin - self.bottom()
    }

    fn available(&self) -> f32 {
        self.y - self.bottom()
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.current = self.pages.len() - 1;
        self.y = self.setup.height - self.setup.margin;
    }

    /// Starts a new page unless `height` fits; a block taller than a page starts on a new one.
    fn ensure(&mut self, height: f32) {
        let at_top = self.y >= self.setup.height - self.setup.margin;
        if height > self.available() && !at_top {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages[self.current]
    }

    /// Draws one line of text with its baseline at `baseline`.
    pub fn draw_text(&mut self, x: f32, baseline: f32, text: &str, style: Style) {
        let text = printable(self.fonts, text, &mut self.missing);
        let font = if style.bold {
            &self.bold
        } else {
            &self.regular
        }
        .clone();
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(style.size),
            },
            Op::SetFillColor {
                col: colour(style.colour),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text)],
            },
            Op::EndTextSection,
        ]);
    }

    pub fn fill_rect(&mut self, x: f32, y_bottom: f32, w: f32, h: f32, fill: Colour) {
        self.ops().extend([
            Op::SetFillColor { col: colour(fill) },
            Op::DrawRectangle {
                rectangle: Rect {
                    mode: Some(PaintMode::Fill),
                    ..Rect::from_xywh(Pt(x), Pt(y_bottom), Pt(w), Pt(h))
                },
            },
        ]);
    }

    pub fn stroke_rect(
        &mut self,
        x: f32,
        y_bottom: f32,
        w: f32,
        h: f32,
        line: Colour,
        dashed: bool,
    ) {
        let dash = if dashed {
            printpdf::LineDashPattern::new(0.0, &[4.0, 3.0])
        } else {
            printpdf::LineDashPattern::solid()
        };
        self.ops().extend([
            Op::SetOutlineColor { col: colour(line) },
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::SetLineDashPattern { dash },
            Op::DrawRectangle {
                rectangle: Rect {
                    mode: Some(PaintMode::Stroke),
                    ..Rect::from_xywh(Pt(x), Pt(y_bottom), Pt(w), Pt(h))
                },
            },
        ]);
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, line: Colour) {
        let point = |x| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.ops().extend([
            Op::SetOutlineColor { col: colour(line) },
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::SetLineDashPattern {
                dash: printpdf::LineDashPattern::solid(),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![point(x1), point(x2)],
                    is_closed: false,
                },
            },
        ]);
    }

    /// Greedy word wrap by measured width; a word wider than the line is broken by character.
    pub fn wrap(&mut self, text: &str, style: Style, width: f32) -> Vec<String> {
        let text = printable(self.fonts, text, &mut self.missing);
        let measure = |s: &str| self.fonts.width(s, style.size, style.bold);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if measure(&candidate) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if measure(word) <= width {
                    line = word.to_owned();
                } else {
                    for c in word.chars() {
                        let mut longer = line.clone();
                        longer.push(c);
                        if measure(&longer) > width && !line.is_empty() {
                            lines.push(std::mem::replace(&mut line, c.to_string()));
                        } else {
                            line = longer;
                        }
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Lays out blocks in order, flowing onto new pages as needed.
    pub fn layout(&mut self, blocks: &[Block]) {
        for (i, block) in blocks.iter().enumerate() {
            if let Block::Heading(text, style) = block {
                let lines = self.wrap(text, *style, self.text_width());
                let own = lines.len() as f32 * style.line_height() + style.size * 0.6;
                let next = blocks.get(i + 1).map_or(0.0, |b| self.first_unit_height(b));
                self.ensure(own + next);
                self.y -= style.size * 0.6;
                self.lines(&lines, *style, self.setup.margin);
                continue;
            }
            self.block(block);
        }
    }

    /// The height of the part of a block that must stay with a heading above it.
    fn first_unit_height(&mut self, block: &Block) -> f32 {
        let width = self.text_width();
        match block {
            Block::Paragraph(text, style) => {
                let n = self.wrap(text, *style, width).len().min(2);
                n as f32 * style.line_height()
            }
            Block::Bullets(items, style) => items.first().map_or(0.0, |item| {
                self.wrap(item, *style, width - BULLET_INDENT).len() as f32 * style.line_height()
            }),
            Block::Table(table) => {
                let header = self.row_lines(table, &table.header, true);
                let first = table.rows.first().map(|r| self.row_lines(table, r, false));
                row_height(&header, table.style)
                    + first.map_or(0.0, |f| row_height(&f, table.style))
            }
            Block::Banner { text, style, .. } => self.banner_height(text, *style),
            Block::Heading(text, style) => {
                self.wrap(text, *style, width).len() as f32 * style.line_height()
            }
            Block::Space(h) => *h,
        }
    }

    fn block(&mut self, block: &Block) {
        let width = self.text_width();
        let left = self.setup.margin;
        match block {
            Block::Heading(text, style) | Block::Paragraph(text, style) => {
                let lines = self.wrap(text, *style, width);
                self.lines(&lines, *style, left);
            }
            Block::Bullets(items, style) => {
                for item in items {
                    let lines = self.wrap(item, *style, width - BULLET_INDENT);
                    let height = lines.len() as f32 * style.line_height();
                    if height <= self.fresh_page_space() {
                        self.ensure(height);
                    }
                    self.ensure(style.line_height());
                    let baseline = self.y - style.size;
                    self.draw_text(left + 3.0, baseline, "•", *style);
                    self.lines(&lines, *style, left + BULLET_INDENT);
                    self.y -= style.size * 0.25;
                }
            }
            Block::Table(table) => self.table(table),
            Block::Banner { text, style, fill } => {
                let height = self.banner_height(text, *style);
                self.ensure(height);
                let lines = self.wrap(text, *style, width - 2.0 * CELL_PAD * 2.0);
                self.fill_rect(left, self.y - height, width, height, *fill);
                self.y -= CELL_PAD * 2.0;
                self.lines(&lines, *style, left + CELL_PAD * 2.0);
                self.y -= CELL_PAD * 2.0;
            }
            Block::Space(h) => {
                self.y -= h.min(self.available().max(0.0));
            }
        }
    }

    fn banner_height(&mut self, text: &str, style: Style) -> f32 {
        let lines = self.wrap(text, style, self.text_width() - 2.0 * CELL_PAD * 2.0);
        lines.len() as f32 * style.line_height() + 4.0 * CELL_PAD
    }

    /// Draws lines from the current position, moving to a new page between lines as needed.
    fn lines(&mut self, lines: &[String], style: Style, x: f32) {
        for line in lines {
            self.ensure(style.line_height());
            let baseline = self.y - style.size;
            self.draw_text(x, baseline, line, style);
            self.y -= style.line_height();
        }
    }
}
