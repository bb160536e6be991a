//! The systems, URLs and extension names the resources use.

/// FHIR R4 (the release every certified US EHR reads).
pub const FHIR_VERSION: &str = "4.0.1";

/// The Questionnaire's canonical URL. A URN: the app has no web address, and a clinic's record
/// system only needs a name that stays the same.
pub const QUESTIONNAIRE_URL: &str = "urn:ldn-intake:fhir:Questionnaire:intake";

/// Our own code systems: answer values as the questionnaire data spells them, and the
/// screening's words for findings, verdicts and sign-off decisions.
pub(crate) const ANSWER_SYSTEM: &str = "urn:ldn-intake:fhir:answer";
pub(crate) const RULES_VERSION_SYSTEM: &str = "urn:ldn-intake:fhir:rules-version";
pub(crate) const EXT_RULE: &str = "urn:ldn-intake:fhir:rule";
pub(crate) const CATEGORY_SYSTEM: &str = "urn:ldn-intake:fhir:finding-category";
pub(crate) const VERDICT_SYSTEM: &str = "urn:ldn-intake:fhir:verdict";
pub(crate) const DECISION_SYSTEM: &str = "urn:ldn-intake:fhir:sign-off-decision";
pub(crate) const MRN_SYSTEM: &str = "urn:ldn-intake:fhir:clinic-mrn";
pub(crate) const EXT_EARLIEST_START: &str = "urn:ldn-intake:fhir:earliest-start";
pub(crate) const EXT_INCOMPLETE_REASON: &str = "urn:ldn-intake:fhir:incomplete-reason";
pub(crate) const EXT_SIGNOFF_NOTE: &str = "urn:ldn-intake:fhir:sign-off-note";
pub(crate) const EXT_SIGNOFF_DECISION: &str = "urn:ldn-intake:fhir:sign-off-decision";

pub(crate) const LOINC: &str = "http://loinc.org";
pub(crate) const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
pub(crate) const V2_0203: &str = "http://terminology.hl7.org/CodeSystem/v2-0203";
pub(crate) const OBSERVATION_CATEGORY: &str =
    "http://terminology.hl7.org/CodeSystem/observation-category";
pub(crate) const PROVENANCE_PARTICIPANT: &str =
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

pub(crate) const EXT_TRANSLATION: &str = "http://hl7.org/fhir/StructureDefinition/translation";
pub(crate) const EXT_ITEM_CONTROL: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
pub(crate) const ITEM_CONTROL_SYSTEM: &str = "http://hl7.org/fhir/questionnaire-item-control";
pub(crate) const EXT_HIDDEN: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden";
pub(crate) const EXT_MIN_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/minValue";
pub(crate) const EXT_MAX_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/maxValue";
pub(crate) const EXT_UNIT: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";
pub(crate) const EXT_ORDINAL: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
pub(crate) const EXT_ENABLE_WHEN_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
pub(crate) const SDC_QUESTIONNAIRE_PROFILE: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire";
