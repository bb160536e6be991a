// The app's own commands get generated allow-/deny- permissions (AppManifest::commands), so
// capabilities/main.json can grant exactly the ones the window uses.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(ldn_commands::ALL)),
    )
    .expect("failed to run tauri-build");
}

#[path = "src/command_names.rs"]
mod ldn_commands;
