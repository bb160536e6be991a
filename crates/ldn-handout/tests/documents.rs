//! The documents checked with real PDF tools: qpdf --check, pdffonts, pdfinfo, pdftotext
//! (with -bbox for clipping) and pdftoppm (first pages rendered to tests/output/ for people).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ldn_engine::{
    ChosenPlan, Engine, Intake, Language, PlanName, Severity, Summary, TitrationProtocol, Verdict,
};
use ldn_handout::{
    Attestation, Clinic, DocumentInput, DosePlan, Paper, Rendered, SignedDecision, Texts,
};
use serde_json::{json, Value};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| ldn_data::engine().unwrap())
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn output_dir() -> PathBuf {
    let dir = repo().join("tests/output");
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn clinic() -> Clinic {
    Clinic {
        name: "Riverside Family Practice".into(),
        address: "120 Main Street, Springfield, OR 97477".into(),
        phone: "(541) 555-0142".into(),
    }
}

fn case(name: &str) -> Value {
    let path = repo()
        .join("tests/cases")
        .join(format!("{name}.answers.json"));
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(repo().join("tests/cases"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".answers.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

fn screen(v: &Value) -> (Intake, Summary) {
    let intake = engine().validate_answers(v).unwrap();
    let summary = engine().screen(&intake);
    (intake, summary)
}

#[derive(Clone, Copy)]
enum Doc {
    Handout,
    Report,
    Card,
}

fn render(
    doc: Doc,
    intake: &Intake,
    summary: &Summary,
    paper: Paper,
    language: Language,
) -> Rendered {
    let protocol = TitrationProtocol::standard();
    render_with(
        doc,
        intake,
        summary,
        paper,
        language,
        DosePlan::ClinicDefault(&protocol),
        &Attestation::NONE,
    )
}

fn render_with(
    doc: Doc,
    intake: &Intake,
    summary: &Summary,
    paper: Paper,
    language: Language,
    plan: DosePlan,
    attestation: &Attestation,
) -> Rendered {
    let clinic = clinic();
    let input = DocumentInput {
        intake,
        summary,
        clinic: &clinic,
        paper,
        language,
        plan,
        attestation,
    };
    match doc {
        Doc::Handout => ldn_handout::patient_handout(&input),
        Doc::Report => ldn_handout::clinician_summary(&input),
        Doc::Card => ldn_handout::wallet_card(&input),
    }
    .unwrap()
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .args(if program == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for these tests (scripts/test installs it): {e}")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Words with their boxes, from `pdftotext -bbox`.
struct Word {
    text: String,
    x_min: f32,
    y_min: f32,
    x_max: f32,
    y_max: f32,
}

fn attr(line: &str, name: &str) -> f32 {
    let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = start + line[start..].find('"').unwrap();
    line[start..end].parse().unwrap()
}

fn words(file: &Path) -> (Vec<(f32, f32)>, Vec<Vec<Word>>) {
    let html = tool("pdftotext", &["-bbox"], file);
    let mut pages = Vec::new();
    let mut sizes = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            sizes.push((attr(line, "width"), attr(line, "height")));
            pages.push(Vec::new());
        } else if line.starts_with("<word ") {
            let text = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()].to_owned();
            pages.last_mut().unwrap().push(Word {
                text,
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                y_max: attr(line, "yMax"),
            });
        }
    }
    (sizes, pages)
}

/// The text of a PDF with every run of whitespace made one space, for phrase searches.
fn flat_text(file: &Path) -> String {
    tool("pdftotext", &[], file)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the PDF, runs every structural check, and returns its flattened text.
fn check_pdf(name: &str, rendered: &Rendered, paper: Paper) -> (PathBuf, String) {
    let file = output_dir().join(format!("{name}.pdf"));
    fs::write(&file, &rendered.pdf).unwrap();

    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&file)
        .output()
        .expect("qpdf is needed");
    assert!(
        qpdf.status.success(),
        "{name}: qpdf --check: {}",
        String::from_utf8_lossy(&qpdf.stdout)
    );

    let fonts = tool("pdffonts", &[], &file);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{name}: no fonts");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // name type... encoding emb sub uni object-id generation
        assert_eq!(
            (cols[n - 5], cols[n - 4]),
            ("yes", "yes"),
            "{name}: font not embedded and subset: {row}"
        );
        assert!(
            cols[0].split('+').next().unwrap().len() == 6,
            "{name}: subset tag: {row}"
        );
    }

    let (sizes, pages) = words(&file);
    assert_eq!(sizes.len(), rendered.pages, "{name}: page count");
    let (want_w, want_h) = match paper {
        Paper::Letter => (612.0, 792.0),
        Paper::A4 => (595.0, 842.0),
    };
    for (i, (w, h)) in sizes.iter().enumerate() {
        assert!(
            (w - want_w).abs() < 0.5 && (h - want_h).abs() < 0.5,
            "{name}: page {} is {w}×{h}",
            i + 1
        );
    }
    // Nothing past the margins: every word lies inside a 36 pt border (the text margin is
    // 50 pt; the footer sits just inside it).
    for (i, page) in pages.iter().enumerate() {
        let (w, h) = sizes[i];
        for word in page {
            assert!(
                word.x_min >= 36.0
                    && word.y_min >= 36.0
                    && word.x_max <= w - 36.0
                    && word.y_max <= h - 36.0,
                "{name}: page {}: '{}' at ({}, {})-({}, {}) is outside the margins",
                i + 1,
                word.text,
                word.x_min,
                word.y_min,
                word.x_max,
                word.y_max
            );
        }
    }
    let text = flat_text(&file);
    assert!(
        text.contains(&format!("Page 1 of {}", rendered.pages))
            || text.contains(&format!("Página 1 de {}", rendered.pages)),
        "{name}: footer"
    );
    (file, text)
}

fn png(file: &Path) {
    let prefix = file.with_extension("");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"])
        .arg(file)
        .arg(&prefix)
        .status()
        .expect("pdftoppm is needed");
    assert!(status.success());
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_example_handout_holds_name_start_findings_and_calendar() {
    for name in case_names() {
        for (paper, paper_name) in [(Paper::Letter, "letter"), (Paper::A4, "a4")] {
            for (language, lang) in [(Language::En, "en"), (Language::Es, "es")] {
                let mut v = case(&name);
                v["language"] = json!(lang);
                let (intake, summary) = screen(&v);
                let rendered = render(Doc::Handout, &intake, &summary, paper, language);
                let label = format!("handout-{name}-{paper_name}-{lang}");
                let (file, text) = check_pdf(&label, &rendered, paper);
                assert!(text.contains("Ana Example"), "{label}: patient name");
                for finding in &summary.findings {
                    assert!(
                        text.contains(&flat(&finding.patient_text)),
                        "{label}: missing patient text: {}",
                        finding.patient_text
                    );
                }
                let texts = Texts::load(language).unwrap();
                let t = &texts.handout;
                // A contraindication no date resolves (not holding the date) refuses the start.
                let refused = summary
                    .findings
                    .iter()
                    .any(|f| f.severity == Severity::Contraindicated && !f.holds_start);
                let no_calendar = refused
                    || (summary.earliest_start.is_none()
                        && summary.verdict == Verdict::Contraindicated);
                if refused
                    || (summary.earliest_start.is_none()
                        && summary.verdict == Verdict::Contraindicated)
                {
                    assert!(text.contains(&flat(&t.start_no)), "{label}: start refused");
                }
                assert_eq!(
                    text.contains(&flat(&t.calendar_heading)),
                    !no_calendar,
                    "{label}: a calendar only when LDN may start"
                );
                match summary.earliest_start {
                    Some(start) if !refused && summary.low_start.is_empty() => {
                        assert!(
                            text.contains(&texts.date(start)),
                            "{label}: earliest start {start}"
                        );
                        for step in TitrationProtocol::standard().plan(start) {
                            assert!(
                                text.contains(&texts.date(step.from)),
                                "{label}: step from {}",
                                step.from
                            );
                            if let Some(until) = step.until {
                                assert!(
                                    text.contains(&texts.date(until)),
                                    "{label}: step until {until}"
                                );
                            }
                        }
                    }
                    Some(_) if !refused => {
                        // A low start is proposed and nobody chose a plan: the clinic sets it.
                        assert!(
                            text.contains(&flat(&t.calendar_clinic_sets)),
                            "{label}: low start"
                        );
                        assert!(
                            !text.contains("1.5 mg"),
                            "{label}: standard doses under a low start"
                        );
                    }
                    _ => {}
                }
                assert!(!text.contains("1,5"), "{label}: a decimal comma");
                if paper == Paper::Letter && (name.starts_with("02") || name.starts_with("07")) {
                    png(&file);
                }
            }
        }
    }
}

#[test]
fn report_shows_verdict_findings_sources_and_medicines() {
    for name in [
        "02-vicodin-yesterday",
        "04-zubsolv-maintenance",
        "07-phq9-item9",
        "08-unrecognized-medicine",
    ] {
        let (intake, summary) = screen(&case(name));
        let rendered = render(Doc::Report, &intake, &summary, Paper::Letter, Language::En);
        let (file, text) = check_pdf(&format!("report-{name}"), &rendered, Paper::Letter);
        assert!(text.contains(&summary.rules_version));
        for f in &summary.findings {
            assert!(text.contains(&flat(&f.title)), "{name}: {}", f.title);
            assert!(text.contains(&flat(&f.detail)), "{name}: {}", f.detail);
            assert!(
                text.contains(&format!("Rule {}, reviewed {}", f.rule, f.reviewed)),
                "{name}: {}",
                f.rule
            );
        }
        for m in &summary.medications {
            assert!(text.contains(&m.input), "{name}: {}", m.input);
        }
        if summary.urgent {
            assert!(text.contains("URGENT"));
        }
        png(&file);
    }
}

#[test]
fn report_prints_an_electronic_signoff_with_its_signature_check_and_the_root_fingerprint() {
    let (intake, summary) = screen(&case("02-vicodin-yesterday"));
    let signed = Attestation {
        signoff: Some(SignedDecision {
            decision: "do_not_start".into(),
            clinician: "Dr Cleo Reyes".into(),
            signed_at: "2026-11-26T18:04:37.123Z".into(),
            note: "opioid yesterday; see again in two weeks".into(),
            signature: "signature valid, signed by cleo".into(),
        }),
        root_fingerprint: Some("3F2A-91C0-77DE-0B45-C812".into()),
    };
    let rendered = render_with(
        Doc::Report,
        &intake,
        &summary,
        Paper::Letter,
        Language::En,
        DosePlan::NotStarting,
        &signed,
    );
    let (file, text) = check_pdf("report-signed", &rendered, Paper::Letter);
    for expected in [
        "Decision: do not start LDN. Signed electronically by Dr Cleo Reyes, 2026-11-26 18:04 UTC.",
        "Note: opioid yesterday; see again in two weeks",
        "Signature check: signature valid, signed by cleo.",
        "Clinic root key fingerprint: 3F2A-91C0-77DE-0B45-C812.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert!(!text.contains("[ ] start"), "no boxes to tick once signed");
    png(&file);
    let unsigned = render(Doc::Report, &intake, &summary, Paper::Letter, Language::En);
    let (_, text) = check_pdf("report-unsigned", &unsigned, Paper::Letter);
    assert!(text.contains("[ ] start") && text.contains("Signatures are not set up"));
}

#[test]
fn wallet_card_in_both_languages() {
    let (intake, summary) = screen(&case("02-vicodin-yesterday"));
    let rendered = render(Doc::Card, &intake, &summary, Paper::Letter, Language::Es);
    let (file, text) = check_pdf("card-es", &rendered, Paper::Letter);
    assert!(text.contains("Tomo naltrexona en dosis baja (LDN)"));
    assert!(
        text.contains("I take low-dose naltrexone (LDN)"),
        "an English card follows for emergency staff"
    );
    assert!(text.contains("Ana Example") && text.contains("(541) 555-0142"));
    png(&file);
    let rendered = render(Doc::Card, &intake, &summary, Paper::A4, Language::En);
    let (_, text) = check_pdf("card-en-a4", &rendered, Paper::A4);
    assert!(text.contains("While I take LDN, opioid pain medicines may not work well."));
}

#[test]
fn names_in_any_script_print_as_the_same_text() {
    let names = [
        ("Zoë", "Łukasz-Núñez", "Zoë Łukasz-Núñez"),
        ("Αλέξανδρος", "Παπαδόπουλος", "Αλέξανδρος Παπαδόπουλος"),
        ("Дмитрий", "Иванов", "Дмитрий Иванов"),
        ("Zoe\u{308}", "Smith", "Zoë Smith"),
        (
            "<script>alert(1)</script>",
            "O'Brien & Co",
            "<script>alert(1)</script> O'Brien & Co",
        ),
    ];
    for (i, (given, family, printed)) in names.iter().enumerate() {
        let mut v = case("02-vicodin-yesterday");
        v["patient"]["given_name"] = json!(given);
        v["patient"]["family_name"] = json!(family);
        let (intake, summary) = screen(&v);
        for doc in [Doc::Handout, Doc::Report, Doc::Card] {
            let rendered = render(doc, &intake, &summary, Paper::Letter, Language::En);
            assert!(
                rendered.unprintable.is_empty(),
                "{printed}: {:?}",
                rendered.unprintable
            );
            let (_, text) = check_pdf(&format!("name-{i}"), &rendered, Paper::Letter);
            assert!(text.contains(printed), "{printed} not in the text");
        }
    }
}

#[test]
fn characters_no_font_has_are_shown_and_reported() {
    let mut v = case("01-no-findings");
    v["patient"]["given_name"] = json!("李");
    let (intake, summary) = screen(&v);
    let rendered = render(Doc::Handout, &intake, &summary, Paper::Letter, Language::En);
    assert_eq!(rendered.unprintable, vec!['李']);
    assert!(rendered.warnings()[0].contains("U+674E"));
    let (_, text) = check_pdf("unprintable", &rendered, Paper::Letter);
    assert!(text.contains("For ? Example"), "a visible placeholder");
}

#[test]
fn forty_medicines_and_every_finding_flow_onto_more_pages() {
    let mut v = case("01-no-findings");
    let answers = v["answers"].as_object_mut().unwrap();
    for (id, value) in [
        ("opioid.current", "unsure"),
        ("opioid.moud", "yes"),
        ("opioid.depot_buprenorphine_12mo", "yes"),
        ("opioid.oud_history", "yes"),
        ("opioid.withdrawal_symptoms", "yes"),
        ("surgery.planned", "yes"),
        ("allergy.naltrexone", "yes"),
        ("liver.acute_hepatitis", "yes"),
        ("liver.cirrhosis", "yes"),
        ("liver.abnormal_tests", "yes"),
        ("kidney.disease", "severe"),
        ("pregnancy.status", "yes"),
        ("breastfeeding", "yes"),
        ("mh.depression", "yes"),
        ("mh.bipolar", "yes"),
        ("mh.suicidal_thoughts", "yes"),
        ("alcohol.dependent", "yes"),
        ("sleep.insomnia", "yes"),
    ] {
        answers.insert(id.into(), json!(value));
    }
    answers.insert("mh.phq9".into(), json!([3, 3, 3, 3, 3, 3, 3, 3, 3]));
    answers.insert("alcohol.audit_c".into(), json!([4, 4, 4]));
    answers.remove("mh.depression");
    v["patient"]["birth_date"] = json!("2010-01-01");
    let lines = [
        "Norco 10/325",
        "OxyContin 40 mg ER",
        "Tylenol #3",
        "Robitussin AC",
        "Imodium A-D",
        "Lomotil",
        "kratom",
        "Klonopin 0.5 mg",
        "Mellaril 25",
        "Antabuse 250",
        "Quixolan 20mg",
        "methadone 30 mg",
        "Suboxone 8mg/2mg film",
        "tramadol 50 mg",
        "sertraline 50 mg",
        "metformin 500 mg",
        "lisinopril 10 mg",
        "atorvastatin 40 mg",
        "omeprazole 20 mg",
        "levothyroxine 75 mcg",
        "gabapentin 300 mg",
        "ibuprofen 400 mg",
        "Vitamin D3 2000 IU",
        "fish oil",
        "amlodipine 5 mg",
        "Robitussin",
        "losartan 50",
        "fluoxetine 20",
        "trazodone 50 at bedtime",
        "Ambien 5 mg",
        "Xanax 0.25",
        "Dilaudid 2 mg",
        "fentanyl patch 25 mcg/hr",
        "promethazine with codeine",
        "Zyrtec",
        "Flonase",
        "Mucinex DM",
        "Benadryl",
        "prednisone 10 mg",
        "a herbal tea from my aunt with a very long name that wraps",
    ];
    assert_eq!(lines.len(), 40);
    v["medications"] = json!(lines
        .iter()
        .enumerate()
        .map(|(i, n)| if i % 4 == 0 {
            json!({ "name": n, "last_taken": "2026-02-27" })
        } else {
            json!({ "name": n })
        })
        .collect::<Vec<_>>());
    let (intake, summary) = screen(&v);
    let categories: std::collections::BTreeSet<_> =
        summary.findings.iter().map(|f| f.category).collect();
    assert!(categories.len() >= 16, "{categories:?}");

    let rendered = render(Doc::Report, &intake, &summary, Paper::Letter, Language::En);
    assert!(rendered.pages >= 4, "{} pages", rendered.pages);
    let (file, text) = check_pdf("report-40-medicines", &rendered, Paper::Letter);
    for line in lines {
        assert!(text.contains(&flat(line)) || line.len() > 40, "{line}");
    }
    // The medicine table's header row is repeated on each page the table runs onto.
    let (_, pages) = words(&file);
    let with_rows: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.iter().any(|w| {
                w.text == "Quixolan"
                    || w.text == "sertraline"
                    || w.text == "Flonase"
                    || w.text == "Zyrtec"
            })
        })
        .map(|(i, _)| i)
        .collect();
    assert!(!with_rows.is_empty());
    for i in with_rows {
        let page_text: Vec<&str> = pages[i].iter().map(|w| w.text.as_str()).collect();
        assert!(
            page_text.windows(2).any(|w| w == ["As", "written"]),
            "page {} has rows but no header",
            i + 1
        );
    }

    let rendered = render(Doc::Handout, &intake, &summary, Paper::A4, Language::Es);
    assert!(rendered.pages >= 3, "{} pages", rendered.pages);
    let (_, text) = check_pdf("handout-every-finding-a4-es", &rendered, Paper::A4);
    // Every finding in the handout's language, whatever the intake's.
    for f in &summary.findings {
        let words = f.patient_text_in(Language::Es);
        assert!(text.contains(&flat(words)), "missing: {words}");
        assert!(
            f.patient_text == words || !text.contains(&flat(&f.patient_text)),
            "in English in a Spanish handout: {}",
            f.patient_text
        );
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (intake, summary) = screen(&case("02-vicodin-yesterday"));
    for doc in [Doc::Handout, Doc::Report, Doc::Card] {
        let a = render(doc, &intake, &summary, Paper::Letter, Language::En);
        let b = render(doc, &intake, &summary, Paper::Letter, Language::En);
        assert_eq!(a.pdf, b.pdf);
    }
    let other = render(Doc::Handout, &intake, &summary, Paper::A4, Language::En);
    assert_ne!(
        other.pdf,
        render(Doc::Handout, &intake, &summary, Paper::Letter, Language::En).pdf
    );
}

/// The start section follows the summary and the clinician (issue 10): read from the PDF.
#[test]
fn the_start_section_never_contradicts_the_summary_or_the_clinician() {
    let en = Texts::load(Language::En).unwrap();
    let t = &en.handout;
    let handout = |v: serde_json::Value, plan: DosePlan, label: &str| {
        let (intake, summary) = screen(&v);
        let rendered = render_with(
            Doc::Handout,
            &intake,
            &summary,
            Paper::Letter,
            Language::En,
            plan,
            &Attestation::NONE,
        );
        let (file, text) = check_pdf(label, &rendered, Paper::Letter);
        (summary, text, file)
    };
    let standard = TitrationProtocol::standard();
    let clinic_default = DosePlan::ClinicDefault(&standard);

    // A contraindication no date resolves: no date, no calendar.
    let mut allergy = case("01-no-findings");
    allergy["answers"]["allergy.naltrexone"] = json!("yes");
    for (v, label) in [
        (allergy, "start-allergy"),
        (case("09-acute-hepatitis"), "start-acute-hepatitis"),
    ] {
        let (summary, text, _) = handout(v, clinic_default, label);
        assert_eq!(summary.verdict, Verdict::Contraindicated);
        assert!(text.contains(&flat(&t.start_no)), "{label}: {text}");
        assert!(
            !text.contains(&flat(&t.calendar_heading)),
            "{label}: a calendar"
        );
        assert!(
            !text.contains("first dose on") && !text.contains("first day you may"),
            "{label}"
        );
    }

    // Only a running washout: its date, and a calendar dated from it.
    let (summary, text, file) = handout(
        case("02-vicodin-yesterday"),
        clinic_default,
        "start-washout",
    );
    let start = summary.earliest_start.unwrap();
    assert!(text.contains(&flat(&ldn_handout::fill(
        &t.start_after_washout,
        &[("start", &en.date(start))]
    ))));
    assert!(text.contains(&flat(&t.calendar_heading)) && text.contains("1.5 mg"));
    assert!(text.contains(&en.date(standard.plan(start)[1].from)));
    png(&file);

    // Severe kidney disease: a low start is proposed; until a plan is chosen, no doses.
    let (summary, text, file) = handout(
        case("10-severe-kidney-disease"),
        clinic_default,
        "start-kidney",
    );
    assert!(!summary.low_start.is_empty());
    assert!(text.contains(&flat(&t.calendar_clinic_sets)));
    assert!(
        !text.contains("1.5 mg") && !text.contains("4.5 mg"),
        "{text}"
    );
    png(&file);
    // Chosen at sign-off: that plan, and who chose it.
    let low = ChosenPlan {
        plan: PlanName::LowStart,
        protocol: TitrationProtocol::low_start(),
        chosen_by: Some("Dr Sam Lee".into()),
    };
    let (_, text, _) = handout(
        case("10-severe-kidney-disease"),
        DosePlan::Chosen(&low),
        "start-kidney-low",
    );
    assert!(
        text.contains("0.5 mg")
            && text.contains("Dr Sam Lee chose this plan for you (a low start)."),
        "{text}"
    );

    // The clinician decided not to start: no date, no calendar, whatever the summary says.
    let (_, text, _) = handout(
        case("01-no-findings"),
        DosePlan::NotStarting,
        "start-declined",
    );
    assert!(text.contains(&flat(&t.start_declined)) && !text.contains(&flat(&t.calendar_heading)));
    // Nothing that reads as leave to start.
    assert!(!text.contains(&flat(&t.before_none)) && text.contains(&flat(&t.read_if_started)));
}

/// The recovery sheet prints the key eight groups to a line and the fingerprint whole, checked
/// like every other document.
#[test]
fn the_recovery_sheet_prints_the_key_and_the_fingerprint() {
    let key = "4D91-115E-0DDA-C494-582E-CB68-062F-09E4-D99F-79B0-80FB-E7A1-5126-8A25-E783-CB5C";
    let fingerprint = "9E1F-E613-1D42-4096-5845";
    for paper in [Paper::Letter, Paper::A4] {
        let rendered = ldn_handout::recovery_sheet(&ldn_handout::RecoverySheet {
            clinic: &clinic(),
            key,
            fingerprint,
            paper,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        })
        .unwrap();
        assert_eq!(rendered.pages, 1);
        let (file, text) = check_pdf(&format!("recovery-sheet-{paper:?}"), &rendered, paper);
        let lines = tool("pdftotext", &["-layout"], &file);
        for half in [&key[..39], &key[40..]] {
            assert!(
                lines.lines().any(|l| l.trim() == half),
                "{half} is not a line of its own:\n{lines}"
            );
        }
        assert!(lines.lines().any(|l| l.trim() == fingerprint), "{lines}");
        assert!(text.contains("Riverside Family Practice"), "{text}");
    }
}
