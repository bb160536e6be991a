//! Tables: wrapped cells, ruled borders, and the header row repeated on every page the table
//! runs onto; a row taller than a page is split between pages.

use super::{Composer, Style, Table, CELL_PAD, HEADER_FILL, RULE};

impl Composer<'_> {
    fn column_widths(&self, table: &Table) -> Vec<f32> {
        table
            .columns
            .iter()
            .map(|f| f * self.text_width())
            .collect()
    }

    pub(super) fn row_lines(
        &mut self,
        table: &Table,
        cells: &[String],
        header: bool,
    ) -> Vec<Vec<String>> {
        let style = Style {
            bold: header || table.style.bold,
            ..table.style
        };
        let widths = self.column_widths(table);
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let text = cells.get(i).map_or("", String::as_str);
                self.wrap(text, style, w - 2.0 * CELL_PAD)
            })
            .collect()
    }

    pub(super) fn table(&mut self, table: &Table) {
        let header = self.row_lines(table, &table.header, true);
        let header_h = row_height(&header, table.style);
        let first = table.rows.first().map(|r| self.row_lines(table, r, false));
        self.ensure(header_h + first.as_ref().map_or(0.0, |f| row_height(f, table.style)));
        self.table_row(table, &header, true);
        for row in &table.rows {
            let mut cells = self.row_lines(table, row, false);
            let height = row_height(&cells, table.style);
            if height > self.available() && height <= self.fresh_page_space() - header_h {
                self.new_page();
                self.table_row(table, &header, true);
            }
            // A row taller than a whole page is split between pages, header repeated.
            loop {
                let fit = ((self.available() - 2.0 * CELL_PAD) / table.style.line_height())
                    .floor()
                    .max(0.0) as usize;
                let longest = cells.iter().map(Vec::len).max().unwrap_or(0);
                if longest <= fit {
                    self.table_row(table, &cells, false);
                    break;
                }
                if fit == 0 {
                    self.new_page();
                    self.table_row(table, &header, true);
                    continue;
                }
                let head: Vec<Vec<String>> = cells
                    .iter()
                    .map(|c| c.iter().take(fit).cloned().collect())
                    .collect();
                cells = cells
                    .into_iter()
                    .map(|c| c.into_iter().skip(fit).collect())
                    .collect();
                self.table_row(table, &head, false);
                self.new_page();
                self.table_row(table, &header, true);
            }
        }
        self.y -= table.style.size * 0.5;
    }

    fn table_row(&mut self, table: &Table, cells: &[Vec<String>], header: bool) {
        let style = Style {
            bold: header || table.style.bold,
            ..table.style
        };
        let height = row_height(cells, style);
        let widths = self.column_widths(table);
        let top = self.y;
        let mut x = self.setup.margin;
        if header {
            self.fill_rect(x, top - height, self.text_width(), height, HEADER_FILL);
        }
        for (lines, w) in cells.iter().zip(&widths) {
            self.stroke_rect(x, top - height, *w, height, RULE, false);
            let mut baseline = top - CELL_PAD - style.size;
            for line in lines {
                self.draw_text(x + CELL_PAD, baseline, line, style);
                baseline -= style.line_height();
            }
            x += w;
        }
        self.y = top - height;
    }
}

pub(super) fn row_height(cells: &[Vec<String>], style: Style) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * style.line_height() + 2.0 * CELL_PAD
}
