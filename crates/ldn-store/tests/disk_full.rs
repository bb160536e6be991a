//! A full disk fails the save with a clear message and leaves earlier data intact. Uses a
//! small tmpfs, so it needs root (as CI and the developer machines here run).
//!
//! Linux only, for the tmpfs. On Windows and macOS a full disk takes the same path through
//! `StoreError::DiskFull`, which `error.rs`'s tests check with each system's own error codes.
#![cfg(target_os = "linux")]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use ldn_store::{NewStaff, Role, Store, StoreError};

struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap().keep();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .expect("mount is needed for the disk-full test");
        assert!(
            status.success(),
            "mounting a tmpfs needs root: run the tests as root"
        );
        SmallDisk(dir)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = fs::remove_dir(&self.0);
    }
}

fn fill(dir: &Path) -> PathBuf {
    let filler = dir.join("filler");
    let mut file = fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    filler
}

#[test]
fn a_full_disk_fails_the_save_and_keeps_earlier_data() {
    let disk = SmallDisk::mount("2m");
    let db = disk.0.join("ldn.db");
    let password = "correct horse battery";
    drop(
        Store::create(
            &db,
            &NewStaff {
                username: "admin",
                display_name: "Admin",
                password,
                role: Role::Admin,
            },
        )
        .unwrap(),
    );
    let engine = ldn_data::engine().unwrap();
    let text = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/02-vicodin-yesterday.answers.json"
    ))
    .unwrap();
    let intake = engine.parse_answers(&text).unwrap();
    let summary = engine.screen(&intake);

    let mut store = Store::open(&db, "admin", password).unwrap();
    let mut saved = Vec::new();
    for _ in 0..5 {
        saved.push(
            store
                .save_intake(&intake, Some(&summary), None)
                .unwrap()
                .version_id,
        );
    }
    let filler = fill(&disk.0);
    let mut failure = None;
    for _ in 0..200 {
        match store.save_intake(&intake, Some(&summary), None) {
            Ok(v) => saved.push(v.version_id),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let failure = failure.expect("the disk never filled up");
    assert_eq!(failure, StoreError::DiskFull, "{failure}");
    assert!(failure.to_string().contains("disk is full"));
    drop(store);

    fs::remove_file(filler).unwrap();
    let store = Store::open(&db, "admin", password).unwrap();
    assert!(store.verify().unwrap().problems.is_empty());
    let mut stmt = store
        .raw_connection()
        .prepare("SELECT id FROM intake_versions ORDER BY id")
        .unwrap();
    let on_disk: Vec<i64> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        on_disk, saved,
        "every acknowledged save is still there, and nothing else"
    );
}
