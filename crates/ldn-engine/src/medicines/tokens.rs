//! Splitting a medicine line, or a name in the table, into comparable words.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case words of a line: compatibility forms and accents folded ("codeína" and
/// "codeina" are one word, as patients type both), letters and digits, a '.' kept only
/// between digits.
pub fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut tokens = Vec::new();
    let mut current = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        let decimal_point = ch == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if ch.is_alphanumeric() || decimal_point {
            current.push(ch);
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}
