//! Files beside the database and the documents the programs write: private to the account
//! running LDN Intake (0600), replaced atomically, and locked while read-modify-written.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Creates a new file readable and writable by its owner only; refuses one that exists (and
/// so never follows a symlink planted at the name).
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `bytes` to `path` so that the name holds either the old content or all of the new:
/// a uniquely named temporary file (0600) in the same folder, synced, then renamed over the
/// name, and the folder synced. A symlink at `path` is replaced, not followed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = folder_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(".ldn-")
        .suffix(".part")
        .tempfile_in(folder)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_folder(folder)
}

/// Makes a rename or a new name in `folder` durable.
pub fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// `<db><suffix>`: the files that travel with a database.
pub(crate) fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// An exclusive lock on `<db>.lock`, held until dropped: every read-modify-write of the key
/// file, the recovery file and the failed-login file happens under it, across processes.
pub(crate) struct KeyLock(File);

impl KeyLock {
    pub fn take(db: &Path) -> std::io::Result<KeyLock> {
        let path = beside(db, ".lock");
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path)?;
        file.lock()?;
        Ok(KeyLock(file))
    }
}

impl Drop for KeyLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}
