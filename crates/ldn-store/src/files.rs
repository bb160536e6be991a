//! Files beside the database and the documents the programs write: private to the account
//! running LDN Intake, replaced atomically, and locked while read-modify-written.
//!
//! Private means mode 0600 where files have Unix modes (Linux, macOS). Windows has no modes and
//! nothing here pretends to set one: there the app keeps its files in the per-user app-data
//! folder (`%APPDATA%\org.ldnintake.desktop`), whose inherited ACL admits only that user,
//! SYSTEM and the administrators, and every file made in it inherits that ACL.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Creates a new file readable and writable by its owner only; refuses one that exists (and
/// so never follows a symlink planted at the name).
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    owner_only(&mut options);
    options.open(path)
}

/// New files readable and writable by their owner only, where files have modes; on Windows the
/// folder's ACL does this (see the module's notes).
pub(crate) fn owner_only(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
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
    // Only Unix syncs a folder. Windows opens a folder as a file only with
    // FILE_FLAG_BACKUP_SEMANTICS and cannot flush it; NTFS journals the rename as metadata.
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
        owner_only(&mut options);
        let file = options.open(path)?;
        // std's lock: flock on Unix, LockFileEx on Windows; both are released when the process
        // ends, so a crash never leaves the key file locked.
        file.lock()?;
        Ok(KeyLock(file))
    }
}

impl Drop for KeyLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}
