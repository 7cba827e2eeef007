use super::*;

/// One thing an officer may try on an assessment.
#[derive(Debug, Clone)]
enum Attempt {
    Step1 {
        ratings: Vec<u8>,
        link: bool,
        controls: bool,
    },
    Step2 {
        residual: (u8, u8),
        treatment: u8,
    },
    Reevaluate,
    Submit,
    Withdraw,
    Reopen,
}

fn attempt() -> impl proptest::strategy::Strategy<Value = Attempt> {
    use proptest::prelude::*;
    prop_oneof![
        3 => (prop::collection::vec(0u8..=3, 0..=11), any::<bool>(), any::<bool>())
            .prop_map(|(ratings, link, controls)| Attempt::Step1 { ratings, link, controls }),
        3 => ((1u8..=5, 1u8..=5), 0u8..4).prop_map(|(residual, treatment)| Attempt::Step2 { residual, treatment }),
        1 => Just(Attempt::Reevaluate),
        1 => Just(Attempt::Submit),
        1 => Just(Attempt::Withdraw),
        1 => Just(Attempt::Reopen),
    ]
}

/// Runs `attempt` as the officer; refusals are expected.
fn try_attempt(
    db: &Db,
    id: AssessmentId,
    service: ServiceId,
    ev: &[EvidenceId],
    attempt: &Attempt,
) {
    let keys: Vec<String> = default_rule_set()
        .criteria
        .iter()
        .map(|c| c.key.clone())
        .collect();
    let _ = match attempt {
        Attempt::Step1 {
            ratings,
            link,
            controls,
        } => {
            let mut input = Step1Input {
                ratings: keys.iter().cloned().zip(ratings.iter().copied()).collect(),
                compensating_controls: if *controls {
                    "Quarterly tests".into()
                } else {
                    String::new()
                },
                ..Step1Input::default()
            };
            if *link {
                input.evidence.insert("certification".into(), ev.to_vec());
            }
            save_step1(db, id, input).map(drop)
        }
        Attempt::Step2 {
            residual,
            treatment,
        } => {
            let treatment = [
                Treatment::Mitigate,
                Treatment::Accept,
                Treatment::Transfer,
                Treatment::Avoid,
            ][usize::from(*treatment)];
            let risks = ["data_protection", "availability", "business_impact"]
                .into_iter()
                .map(|d| risk(d, (5, 5), *residual, treatment))
                .collect();
            save_service(
                db,
                id,
                service,
                ServiceInput {
                    risks,
                    ..ServiceInput::default()
                },
            )
            .map(drop)
        }
        Attempt::Reevaluate => reevaluate(db, id).map(drop),
        Attempt::Submit => approval::submit(db, id).map(drop),
        Attempt::Withdraw => approval::withdraw(db, id, "").map(drop),
        Attempt::Reopen => {
            let standing = get(db, id).unwrap().standing_decision().map(|d| d.id);
            approval::reopen(
                db,
                id,
                approval::ReopenInput {
                    reason: "Try".into(),
                    voids: standing,
                },
            )
            .map(drop)
        }
    };
}

#[test]
fn no_sequence_of_officer_calls_changes_a_locked_assessment_without_its_recorded_unlocking() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let states = proptest::sample::select(vec!["escalated", "submitted", "decided"]);
    let attempts = proptest::collection::vec(attempt(), 1..8);
    runner
        .run(&(states, attempts), |(state, attempts)| {
            let db = db();
            let (supplier, service, ev) = registered(&db, Tier::Critical, &[isms()]);
            let id = start(&db, supplier, date(2026, 3, 1)).unwrap().id;
            if state == "escalated" {
                let mut input = step1(3, &ev);
                input.ratings.insert("staff_security".into(), 1);
                save_step1(&db, id, input).unwrap();
            } else {
                save_step1(&db, id, step1(3, &ev)).unwrap();
                complete_step2(&db, id, service, None);
                approval::submit(&db, id).unwrap();
                if state == "decided" {
                    sign_in(&db, "magnus");
                    approval::decide(
                        &db,
                        id,
                        DecisionInput {
                            decision: Decision::Approve,
                            conditions: Vec::new(),
                            password: PASSWORD.into(),
                        },
                    )
                    .unwrap();
                    sign_in(&db, "olivia");
                }
            }
            let locked = get(&db, id).unwrap();
            let before = approval::fingerprint(&locked).unwrap();
            for attempt in &attempts {
                try_attempt(&db, id, service, &ev, attempt);
                let now = get(&db, id).unwrap();
                let unlocked = now.events.len() > locked.events.len() || now.resolution.is_some();
                if !unlocked {
                    proptest::prop_assert_eq!(
                        &approval::fingerprint(&now).unwrap(),
                        &before,
                        "{} after {:?}",
                        state,
                        attempt
                    );
                    proptest::prop_assert_eq!(&now.decisions, &locked.decisions);
                    proptest::prop_assert_eq!(&now.submitted_at, &locked.submitted_at);
                }
            }
            // Every unlocking is in the trail.
            let now = get(&db, id).unwrap();
            let recorded: i64 = db
                .read(|c| {
                    c.query_row(
                        "SELECT count(*) FROM audit_log WHERE entity = 'assessment_event'",
                        [],
                        |r| r.get(0),
                    )
                })
                .unwrap();
            proptest::prop_assert_eq!(recorded as usize, now.events.len());
            proptest::prop_assert!(db.read(tillit::audit::verify).unwrap().intact());
            Ok(())
        })
        .unwrap();
}
