//! `{name}` placeholders in rule texts. The names a rule may use are checked by
//! `ldn rules check`, so filling never meets an unknown one in checked data.

/// The placeholder names in a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names
}

/// Replaces each `{name}` by `value(name)`; an unknown name is left as it stands.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_and_keeps_unknown() {
        let v = |n: &str| (n == "a").then(|| "1".to_owned());
        assert_eq!(fill("x {a} y {b} {", v), "x 1 y {b} {");
        assert_eq!(
            placeholders("{a} and {answer:kidney.egfr}"),
            vec!["a", "answer:kidney.egfr"]
        );
    }
}
