//! The fixed parts of screening-contract.md §1 that the data files must agree with.

/// Question ids of the contract, with the values each accepts (`None`: not a fixed set).
pub const CONTRACT_QUESTIONS: &[(&str, Option<&[&str]>)] = &[
    ("opioid.current", Some(TRI)),
    ("opioid.moud", Some(TRI)),
    ("opioid.depot_buprenorphine_12mo", Some(TRI)),
    ("opioid.oud_history", Some(TRI)),
    ("opioid.withdrawal_symptoms", Some(TRI)),
    ("surgery.planned", Some(TRI)),
    ("allergy.naltrexone", Some(TRI)),
    ("liver.acute_hepatitis", Some(TRI)),
    ("liver.cirrhosis", Some(TRI)),
    ("liver.abnormal_tests", Some(TRI)),
    (
        "kidney.disease",
        Some(&["none", "mild_moderate", "severe", "dialysis", "unsure"]),
    ),
    ("kidney.egfr", None),
    (
        "pregnancy.status",
        Some(&["no", "yes", "unsure", "not_applicable"]),
    ),
    ("pregnancy.planning", Some(TRI)),
    ("breastfeeding", Some(TRI)),
    ("mh.depression", Some(TRI)),
    ("mh.bipolar", Some(TRI)),
    ("mh.other", None),
    ("mh.suicidal_thoughts", Some(TRI)),
    ("mh.phq9", None),
    ("alcohol.audit_c", None),
    ("alcohol.dependence", Some(TRI)),
    ("sleep.insomnia", Some(TRI)),
    (
        "reason",
        Some(&[
            "chronic_pain",
            "fibromyalgia",
            "crohns",
            "multiple_sclerosis",
            "me_cfs",
            "long_covid",
            "autoimmune_other",
            "other",
        ]),
    ),
];

const TRI: &[&str] = &["yes", "no", "unsure"];

/// Required for a complete intake.
pub const CONTRACT_REQUIRED: &[&str] = &[
    "opioid.current",
    "opioid.moud",
    "allergy.naltrexone",
    "liver.acute_hepatitis",
    "liver.cirrhosis",
    "kidney.disease",
    "pregnancy.status",
    "breastfeeding",
    "mh.depression",
    "mh.suicidal_thoughts",
];

/// Patient data a rule may list in `uses` besides question ids.
pub const PATIENT_DATA: &[&str] = &["medications", "intake_date", "birth_date", "sex_at_birth"];
