//! The same blocks as HTML: a print preview for the desktop app, and the page the benchmark
//! prints with headless Chromium to compare against the PDF path.

use html_escape::encode_text;

use crate::layout::Block;

/// An HTML document of `blocks`; `font_dir` is where NotoSans-*.ttf are (a file: URL).
pub(crate) fn document(title: &str, blocks: &[Block], font_dir: &str, page_size: &str) -> String {
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Heading(text, style) => {
                let tag = if style.size >= 16.0 {
                    "h1"
                } else if style.size >= 12.0 {
                    "h2"
                } else {
                    "h3"
                };
                body.push_str(&format!("<{tag}>{}</{tag}>\n", encode_text(text)));
            }
            Block::Paragraph(text, style) => {
                let class = if style.bold { " class=\"strong\"" } else { "" };
                body.push_str(&format!(
                    "<p{class} style=\"font-size:{}pt\">{}</p>\n",
                    style.size,
                    encode_text(text)
                ));
            }
            Block::Bullets(items, _) => {
                body.push_str("<ul>\n");
                for item in items {
                    body.push_str(&format!("<li>{}</li>\n", encode_text(item)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table(table) => {
                body.push_str("<table>\n<thead><tr>");
                for cell in &table.header {
                    body.push_str(&format!("<th>{}</th>", encode_text(cell)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for row in &table.rows {
                    body.push_str("<tr>");
                    for cell in row {
                        body.push_str(&format!("<td>{}</td>", encode_text(cell)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody></table>\n");
            }
            Block::Banner { text, .. } => {
                body.push_str(&format!(
                    "<div class=\"banner\">{}</div>\n",
                    encode_text(text)
                ));
            }
            Block::Space(h) => body.push_str(&format!("<div style=\"height:{h}pt\"></div>\n")),
        }
    }
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>
@font-face {{ font-family: "Noto Sans"; src: url("{font_dir}/NotoSans-Regular.ttf"); font-weight: 400; }}
@font-face {{ font-family: "Noto Sans"; src: url("{font_dir}/NotoSans-Bold.ttf"); font-weight: 700; }}
@page {{ size: {page_size}; margin: 50pt 50pt 72pt 50pt; }}
body {{ font-family: "Noto Sans"; font-size: 11pt; color: #1a1a1a; }}
h1 {{ font-size: 18pt; margin: 10pt 0 4pt; }} h2 {{ font-size: 13.5pt; margin: 10pt 0 4pt; break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 6pt 0 2pt; break-after: avoid; }} p {{ margin: 0 0 3pt; }} .strong {{ font-weight: 700; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; }} thead {{ display: table-header-group; }}
th, td {{ border: 0.6pt solid #999; padding: 4pt; text-align: left; vertical-align: top; }} th {{ background: #e6ebf2; }}
tr {{ break-inside: avoid; }} .banner {{ background: #fcd973; padding: 8pt; font-weight: 700; }}
</style></head><body>
{body}</body></html>
"#,
        title = encode_text(title)
    )
}
