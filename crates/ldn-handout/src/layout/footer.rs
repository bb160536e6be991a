//! The footer line of every page: the document's name and "Page 1 of 2".

use std::collections::BTreeSet;

use printpdf::Op;

use super::{Composer, Style, MUTED, RULE};
use crate::fonts::printable;

impl Composer<'_> {
    /// Finishes the document: each page gets `footer` on the left and its page label
    /// ("Page 1 of 2") on the right.
    pub fn finish(
        mut self,
        footer: &str,
        page_label: impl Fn(usize, usize) -> String,
    ) -> (Vec<Vec<Op>>, BTreeSet<char>) {
        let total = self.pages.len();
        let style = Style::new(8.5, false, MUTED);
        let baseline = self.setup.margin - 2.0;
        let left = self.setup.margin;
        let right = self.setup.width - self.setup.margin;
        for index in 0..total {
            let label = page_label(index + 1, total);
            let label = printable(self.fonts, &label, &mut self.missing);
            let label_width = self.fonts.width(&label, style.size, false);
            // The footer text is cut to the room left of the page label.
            let room = right - left - label_width - 12.0;
            let footer_line = self
                .wrap(footer, style, room)
                .into_iter()
                .next()
                .unwrap_or_default();
            self.current = index;
            self.hline(left, right, baseline + style.size + 2.0, RULE);
            self.draw_text(left, baseline, &footer_line, style);
            self.draw_text(right - label_width, baseline, &label, style);
        }
        (self.pages, self.missing)
    }
}
