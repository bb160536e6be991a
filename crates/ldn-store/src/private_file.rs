//! Files only the account running LDN Intake may read (mode 0600 on Unix).

use std::fs::{File, OpenOptions};
use std::path::Path;

/// Creates (or truncates) a file readable and writable by its owner only.
pub fn create(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
