//! The command list (which build.rs turns into permissions), the handlers the app registers and
//! the capability the window is granted must name the same commands: a command missing from one
//! of them is either unreachable or reachable without being meant to be.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_command_list_the_handlers_and_the_capability_agree() {
    let listed: BTreeSet<String> = ldn_intake::command_names::ALL
        .iter()
        .map(|c| (*c).to_owned())
        .collect();

    let lib = read("src/lib.rs");
    let start = lib
        .find("generate_handler![")
        .expect("lib.rs registers its handlers with generate_handler!");
    let block = &lib[start..start + lib[start..].find(']').expect("the handler list ends")];
    let handlers: BTreeSet<String> = block["generate_handler![".len()..]
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();

    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/main.json")).expect("main.json is JSON");
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("main.json lists permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();

    assert_eq!(
        handlers, listed,
        "generate_handler! and command_names::ALL differ"
    );
    assert_eq!(
        granted, listed,
        "capabilities/main.json and command_names::ALL differ"
    );
}
