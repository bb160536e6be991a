//! The harness for LDN Intake's end-to-end tests: starts tauri-driver (which starts
//! WebKitWebDriver, which starts the release `ldn-intake`), opens a WebDriver session on the
//! real window, and offers the few steps every scenario shares.
//!
//! The tests need a display (run them under `xvfb-run`), a D-Bus session bus (the app is
//! single-instance; run under `dbus-run-session`), `tauri-driver` 2.x and `WebKitWebDriver`,
//! and the app built with `tauri/custom-protocol`. `scripts/test-e2e` sets all of that up.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The release binary built with the custom protocol (scripts/test-e2e builds it).
pub fn app_binary() -> PathBuf {
    std::env::var_os("LDN_INTAKE_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/release/ldn-intake"))
}

pub const ADMIN: (&str, &str) = ("admin", "admin password 1");
pub const CLINICIAN: (&str, &str) = ("drlee", "clinician password 1");
/// The first password the administrator gives the clinician; changed at the first login.
pub const CLINICIAN_FIRST: &str = "given by the admin 9";

/// One workstation: its own app-data folder, export folder and environment. Several app
/// launches can share it (a restart keeps the database).
pub struct Workstation {
    pub dir: tempfile::TempDir,
    pub idle_seconds: Option<u32>,
    /// Another build of the app to drive (the clinic's, without test hooks).
    pub binary: Option<PathBuf>,
}

impl Workstation {
    pub fn new() -> Result<Workstation> {
        Ok(Workstation {
            dir: tempfile::tempdir()?,
            idle_seconds: None,
            binary: None,
        })
    }

    pub fn exports(&self) -> PathBuf {
        self.dir.path().join("exports")
    }

    /// The file "Import answers" reads in place of the file dialog.
    pub fn import_file(&self) -> PathBuf {
        self.dir.path().join("import.json")
    }

    /// Starts tauri-driver and the app, and waits for the first screen.
    pub async fn launch(&self) -> Result<App> {
        // The app is single-instance: a previous one still exiting would take this launch.
        app_gone().await;
        std::fs::create_dir_all(self.exports())?;
        let port = free_port_pair()?;
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &(port + 1).to_string(),
        ])
        .env("XDG_DATA_HOME", self.dir.path().join("data"))
        .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
        .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
        .env("LDN_INTAKE_EXPORT_DIR", self.exports())
        .env("LDN_INTAKE_IMPORT_FILE", self.import_file())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(false);
        match self.idle_seconds {
            Some(s) => cmd.env("LDN_INTAKE_IDLE_SECONDS", s.to_string()),
            None => cmd.env_remove("LDN_INTAKE_IDLE_SECONDS"),
        };
        let driver = cmd.spawn()?;
        let url = format!("http://127.0.0.1:{port}");
        wait_for_port(port).await?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": self.binary.clone().unwrap_or_else(app_binary) }),
        );
        caps.insert("browserName".into(), json!("wry"));
        let started = Instant::now();
        // Without a display the app panics and the session request hangs: give up in time.
        let client = tokio::time::timeout(
            Duration::from_secs(60),
            Client::with_capabilities_and_connector(&url, &caps, HttpConnector::new()),
        )
        .await
        .map_err(|_| "the WebDriver session did not start within 60 s (is there a display?)")??;
        let app = App {
            client,
            driver: Some(driver),
            started,
        };
        app.wait_css("main h1").await?;
        Ok(app)
    }
}

/// A port whose next one is free too (tauri-driver's own and WebKitWebDriver's), asked of
/// the OS rather than fixed, so a driver left over by anything else cannot answer for ours.
fn free_port_pair() -> Result<u16> {
    for _ in 0..50 {
        let first = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        let port = first.local_addr()?.port();
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return Ok(port);
        }
    }
    Err("no two free ports next to each other".into())
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let installed = home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

async fn wait_for_port(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("tauri-driver did not listen on {port}").into())
}

/// A running app in a WebDriver session.
pub struct App {
    pub client: Client,
    driver: Option<Child>,
    /// When the session was asked for: the app's cold start counts from here.
    pub started: Instant,
}

/// A scenario that fails half-way still stops its driver (and so its app): a driver left
/// running would keep the display and the test's output open.
impl Drop for App {
    fn drop(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            if let Some(pid) = driver.id() {
                let children = child_pids(pid);
                signal("-TERM", pid);
                let mut stopped = false;
                for _ in 0..100 {
                    if !matches!(driver.try_wait(), Ok(None)) {
                        stopped = true;
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                if !stopped {
                    signal("-KILL", pid);
                    for child in children {
                        signal("-KILL", child);
                    }
                }
            }
        }
        // The app is single-instance: one left behind would stop every later launch.
        for pid in app_pids() {
            signal("-KILL", pid);
        }
    }
}

impl App {
    /// Ends the session and stops tauri-driver with SIGTERM (a SIGKILL would leave
    /// WebKitWebDriver holding its port).
    pub async fn quit(mut self) -> Result<()> {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        self.stop_driver().await;
        app_gone().await;
        Ok(())
    }

    async fn stop_driver(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            let Some(pid) = driver.id() else {
                return;
            };
            let children = child_pids(pid);
            signal("-TERM", pid);
            if tokio::time::timeout(Duration::from_secs(5), driver.wait())
                .await
                .is_err()
            {
                // Stuck: stop it and its WebKitWebDriver too, which would keep its port.
                signal("-KILL", pid);
                for child in children {
                    signal("-KILL", child);
                }
                let _ = driver.wait().await;
            }
        }
    }

    /// Kills the app process outright, as a power cut or a crash would.
    pub async fn kill_app(mut self) -> Result<()> {
        let pids = app_pids();
        assert!(!pids.is_empty(), "no ldn-intake process to kill");
        for pid in pids {
            std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()?;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.clone().close()).await;
        self.stop_driver().await;
        Ok(())
    }

    pub async fn wait_css(&self, css: &str) -> Result<Element> {
        Ok(self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .every(Duration::from_millis(20))
            .for_element(Locator::Css(css))
            .await?)
    }

    /// Waits until `script` (a JS expression) is truthy.
    pub async fn wait_until(&self, what: &str, script: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self
                .client
                .execute(&format!("return !!({script});"), vec![])
                .await?;
            if v == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let shown = self
                    .client
                    .execute(
                        "const m = document.querySelector('main'); return m ? m.innerText.slice(0, 600) : '';",
                        vec![],
                    )
                    .await
                    .unwrap_or_default();
                return Err(
                    format!("timed out waiting for {what}; the screen shows: {shown}").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn heading(&self) -> Result<String> {
        Ok(self.wait_css("main h1").await?.text().await?)
    }

    pub async fn wait_heading(&self, starts_with: &str) -> Result<()> {
        self.wait_until(
            &format!("the heading {starts_with:?}"),
            &format!(
                "document.querySelector('main h1') && document.querySelector('main h1').textContent.startsWith({})",
                json!(starts_with)
            ),
        )
        .await
    }

    pub async fn text_of(&self, css: &str) -> Result<String> {
        Ok(self.wait_css(css).await?.text().await?)
    }

    /// Types into the input named `name` (replacing its text) and leaves it, as a person would.
    pub async fn fill(&self, name: &str, text: &str) -> Result<()> {
        step(&format!("fill {name}"));
        let input = self.wait_css(&format!("[name=\"{name}\"]")).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Presses keys on the keyboard, wherever the focus is.
    pub async fn keys(&self, keys: &str) -> Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    pub async fn choose(&self, name: &str, value: &str) -> Result<()> {
        self.client
            .execute(
                "const s = document.querySelector(`select[name=\"${arguments[0]}\"]`); s.value = arguments[1]; s.dispatchEvent(new Event('change'));",
                vec![json!(name), json!(value)],
            )
            .await?;
        Ok(())
    }

    pub async fn click_button(&self, label: &str) -> Result<()> {
        step(&format!("click {label:?}"));
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(label));
        let button = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(&xpath))
            .await?;
        button.click().await?;
        Ok(())
    }

    pub async fn submit(&self) -> Result<()> {
        self.wait_css("main form button[type=submit]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Invokes an IPC command from the page, as any script in the window could, and returns
    /// `{ok}` or `{err}`.
    pub async fn invoke(&self, command: &str, args: Value) -> Result<Value> {
        Ok(self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])\
                   .then(ok => done({ ok }), err => done({ err }));",
                vec![json!(command), args],
            )
            .await?)
    }

    /// Saves a screenshot after two animation frames, so the picture is of the current screen.
    /// The picture is taken from the X display (scrot): WebKitWebDriver's own screenshot
    /// never returns once the page has replaced a focused, disabled button.
    pub async fn screenshot(&self, name: &str) -> Result<()> {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await?;
        let dir = root().join("tests/e2e/screenshots");
        std::fs::create_dir_all(&dir)?;
        let status = std::process::Command::new("scrot")
            .arg("--overwrite")
            .arg(dir.join(format!("{name}.png")))
            .status()?;
        if !status.success() {
            return Err(format!("scrot failed for {name}").into());
        }
        Ok(())
    }

    /// Runs axe-core on the current screen; returns the serious and critical violations.
    pub async fn axe(&self) -> Result<Vec<String>> {
        let source = std::fs::read_to_string(root().join("ui/node_modules/axe-core/axe.min.js"))?;
        self.client
            .execute(&format!("{source}\n;return true;"), vec![])
            .await?;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(\
                   r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                     .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)),\
                   e => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await?;
        Ok(found
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Screenshot and accessibility check of the current screen; fails on a serious finding.
    pub async fn check_screen(&self, name: &str) -> Result<()> {
        step(&format!("screen {name}"));
        self.screenshot(name).await?;
        step("axe");
        let violations = self.axe().await?;
        if !violations.is_empty() {
            return Err(format!("axe on {name}:\n{}", violations.join("\n")).into());
        }
        Ok(())
    }

    // ------------------------------------------------------------------ shared steps

    pub async fn first_run(&self) -> Result<String> {
        let key = self.first_run_to_the_key().await?;
        self.click_button("I have kept the key safe").await?;
        self.wait_heading("Patients").await?;
        Ok(key)
    }

    /// First run up to the recovery-key screen, which stays showing; returns the key.
    pub async fn first_run_to_the_key(&self) -> Result<String> {
        self.wait_heading("Set up LDN Intake").await?;
        self.check_screen("01-first-run").await?;
        self.fill("clinic_name", "Riverside Family Practice")
            .await?;
        self.fill("clinic_address", "12 River Road, Springfield")
            .await?;
        self.fill("clinic_phone", "(555) 555-0142").await?;
        self.fill("display_name", "Pat Admin").await?;
        self.fill("username", ADMIN.0).await?;
        self.fill("password", ADMIN.1).await?;
        self.submit().await?;
        self.wait_heading("Your recovery key").await?;
        let key = self.text_of("[data-testid=recovery-key]").await?;
        // The root key's fingerprint goes on the same paper: five groups of four.
        let fingerprint = self.text_of("[data-testid=root-fingerprint]").await?;
        assert_eq!(
            fingerprint.len(),
            24,
            "root fingerprint shown as {fingerprint:?}"
        );
        self.check_screen("02-recovery-key").await?;
        Ok(key)
    }

    pub async fn login(&self, who: (&str, &str)) -> Result<()> {
        self.wait_heading("Log in").await?;
        self.fill("username", who.0).await?;
        self.fill("password", who.1).await?;
        self.submit().await?;
        self.wait_heading("Patients").await
    }

    /// Logs in with a password someone else set, and chooses `new` on the screen that comes
    /// before anything else.
    pub async fn first_login(
        &self,
        username: &str,
        given: &str,
        new: &str,
        shot: Option<&str>,
    ) -> Result<()> {
        self.wait_heading("Log in").await?;
        self.fill("username", username).await?;
        self.fill("password", given).await?;
        self.submit().await?;
        self.wait_heading("Choose your own password").await?;
        if let Some(name) = shot {
            self.check_screen(name).await?;
        }
        // Nothing else opens until the password is changed.
        let denied = self
            .invoke("search_patients", json!({ "query": "a" }))
            .await?;
        assert_eq!(denied["err"]["kind"], "must_change_password", "{denied}");
        self.change_password_form(given, new).await?;
        self.wait_heading("Patients").await
    }

    /// Fills and sends the password form that is showing.
    pub async fn change_password_form(&self, current: &str, new: &str) -> Result<()> {
        self.fill("current_password", current).await?;
        self.fill("password", new).await?;
        self.fill("password_again", new).await?;
        self.submit().await
    }

    pub async fn lock(&self) -> Result<()> {
        self.click_button("Lock").await?;
        self.wait_heading("Log in").await
    }

    /// As the administrator: adds the clinician account in Settings.
    pub async fn add_clinician(&self) -> Result<()> {
        self.click_button("Settings").await?;
        self.wait_heading("Settings").await?;
        self.wait_css("form input[name=\"display_name\"]").await?;
        // The two dose plans, the standard and the low start, both editable.
        let low = self
            .client
            .execute(
                "const i = document.querySelector('input[name=low_start_titration]'); i.scrollIntoView({block: 'center'}); return i.value;",
                vec![],
            )
            .await?;
        assert!(
            low.as_str().is_some_and(|v| v.starts_with("0.5 mg 7 days")),
            "low-start plan shown as {low}"
        );
        self.check_screen("10a-settings-dose-plans").await?;
        let form = "//form[.//h3[normalize-space(.)='Add an account']]";
        let set = |name: &'static str, text: &'static str| async move {
            let input = self
                .client
                .find(Locator::XPath(&format!("{form}//input[@name='{name}']")))
                .await?;
            input.send_keys(text).await?;
            Result::<()>::Ok(())
        };
        set("username", CLINICIAN.0).await?;
        set("display_name", "Dr Sam Lee").await?;
        set("password", CLINICIAN_FIRST).await?;
        self.choose("role", "clinician").await?;
        self.click_button("Add the account").await?;
        self.wait_until(
            "the clinician in the staff table",
            "[...document.querySelectorAll('td')].some(td => td.textContent === 'drlee')",
        )
        .await?;
        self.check_screen("10-settings").await
    }

    /// From the Patients screen: a new patient and the start of their intake.
    pub async fn new_patient(&self, given: &str, family: &str, born: &str) -> Result<()> {
        self.click_button("New patient").await?;
        self.wait_heading("New patient").await?;
        self.fill("patient.given_name", given).await?;
        self.fill("patient.family_name", family).await?;
        self.fill("patient.birth_date", born).await?;
        self.choose("patient.sex_at_birth", "female").await?;
        self.submit().await?;
        self.wait_heading("Intake:").await
    }

    /// Waits until every answer given so far is saved.
    pub async fn saved(&self) -> Result<()> {
        self.wait_until(
            "the answers to be saved",
            "document.body.dataset.saving === '0'",
        )
        .await
    }

    /// Clicks the radio `value` of question `id` (or of an item: `id.N`).
    pub async fn answer(&self, id: &str, value: &str) -> Result<()> {
        let radio = self
            .wait_css(&format!("input[name=\"{id}\"][value=\"{value}\"]"))
            .await?;
        radio.click().await?;
        self.saved().await
    }

    /// Answers every shown, unanswered question with the first harmless choice, until none is
    /// left; `given` fixes particular answers first.
    pub async fn answer_the_rest(&self, given: &[(&str, &str)]) -> Result<()> {
        self.answer_the_rest_except(given, &[]).await
    }

    /// As `answer_the_rest`, leaving the questions (or items) named in `skip` unanswered.
    pub async fn answer_the_rest_except(
        &self,
        given: &[(&str, &str)],
        skip: &[&str],
    ) -> Result<()> {
        for (id, value) in given {
            self.answer(id, value).await?;
        }
        for _ in 0..60 {
            let open = self
                .client
                .execute(
                    &format!(
                        "const pick = ({NEXT_HARMLESS_CHOICE})(arguments[0]);\
                     return pick ? [pick.name, pick.value] : null;"
                    ),
                    vec![json!(skip)],
                )
                .await?;
            let Some(pair) = open.as_array() else {
                return Ok(());
            };
            let (name, value) = (
                pair[0].as_str().unwrap_or_default().to_owned(),
                pair[1].as_str().unwrap_or_default().to_owned(),
            );
            let input = self
                .wait_css(&format!("input[name=\"{name}\"][value=\"{value}\"]"))
                .await?;
            input.click().await?;
            self.saved().await?;
        }
        Err("questions kept appearing".into())
    }

    /// The intake and version ids of the newest intake of the patient called `family`.
    pub async fn latest_of(&self, family: &str) -> Result<(i64, i64)> {
        let found = self
            .invoke("search_patients", json!({ "query": family }))
            .await?;
        let patient = found["ok"][0]["id"].as_i64().ok_or("no such patient")?;
        let intakes = self
            .invoke("patient_intakes", json!({ "patientId": patient }))
            .await?;
        let intake = intakes["ok"]
            .as_array()
            .and_then(|a| a.iter().filter_map(|r| r["intake_id"].as_i64()).max())
            .ok_or("no intake")?;
        let opened = self
            .invoke("open_intake", json!({ "intakeId": intake }))
            .await?;
        let version = opened["ok"]["latest"]["version_id"]
            .as_i64()
            .ok_or("no version")?;
        Ok((intake, version))
    }

    /// Adds a medicine line and, when asked for, its last dose.
    pub async fn add_medicine(&self, name: &str, last_taken: Option<&str>) -> Result<()> {
        self.click_button("Add a medicine").await?;
        let input = self
            .wait_css("li.med:last-child input[data-med-name]")
            .await?;
        input.send_keys(name).await?;
        input.send_keys("\u{E004}").await?; // Tab: leaving the field saves it
        self.saved().await?;
        if let Some(date) = last_taken {
            self.wait_until(
                "the last-dose field",
                "!document.querySelector('li.med:last-child .last-taken').hidden",
            )
            .await?;
            let field = self
                .wait_css("li.med:last-child input[data-med-last]")
                .await?;
            field.send_keys(date).await?;
            field.send_keys("\u{E004}").await?;
            self.saved().await?;
        }
        Ok(())
    }

    /// Review, then complete: the summary screen.
    pub async fn complete(&self) -> Result<()> {
        self.click_button("Review and complete").await?;
        self.wait_heading("Review:").await?;
        self.check_screen("06-review").await?;
        self.click_button("Complete and screen").await?;
        self.wait_heading("Summary:").await
    }

    /// Saves a document from the summary and returns the file written.
    pub async fn save_document(&self, label: &str, exports: &Path) -> Result<PathBuf> {
        let before: Vec<_> = list_pdfs(exports);
        self.click_button(label).await?;
        self.wait_until(
            "the document to be saved",
            "document.querySelector('[data-testid=document-result]').textContent.startsWith('Saved')",
        )
        .await?;
        let after = list_pdfs(exports);
        after
            .into_iter()
            .find(|p| !before.contains(p))
            .ok_or_else(|| "no new PDF in the export folder".into())
    }
}

fn list_pdfs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default()
}

fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}

/// A page function: the first harmless choice of a shown, unanswered question whose name is
/// not in its argument, as an input element, or null.
pub const NEXT_HARMLESS_CHOICE: &str = "(skip) => {
  const harmless = ['no', 'none', 'not_applicable', '0', 'chronic_pain'];
  for (const q of document.querySelectorAll('[data-question]:not([hidden])')) {
    const groups = new Map();
    for (const r of q.querySelectorAll('input[type=radio]:not(:disabled), input[type=checkbox]')) {
      if (skip.includes(r.name)) continue;
      if (!groups.has(r.name)) groups.set(r.name, []);
      groups.get(r.name).push(r);
    }
    for (const inputs of groups.values()) {
      if (inputs.some((i) => i.checked)) continue;
      const pick = inputs.find((i) => harmless.includes(i.value));
      if (pick) return pick;
    }
  }
  return null;
}";

/// Progress on stderr, so a stuck scenario shows where it stopped.
pub fn step(what: &str) {
    eprintln!("e2e {} {what}", chrono::Local::now().format("%H:%M:%S%.3f"));
}

fn signal(which: &str, pid: u32) {
    let _ = std::process::Command::new("kill")
        .args([which, &pid.to_string()])
        .status();
}

fn child_pids(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits up to 5 s for every ldn-intake process to exit, then kills what is left.
async fn app_gone() {
    for _ in 0..100 {
        if app_pids().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for pid in app_pids() {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// The pids of running ldn-intake processes.
pub fn app_pids() -> Vec<u32> {
    let mut pids = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) {
                // ldn-intake, or the copies the tests drive (ldn-intake-e2e, ldn-intake-clinic).
                if comm.trim().starts_with("ldn-intake") {
                    pids.push(pid);
                }
            }
        }
    }
    pids
}

/// Proportional set size (kB) of a process and all its descendants, by name.
pub fn memory_tree(root_pid: u32) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![root_pid];
    while let Some(pid) = stack.pop() {
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .trim()
            .to_owned();
        let pss = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("Pss:"))
                    .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            })
            .unwrap_or(0);
        out.push((name, pss));
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")) {
            stack.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    out
}

/// `pdftotext` of a file, with the layout kept.
pub fn pdf_text(path: &Path) -> Result<String> {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()?;
    if !out.status.success() {
        return Err(format!("pdftotext failed on {}", path.display()).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Appends a measured figure to target/e2e-figures.txt and prints it.
pub fn figure(line: &str) {
    println!("FIGURE {line}");
    let path = root().join("target/e2e-figures.txt");
    let _ = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")));
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}
mod patient;
pub use patient::TOUCH_PX;
