//! `ldn rules check` catches each kind of mistake a pharmacist's edit could make, and an engine
//! refuses to load data with any problem.

use ldn_engine::{DataError, DataSources, Engine};

fn problems_after(edit: impl FnOnce(&mut DataSources)) -> Vec<String> {
    let mut sources = ldn_data::sources();
    edit(&mut sources);
    let problems: Vec<String> = Engine::check(&sources)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        matches!(
            Engine::load(&sources),
            Err(DataError::Inconsistent(_) | DataError::Parse { .. })
        ),
        "the engine loaded broken data"
    );
    problems
}

fn assert_problem(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "no problem mentions {needle:?}: {problems:#?}"
    );
}

fn replace_once(text: &mut String, from: &str, to: &str) {
    assert!(text.contains(from), "the data no longer holds {from:?}");
    *text = text.replacen(from, to, 1);
}

#[test]
fn the_bundled_data_has_no_problems() {
    assert_eq!(Engine::check(&ldn_data::sources()), vec![]);
}

#[test]
fn a_rule_without_sources() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "sources = [\"label-oral\", \"livertox\"]\nreviewed",
            "sources = []\nreviewed",
        )
    });
    assert_problem(&p, "has no sources");
}

#[test]
fn an_unknown_source() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "sources = [\"lactmed\"",
            "sources = [\"lactmedd\"",
        )
    });
    assert_problem(&p, "unknown source \"lactmedd\"");
}

#[test]
fn a_missing_review_date_or_language() {
    let p = problems_after(|s| replace_once(&mut s.rules, "reviewed = \"2026-11-25\"\n", "\n"));
    assert_problem(&p, "reviewed");
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            ", es = \"Tiene ahora señales",
            ", fr = \"Tiene ahora señales",
        )
    });
    assert_problem(&p, "rules.toml");
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "es = \"Su clínica vigilará sus análisis de los riñones mientras tome LDN.\"",
            "es = \" \"",
        )
    });
    assert_problem(&p, "patient_text.es is empty");
}

#[test]
fn an_unknown_question_value_category_or_class() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "question = \"breastfeeding\", in = [\"yes\", \"unsure\"]",
            "question = \"breast_feeding\", in = [\"yes\"]",
        )
    });
    assert_problem(&p, "unknown question breast_feeding");
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "question = \"kidney.disease\", in = [\"mild_moderate\"]",
            "question = \"kidney.disease\", in = [\"mild\"]",
        )
    });
    assert_problem(&p, "has no answer value \"mild\"");
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "category = \"sleep\"",
            "category = \"slumber\"",
        )
    });
    assert_problem(&p, "rules.toml");
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "class = \"benzodiazepine\"",
            "class = \"benzodiazepines\"",
        )
    });
    assert_problem(&p, "unknown medicine class \"benzodiazepines\"");
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "uses = [\"sleep.insomnia\"]",
            "uses = [\"sleep.quality\"]",
        )
    });
    assert_problem(&p, "uses names unknown data \"sleep.quality\"");
}

#[test]
fn a_placeholder_the_rule_cannot_fill() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "detail = \"Age {age} on",
            "detail = \"Age {medicine} on",
        )
    });
    assert_problem(&p, "no value for {medicine}");
}

#[test]
fn the_questionnaire_must_match_the_contract() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.questionnaire,
            "id = \"opioid.moud\"",
            "id = \"opioid.maintenance\"",
        )
    });
    assert_problem(&p, "the contract's question opioid.moud is missing");
    let p = problems_after(|s| {
        replace_once(&mut s.questionnaire, "{ value = \"dialysis\", label = { en = \"I am on dialysis\", es = \"Estoy en diálisis\" } },\n", "")
    });
    assert_problem(&p, "differ from the contract");
}

#[test]
fn medicine_table_mistakes() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.products,
            "\"Norco\" = { ingredients = [\"hydrocodone\"",
            "\"Norco\" = { ingredients = [\"hydrocodon\"",
        )
    });
    assert_problem(&p, "ingredient \"hydrocodon\" is not in ingredients.toml");
    let p = problems_after(|s| {
        replace_once(
            &mut s.products,
            "also = [\"lonox\"]",
            "also = [\"lonox\", \"norco\"]",
        )
    });
    assert_problem(&p, "is also a name of");
    let p = problems_after(|s| {
        replace_once(
            &mut s.ingredients,
            "thioridazine = { classes = [\"thioridazine\"], es = \"tioridazina\"",
            "thioridazine = { classes = [\"phenothiazine\"], es = \"tioridazina\"",
        )
    });
    assert_problem(&p, "unknown class \"phenothiazine\"");
    let p = problems_after(|s| {
        replace_once(
            &mut s.ingredients,
            "rxcui = \"10502\"",
            "rxcui = \"RX10502\"",
        )
    });
    assert_problem(&p, "rxcui \"RX10502\" must be an RxNorm concept number");
}

#[test]
fn broken_toml_names_the_file() {
    let p = problems_after(|s| s.vocabulary.push_str("\n[[[\n"));
    assert_problem(&p, "medicines/vocabulary.toml");
}

/// The safety invariant guards edited rules: a rule set that would let a probe intake with an
/// opioid possibly in the body start on its intake date is refused.
#[test]
fn a_rule_set_that_stops_holding_the_start_date_is_refused() {
    // An open opioid question is held twice (by its own rule and by the rule on every required
    // question), so both holds go in that edit.
    let incomplete_hold = "# allergy): no start date until it is answered and the intake screened again.\nholds_start = \"unknown\"\n";
    let edits: [(&[(&str, &str)], &str); 4] = [
        (
            &[(
                "id = \"opioid-still-taking\"\ncategory = \"opioid\"\nseverity = \"contraindicated\"\nholds_start = \"unknown\"\n",
                "id = \"opioid-still-taking\"\ncategory = \"opioid\"\nseverity = \"contraindicated\"\n",
            )],
            "safety: the line \"codeine\" (last taken None)",
        ),
        (
            &[(
                "id = \"unrecognized-medicine\"\ncategory = \"unrecognized_medication\"\nseverity = \"caution\"\n# Until it is identified, the line counts as a possible long-acting opioid.\nholds_start = \"washout_end\"\n",
                "id = \"unrecognized-medicine\"\ncategory = \"unrecognized_medication\"\nseverity = \"caution\"\n",
            )],
            "safety: the line \"qqxz unknown remedy\"",
        ),
        (
            &[
                ("{ kind = \"unanswered\", question = \"opioid.moud\" },", ""),
                (incomplete_hold, "\n"),
            ],
            "safety: opioid.moud None",
        ),
        (
            &[(
                "when = { kind = \"medicine\", class = \"opioid\", washout = [\"depot\"] }",
                "when = { kind = \"medicine\", class = \"opioid\", washout = [\"taking\"] }",
            )],
            "safety: the line \"Sublocade\" (last taken Some(2025-03-02))",
        ),
    ];
    for (replacements, needle) in edits {
        let p = problems_after(|s| {
            for (from, to) in replacements {
                replace_once(&mut s.rules, from, to);
            }
        });
        assert_problem(&p, needle);
    }
}

/// A bound that is not a number (TOML allows `nan` and `inf`) would make a rule that never holds
/// or always does, and would not survive the tables built at compile time as itself.
#[test]
fn a_bound_that_is_not_a_finite_number() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.rules,
            "{ kind = \"number\", question = \"kidney.egfr\", below = 30 }",
            "{ kind = \"number\", question = \"kidney.egfr\", below = nan }",
        )
    });
    assert_problem(&p, "below must be a finite number");
    let p = problems_after(|s| {
        replace_once(
            &mut s.questionnaire,
            "type = \"number\"\nmin = 0\nmax = 200",
            "type = \"number\"\nmin = 0\nmax = inf",
        )
    });
    assert_problem(&p, "max must be a finite number");
}

#[test]
fn a_patient_form_offering_a_sex_no_intake_can_hold_is_refused() {
    let p = problems_after(|s| {
        replace_once(
            &mut s.questionnaire,
            "{ value = \"unknown\", label = { en = \"Not known\"",
            "{ value = \"other\", label = { en = \"Not known\"",
        )
    });
    assert_problem(
        &p,
        "sex_options [\"female\", \"male\", \"other\"] must be exactly",
    );
}
