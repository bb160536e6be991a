//! The whole-file check the login no longer makes (it read every page at every unlock): run
//! once per start of the app, on a thread of its own after the first sign-in, with its own
//! read-only connection. An administrator sees how it went.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use ldn_store::FileCheck;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FileCheckStatus {
    /// Still reading the file.
    pub running: bool,
    /// How much it reads.
    pub megabytes: f64,
    pub started_at: String,
    /// How long it took, once done.
    pub seconds: Option<f64>,
    /// What it found wrong; none for a sound file.
    pub problem: Option<String>,
}

/// The check of this run of the app, shared with the thread that makes it.
#[derive(Default)]
pub struct FileChecks(Arc<Mutex<Option<FileCheckStatus>>>);

impl FileChecks {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<FileCheckStatus>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts the check unless this run of the app has started one already.
    pub fn start_once(&self, check: FileCheck) {
        let mut slot = self.slot();
        if slot.is_some() {
            return;
        }
        *slot = Some(FileCheckStatus {
            running: true,
            megabytes: check.bytes() as f64 / 1e6,
            started_at: chrono::Local::now().to_rfc3339(),
            seconds: None,
            problem: None,
        });
        let shared = Arc::clone(&self.0);
        let started = Instant::now();
        std::thread::spawn(move || {
            let found = check.run();
            let mut slot = shared.lock().unwrap_or_else(|e| e.into_inner());
            // The key changed under the check (a password change): it proved nothing, and
            // the next sign-in starts it again with the new key.
            if found == Err(ldn_store::StoreError::KeyChanged) {
                *slot = None;
                return;
            }
            let problem = found.unwrap_or_else(|e| Some(e.to_string()));
            if let Some(status) = slot.as_mut() {
                status.running = false;
                status.seconds = Some(started.elapsed().as_secs_f64());
                status.problem = problem;
            }
        });
    }

    pub fn status(&self) -> Option<FileCheckStatus> {
        self.slot().clone()
    }
}
