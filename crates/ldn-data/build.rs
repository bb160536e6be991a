//! Checks the clinical data in `data/` with the engine and writes the engine's tables for
//! `src/lib.rs` to read at start-up. Data the engine refuses stops the build with every problem
//! listed, so no binary carries data that `ldn rules check` would reject.

use std::path::{Path, PathBuf};

use ldn_engine::{DataSources, Engine, DATA_FILES};

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for file in DATA_FILES {
        println!("cargo:rerun-if-changed={}", data.join(file).display());
    }
    let sources = DataSources::read_with(|relative| {
        let path = data.join(relative);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    })
    .unwrap_or_else(|e| fail(&[e.to_string()]));
    let problems = Engine::check(&sources);
    if !problems.is_empty() {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.place, p.message))
            .collect();
        fail(&lines);
    }
    let engine = Engine::load(&sources).unwrap_or_else(|e| fail(&[e.to_string()]));
    let tables = engine.prebuilt().unwrap_or_else(|e| fail(&[e.to_string()]));
    // What the binary will read must read back here, or the build stops.
    if let Err(e) = Engine::from_prebuilt(&tables) {
        fail(&[e.to_string()]);
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join("engine-tables.bin"), tables)
        .unwrap_or_else(|e| fail(&[format!("cannot write the tables: {e}")]));
}

fn fail(lines: &[String]) -> ! {
    eprintln!("the clinical data in data/ cannot be built into the engine's tables:");
    for line in lines {
        eprintln!("  {line}");
    }
    std::process::exit(1)
}
