//! Opening a PDF in the system viewer to print it, and saying honestly whether that happened.
//!
//! Through the `open` crate, which Tauri's opener plugin itself calls, on all three systems:
//! xdg-open or gio on Linux, `open` on macOS, `cmd /c start` on Windows. It is used directly
//! for its launch check, which the plugin does not offer.

use std::path::Path;
use std::time::Duration;

/// How long a launcher (xdg-open, gio, open, start) may take to fail before it is taken to have
/// handed the file to a viewer. A launcher that finds no viewer fails well within this.
const LAUNCH_CHECK: Duration = Duration::from_secs(2);

/// Whether a viewer was started for `path`: no launcher failed within the check. When none
/// started, the caller says where the file is instead.
pub fn open_for_printing(path: &Path) -> bool {
    match open::that_detached_with_timeout(path, LAUNCH_CHECK) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("ldn-intake: no PDF viewer opened the print copy: {e}");
            false
        }
    }
}
