use super::*;

#[test]
fn step_2_shows_its_requirements_and_transfer_verdict_before_the_first_save_and_stores_nothing() {
    let db = db();
    let (supplier, service, id) = assessed(&db, Tier::Standard);
    let saved = workflow::get(&db, id).unwrap().services[0].clone();

    // A second service, not assessed yet: what saving it would compute.
    let detail = add_service(
        &db,
        supplier,
        ServiceFields {
            name: "Löner".into(),
            data_classification: DataClassification::Confidential,
            personal_data: PersonalData::Personal,
            storage_countries: vec!["US".into()],
            access_countries: vec!["SE".into()],
            ..ServiceFields::default()
        },
    )
    .unwrap();
    let second = detail
        .services
        .iter()
        .find(|s| s.fields.name == "Löner")
        .unwrap()
        .id;
    let before = workflow::get(&db, id).unwrap();
    // Nothing rated yet: the transfer rules already decide; the
    // requirements wait for a risk level.
    let empty = workflow::preview_service(&db, id, second, ServiceInput::default()).unwrap();
    assert_eq!(
        empty.transfer.verdict,
        tillit::rules::Verdict::Forbidden,
        "{empty:?}"
    );
    assert_eq!((empty.level, empty.mandatory.len()), (None, 0));
    // The risks rated, not saved (one not rated yet): the level and its requirements.
    let mut risks = saved.input.risks.clone();
    let mut unrated = risks[0].clone();
    unrated.residual = tillit::assessment::risk::Rating {
        likelihood: 0,
        impact: 0,
    };
    risks.push(unrated.clone());
    let only_unrated = ServiceInput {
        risks: vec![unrated],
        ..ServiceInput::default()
    };
    let preview = workflow::preview_service(&db, id, second, only_unrated).unwrap();
    assert_eq!(preview.level, None, "a risk not rated yet gives no level");
    let rated = ServiceInput {
        risks,
        ..ServiceInput::default()
    };
    let preview = workflow::preview_service(&db, id, second, rated).unwrap();
    assert_eq!(preview.level, saved.result.level);
    let mut expected = saved.result.mandatory.clone();
    expected.push("data_processing_agreement".into());
    assert_eq!(
        preview.mandatory, expected,
        "personal data adds the processing agreement"
    );
    assert_eq!(
        workflow::get(&db, id).unwrap(),
        before,
        "a preview saves nothing"
    );

    // For an assessed service, the preview of its saved input is its saved result.
    let again = workflow::preview_service(&db, id, service, saved.input.clone()).unwrap();
    assert_eq!(again, saved.result);
}
