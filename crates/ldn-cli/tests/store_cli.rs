//! `ldn db` and `ldn intake` on real database files, including saves killed with SIGKILL.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

const PASSWORD: &str = "correct horse battery";

fn ldn(db: &Path) -> Command {
    let mut c = Command::cargo_bin("ldn").unwrap();
    c.env("LDN_USER", "admin")
        .env("LDN_PASSWORD", PASSWORD)
        .env_remove("LDN_RECOVERY_KEY");
    let _ = db;
    c
}

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/cases")
        .join(format!("{name}.answers.json"))
}

fn init(db: &Path) -> String {
    let out = ldn(db)
        .args(["db", "init", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn init_save_list_show_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let recovery = init(&db);
    assert_eq!(recovery.len(), 79, "16 groups of 4 hex digits: {recovery}");
    let out = ldn(&db)
        .args(["intake", "save"])
        .arg(case("02-vicodin-yesterday"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let id: i64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(id, 1);
    let out = ldn(&db)
        .args(["intake", "list", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["verdict"], "contraindicated");
    let out = ldn(&db)
        .args(["intake", "show", "1", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let detail: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        detail["versions"][0]["summary"]["earliest_start"],
        "2026-03-11"
    );
    let out = ldn(&db)
        .args(["db", "verify", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Bad input changes nothing; a wrong password exits 2; the recovery key opens it.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format\": 1}").unwrap();
    let out = ldn(&db)
        .args(["intake", "save"])
        .arg(&bad)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Saved as completed with a required question open, a file must say why (issue 13).
    let before = String::from_utf8_lossy(
        &ldn(&db)
            .args(["intake", "list", "--json", "--db"])
            .arg(&db)
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    let out = ldn(&db)
        .args(["intake", "save"])
        .arg(case("13-unanswered-pregnancy"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("incomplete_reason: 1 required question is not answered"),
        "{said}"
    );
    let after = ldn(&db)
        .args(["intake", "list", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&after.stdout),
        before,
        "a refused save changed the list"
    );
    let mut given: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case("13-unanswered-pregnancy")).unwrap())
            .unwrap();
    given["incomplete_reason"] = serde_json::json!("The patient left before the last page.");
    let with_reason = dir.path().join("with-reason.json");
    std::fs::write(&with_reason, given.to_string()).unwrap();
    let out = ldn(&db)
        .args(["intake", "save"])
        .arg(&with_reason)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ldn(&db)
        .env("LDN_PASSWORD", "wrong password!")
        .args(["intake", "list", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong username or password"));
    let out = ldn(&db)
        .env("LDN_RECOVERY_KEY", &recovery)
        .args(["db", "verify", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    // The database already exists: init refuses to overwrite it.
    let out = ldn(&db)
        .args(["db", "init", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Backup, then restore into a fresh folder; restore verifies what it restored.
    let backup = dir.path().join("clinic.backup");
    let out = ldn(&db)
        .args(["db", "backup", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = tempfile::tempdir().unwrap();
    let restored = fresh.path().join("restored.db");
    let out = ldn(&restored)
        .args(["db", "restore"])
        .arg(&backup)
        .arg("--db")
        .arg(&restored)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified"));
    let out = ldn(&restored)
        .args(["intake", "show", "1", "--json", "--db"])
        .arg(&restored)
        .output()
        .unwrap();
    let detail: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        detail["versions"][0]["summary"]["earliest_start"],
        "2026-03-11"
    );
}

/// 200 saves, each killed with SIGKILL at a random moment: every save that printed its id
/// is in the database afterwards, and the database verifies clean.
#[test]
fn saves_killed_at_random_moments_lose_no_acknowledged_save() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    init(&db);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut acknowledged = BTreeSet::new();
    let mut killed = 0;
    for _ in 0..200 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // A login costs about 120 ms of Argon2 before the save begins.
        let delay = Duration::from_micros(seed % 300_000);
        let mut child = ldn(&db)
            .args(["intake", "save"])
            .arg(case("07-phq9-item9"))
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if let Ok(id) = String::from_utf8_lossy(&out.stdout).trim().parse::<i64>() {
            acknowledged.insert(id);
        }
    }
    assert!(killed >= 20, "only {killed} saves were interrupted");
    assert!(
        acknowledged.len() >= 20,
        "only {} saves completed",
        acknowledged.len()
    );

    // A login killed before its password was checked counts as a failed one (it cannot be
    // told from a guess cut short), so the workstation now has to wait; this test is about
    // saves, so that count is cleared.
    std::fs::remove_file(dir.path().join("clinic.db.attempts")).unwrap();
    let out = ldn(&db)
        .args(["db", "verify", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let store = ldn_store::Store::open(&db, "admin", PASSWORD).unwrap();
    let mut stmt = store
        .raw_connection()
        .prepare("SELECT id FROM intake_versions")
        .unwrap();
    let saved: BTreeSet<i64> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let lost: Vec<_> = acknowledged.difference(&saved).collect();
    assert!(lost.is_empty(), "acknowledged saves lost: {lost:?}");
    eprintln!(
        "{} saves acknowledged, {killed} killed, {} versions on disk",
        acknowledged.len(),
        saved.len()
    );
}

#[test]
fn the_patient_name_never_reaches_the_output_of_a_save() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    init(&db);
    let canary = "Qzxcanaryvkw";
    let text = std::fs::read_to_string(case("02-vicodin-yesterday"))
        .unwrap()
        .replace("Example", canary);
    let file = dir.path().join("canary.json");
    std::fs::write(&file, text).unwrap();
    let out = ldn(&db)
        .args(["intake", "save"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(canary));
    }
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path != file {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(canary.len()).any(|w| w == canary.as_bytes()),
                "{}",
                path.display()
            );
        }
    }
}

/// Runs `ldn ARGS --db DB` as `user`; (exit code, stdout, stderr).
fn as_user(
    db: &Path,
    user: &str,
    password: &str,
    new: Option<&str>,
    args: &[&str],
) -> (i32, String, String) {
    let mut c = ldn(db);
    c.env("LDN_USER", user).env("LDN_PASSWORD", password);
    match new {
        Some(p) => c.env("LDN_NEW_PASSWORD", p),
        None => c.env_remove("LDN_NEW_PASSWORD"),
    };
    let out = c
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn staff_accounts_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    init(&db);
    let (code, _, err) = as_user(
        &db,
        "admin",
        PASSWORD,
        Some("cleo first words 7"),
        &["staff", "add", "cleo", "--role", "clinician"],
    );
    assert_eq!(code, 0, "{err}");
    // Until cleo chooses a password, nothing else opens for her; the message says how.
    let (code, _, err) = as_user(&db, "cleo", "cleo first words 7", None, &["intake", "list"]);
    assert_eq!(code, 1);
    assert!(err.contains("ldn passwd"), "{err}");
    let (code, _, err) = as_user(
        &db,
        "cleo",
        "cleo first words 7",
        Some("password"),
        &["passwd"],
    );
    assert_eq!(code, 2, "a weak password is refused by field: {err}");
    assert!(err.contains("password"), "{err}");
    let (code, _, err) = as_user(
        &db,
        "cleo",
        "cleo first words 7",
        Some("cleo's own quiet words"),
        &["passwd"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = as_user(
        &db,
        "cleo",
        "cleo's own quiet words",
        None,
        &["intake", "list"],
    );
    assert_eq!((code, out.trim()), (0, "no intakes yet"));
    // Staff management is for administrators.
    let (code, _, err) = as_user(
        &db,
        "cleo",
        "cleo's own quiet words",
        None,
        &["staff", "list"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("administrator"), "{err}");

    let (code, _, err) = as_user(&db, "admin", PASSWORD, None, &["staff", "disable", "cleo"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = as_user(
        &db,
        "cleo",
        "cleo's own quiet words",
        None,
        &["intake", "list"],
    );
    assert_eq!(code, 2, "a disabled account's password opens nothing");
    let (code, _, _) = as_user(&db, "admin", PASSWORD, None, &["staff", "enable", "cleo"]);
    assert_eq!(code, 0);
    let (_, out, _) = as_user(&db, "admin", PASSWORD, None, &["staff", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cleo = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["username"] == "cleo")
        .unwrap();
    assert_eq!(
        (cleo["disabled"].as_bool(), cleo["needs_reset"].as_bool()),
        (Some(false), Some(true))
    );
    let (code, _, err) = as_user(
        &db,
        "admin",
        PASSWORD,
        Some("a temporary set of words"),
        &["staff", "reset", "cleo"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = as_user(
        &db,
        "cleo",
        "a temporary set of words",
        None,
        &["intake", "list"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("ldn passwd"), "{err}");
    let (_, out, _) = as_user(&db, "admin", PASSWORD, None, &["staff", "list"]);
    assert!(
        out.contains("cleo") && out.contains("must choose a password"),
        "{out}"
    );
}

#[test]
fn verify_checks_the_root_key_against_the_fingerprint_on_paper() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let out = ldn(&db)
        .args(["db", "init", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let told = String::from_utf8(out.stderr).unwrap();
    let on_paper = told
        .lines()
        .skip_while(|l| !l.starts_with("ROOT KEY FINGERPRINT"))
        .nth(1)
        .unwrap_or_else(|| panic!("no fingerprint in: {told}"))
        .to_owned();
    assert_eq!(on_paper.len(), 24, "five groups of four: {on_paper}");
    let verify = |root: &str| {
        ldn(&db)
            .args(["db", "verify", "--db"])
            .arg(&db)
            .args(["--root", root])
            .output()
            .unwrap()
    };
    let out = verify(&on_paper.to_lowercase().replace('-', " "));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "signatures hold under root key {on_paper} (matches the paper)"
        )),
        "{said}"
    );
    let out = verify("0000-0000-0000-0000-0000");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("the clinic's root key is not the one on paper"),
        "{said}"
    );
}

#[test]
fn intake_show_says_whether_each_signoff_signature_holds() {
    use ldn_store::{Decision, NewStaff, Role, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    init(&db);
    let out = ldn(&db)
        .args(["intake", "save"])
        .arg(case("02-vicodin-yesterday"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut admin = Store::open(&db, "admin", PASSWORD).unwrap();
    admin
        .add_staff(&NewStaff {
            username: "cleo",
            display_name: "Dr Cleo",
            password: "first phrase set by admin",
            role: Role::Clinician,
        })
        .unwrap();
    drop(admin);
    // Cleo goes on in the session that changed her password (and so the database key), while
    // `ldn` processes read and write beside her.
    let mut cleo = Store::open(&db, "cleo", "first phrase set by admin").unwrap();
    cleo.change_password("first phrase set by admin", "cleo signs with care")
        .unwrap();
    cleo.sign_off(1, Decision::DoNotStart, "washout first", None)
        .unwrap();
    let show = || {
        let out = ldn(&db)
            .args(["intake", "show", "1", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let said = show();
    assert!(
        said.contains("sign-off of version 1: do_not_start by Dr Cleo at ")
            && said.contains(": signature valid, signed by cleo"),
        "{said}"
    );
    let changed = cleo
        .raw_connection()
        .execute("UPDATE signoffs SET note = 'start whenever'", [])
        .unwrap();
    assert_eq!(changed, 1);
    let said = show();
    assert!(said.contains(": signature does not match ("), "{said}");
    assert!(
        Store::open(&db, "admin", PASSWORD)
            .unwrap()
            .damage()
            .is_none(),
        "writes made after the password change are readable by everyone"
    );
    let out = ldn(&db)
        .args(["intake", "show", "1", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown["signoffs"][0]["signature"]["status"],
        "does_not_match"
    );
}
