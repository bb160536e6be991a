//! LDN Intake's desktop shell: the window, the IPC commands and the session. Everything
//! clinical happens in ldn-engine; this crate only carries values between it, the store, the
//! documents and the UI.

pub mod command_names;
pub mod commands;
pub mod error;
pub mod file_check;
pub mod session;
mod viewer;

#[cfg(test)]
mod bindings;

use std::sync::Arc;
use std::time::Duration;

use tauri::{Emitter, Manager};

use crate::commands::{account, admin, documents, fhir, intake, patients, recovery, signoff};
use crate::session::AppState;

/// The database file inside the OS app-data folder.
pub const DATABASE_FILE: &str = "ldn-intake.db";

/// Sent to the UI when the session locked itself after the idle time.
pub const LOCKED_EVENT: &str = "locked";

pub fn run() {
    // Some GPU drivers show a blank WebKitGTK window with the DMA-BUF renderer.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    let engine = match ldn_data::engine() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("ldn-intake: the clinical data built into this program cannot be read: {e}");
            std::process::exit(2);
        }
    };
    // The fonts are parsed while the window opens, not when the first PDF is asked for.
    std::thread::spawn(|| {
        let _ = ldn_handout::prepare();
    });

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&dir)?;
            let mut state = AppState::new(engine, dir.join(DATABASE_FILE));
            state.print_dir = Some(app.path().app_cache_dir()?.join("print"));
            // Copies left by a crash or a power cut go before anyone signs in.
            state.clear_print_copies();
            let state = Arc::new(state);
            app.manage(Arc::clone(&state));
            // The one idle timer: it locks even when the UI runs no commands, and tells the
            // UI, which keeps no timer of its own.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(1));
                if state.lock_if_idle() {
                    let _ = handle.emit(LOCKED_EVENT, ());
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            account::app_status,
            account::first_run,
            account::login,
            account::lock,
            account::still_here,
            account::enter_self_entry,
            account::change_password,
            account::leave_self_entry,
            intake::questionnaire,
            patients::search_patients,
            patients::patient_intakes,
            intake::unfinished_intakes,
            patients::start_intake,
            intake::open_intake,
            intake::open_self_entry,
            intake::save_draft,
            intake::complete_intake,
            intake::suggest_medicines,
            signoff::sign_off,
            documents::save_document,
            documents::print_document,
            documents::reprint_document,
            fhir::export_health_record,
            fhir::import_answers,
            admin::get_settings,
            admin::save_settings,
            admin::list_staff,
            admin::add_staff,
            admin::set_staff_disabled,
            admin::reset_staff_password,
            admin::audit_trail,
            admin::signatures,
            admin::set_up_signatures,
            recovery::print_recovery_sheet,
            intake::awaiting_signoff,
            patients::set_patient_contact,
            patients::edit_patient,
        ])
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = app.try_state::<Arc<AppState>>() {
                    state.lock();
                }
            }
        }),
        Err(e) => {
            eprintln!("ldn-intake: the window could not start: {e}");
            std::process::exit(1);
        }
    }
}
