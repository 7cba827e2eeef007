//! The overview: what needs attention today (overdue reviews, reviews due
//! within 60 days, evidence expiring within 90 days, assessments awaiting a
//! decision, open escalations, reassessments required), the counts by tier,
//! status and risk level, and the heat map of every service's residual risk
//! in the latest assessment of each supplier. Computed in a few queries over
//! the whole register, never per supplier.

use crate::assessment::workflow::AssessmentId;
use crate::error::Result;
use crate::rules::RiskBand;
use crate::store::sql::Connection;
use crate::store::Db;
use crate::supplier::{EvidenceKind, SupplierId, SupplierStatus, Tier, TierCounts};
use crate::words::Said;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use ts_rs::TS;
use uuid::Uuid;

pub use crate::supplier::follow_up::REVIEW_WINDOW_DAYS;
/// Days ahead an open condition of an approval counts as falling due.
pub const CONDITION_WINDOW_DAYS: u64 = 30;
/// Days ahead evidence counts as expiring.
pub const EVIDENCE_WINDOW_DAYS: u64 = 90;
/// Services listed per heat-map cell (the count covers all).
const CELL_SAMPLE: usize = 20;
/// Items listed per list of things to look at (the count covers all).
pub const LISTED: usize = 8;

/// One thing to look at, leading to its supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverviewItem {
    pub supplier_id: SupplierId,
    pub supplier: String,
    pub tier: Tier,
    /// The date that matters (review due, evidence valid until, submitted on).
    pub date: Option<NaiveDate>,
    /// What it is about, in words (evidence title, reason, assessor …).
    pub detail: String,
    /// The assessment that needs the action (a decision, a resolution).
    pub assessment_id: Option<AssessmentId>,
    /// The kind of an expiring evidence item (its title may be empty).
    pub evidence_kind: Option<EvidenceKind>,
    /// The detail in every language, where it was recorded so (the reason
    /// a reassessment is required).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_said: Option<Said>,
}

/// One list of things to look at: how many there are, and the first
/// [`LISTED`] of them in the list's order (soonest first).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Attention {
    pub count: u32,
    pub items: Vec<OverviewItem>,
}

/// A service in a heat-map cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverviewService {
    pub supplier_id: SupplierId,
    pub supplier: String,
    pub service: String,
}

/// One cell of the heat map: the services whose highest residual risk sits there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HeatCell {
    pub likelihood: u8,
    pub impact: u8,
    pub count: u32,
    /// The first services in the cell, by supplier name.
    pub services: Vec<OverviewService>,
}

/// Counts of suppliers per status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct StatusCount {
    pub status: SupplierStatus,
    pub count: u32,
}

/// Counts of assessed services per risk level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LevelCount {
    pub level: RiskBand,
    pub count: u32,
}

/// Everything the overview shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Overview {
    pub today: NaiveDate,
    pub suppliers: u32,
    pub overdue: Attention,
    pub due_soon: Attention,
    /// The reviews scheduled after the 60 days, soonest first.
    pub upcoming: Attention,
    pub evidence_expiring: Attention,
    pub awaiting_decision: Attention,
    pub open_escalations: Attention,
    pub reassessment_required: Attention,
    /// Open conditions of standing approvals on current assessments, due
    /// within [`CONDITION_WINDOW_DAYS`] or overdue, soonest first.
    pub conditions_due: Attention,
    pub by_tier: TierCounts,
    pub by_status: Vec<StatusCount>,
    pub by_level: Vec<LevelCount>,
    pub heat_map: Vec<HeatCell>,
}

/// The overview as of `today`.
///
/// Kept in memory, as the register list is: opening the overview again, or
/// coming back to it, costs a copy, not the queries. After a change, here
/// or in another program, only the suppliers the audit trail names since
/// are read again, and the lists, counts and heat map are put together
/// again in memory; a change that only notes something in the trail (a
/// sign-in, an export) keeps it as it is. It is read whole the first time
/// for a day, after many changes, and after a change the trail does not
/// place (see [`changed_since`]).
pub fn overview(db: &Db, today: NaiveDate) -> Result<Overview> {
    let kept = db.derived_from(Kept::since)?;
    if let Some(found) = kept.day(today)? {
        return Ok(found);
    }
    db.read(|conn| kept.add_day(conn, today))
}

/// The overviews of the days asked for since the database last changed
/// what they show (at most [`KEPT_DAYS`]: today, and a day a test or a
/// report names), what they were put together from, and the audit trail's
/// head they are as of.
#[derive(Default)]
struct Kept {
    head: i64,
    state: std::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The services of the heat map, by supplier.
    picture: Option<Picture>,
    days: Vec<Day>,
}

impl Kept {
    /// The overviews kept `before` the database changed: as they were when
    /// every trail entry since only notes something (see
    /// [`crate::supplier::only_notes_since`]), with the suppliers the
    /// entries name read again when they can all be placed, none otherwise.
    fn since(conn: &Connection, before: Option<std::sync::Arc<Kept>>) -> Result<Kept> {
        let head = crate::store::trail_head(conn)?;
        let mut state = State::default();
        if let Some(before) = before.filter(|before| head > before.head) {
            // Taken rather than copied: whoever still reads the older value
            // finds nothing kept and reads its day whole.
            let taken = std::mem::take(&mut *before.state()?);
            if crate::supplier::only_notes_since(conn, before.head)? {
                state = taken;
            } else if let Some(changed) = changed_since(conn, before.head, head)? {
                state = taken.changed(conn, &changed)?;
            }
        }
        Ok(Kept {
            head,
            state: std::sync::Mutex::new(state),
        })
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, State>> {
        self.state
            .lock()
            .map_err(|_| crate::Error::Internal("the overview kept was poisoned".into()))
    }

    /// The overview of `today`, if kept.
    fn day(&self, today: NaiveDate) -> Result<Option<Overview>> {
        Ok(self
            .state()?
            .days
            .iter()
            .find(|day| day.overview.today == today)
            .map(|day| day.overview.clone()))
    }

    /// The overview of `today` read on `conn`, and kept when `conn` sees
    /// the content this value is of (a change in between is read whole).
    /// No lock is held while reading.
    fn add_day(&self, conn: &Connection, today: NaiveDate) -> Result<Overview> {
        let current = crate::store::trail_head(conn)? == self.head;
        let kept = match current {
            true => self.state()?.picture.take(),
            false => None,
        };
        let mut picture = match kept {
            Some(picture) => picture,
            None => Picture::read(conn, None)?,
        };
        let counts = Counts::read(conn)?;
        let risk = picture.risk(conn)?;
        let day = Day::read(conn, today, &counts, &risk)?;
        let overview = day.overview.clone();
        if current {
            let mut state = self.state()?;
            state.picture = Some(picture);
            state.days.retain(|kept| kept.overview.today != today);
            if state.days.len() >= KEPT_DAYS {
                state.days.remove(0);
            }
            state.days.push(day);
        }
        Ok(overview)
    }
}

impl State {
    /// The state after the suppliers `changed` (ids) changed: their parts
    /// read again, the counts read again, every kept day put together again.
    fn changed(mut self, conn: &Connection, changed: &HashSet<String>) -> Result<State> {
        if changed.is_empty() {
            return Ok(self);
        }
        // An id that is no supplier's id is in no part.
        let named: Vec<SupplierId> = changed.iter().filter_map(|id| id.parse().ok()).collect();
        let Some(mut picture) = self.picture.take() else {
            return Ok(State::default());
        };
        let ids = serde_json::to_string(&changed.iter().collect::<Vec<_>>())
            .map_err(|e| crate::Error::Internal(e.to_string()))?;
        picture.replace(&named, Picture::read(conn, Some(&ids))?);
        let counts = Counts::read(conn)?;
        let risk = picture.risk(conn)?;
        for day in &mut self.days {
            let today = day.overview.today;
            for (list, parts) in List::ALL.iter().zip(&mut day.lists) {
                for id in &named {
                    parts.remove(id);
                }
                for listed in list.read(conn, today, Some(&ids))? {
                    parts
                        .entry(listed.item.supplier_id)
                        .or_default()
                        .push(listed);
                }
            }
            day.overview = put_together(&day.lists, today, &counts, &risk);
        }
        self.picture = Some(picture);
        Ok(self)
    }
}

/// How many days' overviews are kept.
const KEPT_DAYS: usize = 2;

/// The suppliers whose part of the overview the trail entries after
/// `since` (up to `head`) change ([`crate::supplier::changed_since`]), or
/// `None` when the overview is to be read whole: after more than
/// [`crate::supplier::MAX_CHANGES`] entries, an entry the trail cannot
/// place, or a condition closed (its entry names its approval only).
fn changed_since(conn: &Connection, since: i64, head: i64) -> Result<Option<HashSet<String>>> {
    if head - since > crate::supplier::MAX_CHANGES {
        return Ok(None);
    }
    let closed: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM audit_log WHERE seq > ?1 AND entity = 'condition_closure'",
        )?
        .query_row([since], |r| r.get(0))?;
    if closed > 0 {
        return Ok(None);
    }
    crate::supplier::changed_since(conn, since)
}

/// One day's overview, and the items of each of its lists by supplier id
/// (in the order of [`List::ALL`]), so that a change reads only the
/// suppliers it names.
struct Day {
    lists: Vec<HashMap<SupplierId, Vec<Listed>>>,
    overview: Overview,
}

impl Day {
    fn read(conn: &Connection, today: NaiveDate, counts: &Counts, risk: &Risk) -> Result<Day> {
        let mut lists = Vec::with_capacity(List::ALL.len());
        for list in List::ALL {
            let mut parts: HashMap<SupplierId, Vec<Listed>> = HashMap::new();
            for listed in list.read(conn, today, None)? {
                parts
                    .entry(listed.item.supplier_id)
                    .or_default()
                    .push(listed);
            }
            lists.push(parts);
        }
        let overview = put_together(&lists, today, counts, risk);
        Ok(Day { lists, overview })
    }
}

/// The overview from the lists' items (in the order of [`List::ALL`]), the
/// counts and the risk picture.
fn put_together(
    lists: &[HashMap<SupplierId, Vec<Listed>>],
    today: NaiveDate,
    counts: &Counts,
    risk: &Risk,
) -> Overview {
    let mut lists = lists.iter().map(|parts| first(parts, LISTED));
    let mut next = || lists.next().unwrap_or_default();
    Overview {
        today,
        suppliers: counts.suppliers,
        overdue: next(),
        due_soon: next(),
        upcoming: next(),
        evidence_expiring: next(),
        awaiting_decision: next(),
        open_escalations: next(),
        reassessment_required: next(),
        conditions_due: next(),
        by_tier: counts.by_tier,
        by_status: counts.by_status.clone(),
        by_level: risk.0.clone(),
        heat_map: risk.1.clone(),
    }
}

/// The count of a list's items (`parts`, by supplier) and its first
/// `limit`, in the list's order.
fn first(parts: &HashMap<SupplierId, Vec<Listed>>, limit: usize) -> Attention {
    let mut all: Vec<&Listed> = parts.values().flatten().collect();
    let count = u32::try_from(all.len()).unwrap_or(u32::MAX);
    if all.len() > limit && limit > 0 {
        all.select_nth_unstable_by(limit - 1, |a, b| a.order(b));
    }
    all.truncate(limit);
    all.sort_by(|a, b| a.order(b));
    Attention {
        count,
        items: all.into_iter().map(|listed| listed.item.clone()).collect(),
    }
}

/// One item of a list, with what the list is ordered by.
struct Listed {
    /// The value the list is ordered by (a date, a time), then the
    /// supplier's sort key and id, then the row's place among the
    /// supplier's rows.
    rank: Option<String>,
    sort_key: String,
    position: usize,
    item: OverviewItem,
}

impl Listed {
    fn order(&self, other: &Listed) -> std::cmp::Ordering {
        (
            &self.rank,
            &self.sort_key,
            self.item.supplier_id,
            self.position,
        )
            .cmp(&(
                &other.rank,
                &other.sort_key,
                other.item.supplier_id,
                other.position,
            ))
    }
}

/// The lists of things to look at, each one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Overdue,
    DueSoon,
    Upcoming,
    EvidenceExpiring,
    AwaitingDecision,
    OpenEscalations,
    ReassessmentRequired,
    ConditionsDue,
}

impl List {
    /// In the order of the [`Overview`]'s fields.
    const ALL: [List; 8] = [
        List::Overdue,
        List::DueSoon,
        List::Upcoming,
        List::EvidenceExpiring,
        List::AwaitingDecision,
        List::OpenEscalations,
        List::ReassessmentRequired,
        List::ConditionsDue,
    ];

    /// The dates the list's query takes as `?1`, `?2` …
    fn dates(self, today: NaiveDate) -> Vec<NaiveDate> {
        let ahead = |days| today.checked_add_days(Days::new(days)).unwrap_or(today);
        match self {
            List::Overdue => vec![today],
            List::DueSoon => vec![today, ahead(REVIEW_WINDOW_DAYS)],
            List::Upcoming => vec![ahead(REVIEW_WINDOW_DAYS)],
            List::EvidenceExpiring => vec![
                today,
                ahead(EVIDENCE_WINDOW_DAYS),
                today
                    .checked_sub_months(chrono::Months::new(13))
                    .unwrap_or(today),
            ],
            List::AwaitingDecision | List::OpenEscalations | List::ReassessmentRequired => {
                Vec::new()
            }
            List::ConditionsDue => vec![ahead(CONDITION_WINDOW_DAYS)],
        }
    }

    /// The list's query without its order: the value the list is ordered
    /// by, the supplier's sort key, then an item's columns (supplier id,
    /// name, tier, date, detail, assessment id, evidence kind, and for
    /// [`List::ReassessmentRequired`] the detail in every language), of the
    /// suppliers `only` names (a JSON list of ids in the last parameter) or
    /// of every supplier (`only` false, that parameter NULL).
    fn sql(self, conn: &Connection, named: bool) -> Result<String> {
        let parameter = self.dates(NaiveDate::MIN).len() + 1;
        let only = match named {
            true => format!("s.id IN (SELECT value FROM json_each(CAST(?{parameter} AS TEXT)))"),
            false => format!("CAST(?{parameter} AS TEXT) IS NULL"),
        };
        // The lists of suppliers alone start from the suppliers named, so
        // that no index on status or review date is scanned for them.
        let suppliers = match named {
            true => format!(
                "json_each(CAST(?{parameter} AS TEXT)) AS named CROSS JOIN supplier s WHERE s.id = named.value"
            ),
            false => format!("supplier s WHERE CAST(?{parameter} AS TEXT) IS NULL"),
        };
        let reviews = |condition: &str| {
            format!(
                "SELECT s.next_review_on, s.sort_key, s.id, s.legal_name, s.tier, s.next_review_on, '', NULL, NULL
                 FROM {suppliers} AND {condition}"
            )
        };
        // Keeps the latest assessment of each supplier not offboarded.
        let is_latest = format!(
            "s.status <> 'offboarded' AND a.rowid = {}",
            latest_assessment_of("a.supplier_id")
        );
        let stands = crate::assessment::decisions::stands_sql("p");
        Ok(match self {
            List::Overdue => reviews(OVERDUE_SQL),
            List::DueSoon => reviews(&format!("{REVIEWED} AND s.next_review_on BETWEEN ?1 AND ?2")),
            List::Upcoming => reviews(&format!("{REVIEWED} AND s.next_review_on > ?1")),
            // The last day each item is current, by the rule of DOMAIN §3
            // (an assurance report 12 months after its period); read from
            // the index for the items that can qualify under either reading.
            List::EvidenceExpiring => {
                let until = crate::supplier::current_until_sql(conn, "e.kind", "e.valid_until")?;
                format!(
                    "SELECT {until}, s.sort_key, s.id, s.legal_name, s.tier, {until}, e.title, NULL, e.kind
                     FROM evidence e JOIN supplier s ON s.id = e.supplier_id
                     WHERE s.status <> 'offboarded' AND e.valid_until BETWEEN ?3 AND ?2
                       AND {until} BETWEEN ?1 AND ?2 AND {only}"
                )
            }
            List::AwaitingDecision => format!(
                "SELECT a.submitted_at, s.sort_key, s.id, s.legal_name, s.tier, substr(a.submitted_at, 1, 10), a.assessor, a.id, NULL
                 FROM {LATEST_OF}
                 WHERE {is_latest} AND a.submitted_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM approval p WHERE p.assessment_id = a.id AND {stands})
                   AND {only}"
            ),
            List::OpenEscalations => format!(
                "SELECT a.assessed_on, s.sort_key, s.id, s.legal_name, s.tier, a.assessed_on, a.assessor, a.id, NULL
                 FROM {LATEST_OF}
                 WHERE {is_latest} AND a.resolution IS NULL
                   AND json_extract(a.step1_result, '$.outcome') = 'escalate' AND {only}"
            ),
            List::ReassessmentRequired => format!(
                "SELECT '', s.sort_key, s.id, s.legal_name, s.tier, s.next_review_on,
                        coalesce(s.reassessment_reason, ''), NULL, NULL, {}
                 FROM {suppliers} AND s.status = 'reassessment_required'",
                crate::supplier::follow_up::REASSESSMENT_SAID_SQL
            ),
            List::ConditionsDue => format!(
                "SELECT json_extract(c.value, '$.due_on'), s.sort_key, s.id, s.legal_name, s.tier,
                        json_extract(c.value, '$.due_on'), json_extract(c.value, '$.text'), a.id, NULL
                 FROM {LATEST_OF} JOIN approval p ON p.assessment_id = a.id, {conditions} c
                 WHERE p.decision = 'approve_with_conditions' AND {stands} AND {is_latest}
                   AND json_extract(c.value, '$.due_on') <= ?1
                   AND NOT EXISTS (SELECT 1 FROM condition_closure k
                                   WHERE k.approval_id = p.id AND k.position = CAST(c.key AS INTEGER))
                   AND {only}",
                conditions = crate::assessment::decisions::conditions_sql("p"),
            ),
        })
    }

    /// The list's items on `today` of the suppliers `only` names (a JSON
    /// list of ids) or of every supplier, in the list's order.
    fn read(self, conn: &Connection, today: NaiveDate, only: Option<&str>) -> Result<Vec<Listed>> {
        let sql = format!("{} ORDER BY 1, 2, 3", self.sql(conn, only.is_some())?);
        let dates = self.dates(today);
        let mut statement = conn.prepare_cached(&sql)?;
        let mut rows = statement.query(parameters(&dates, &only).as_slice())?;
        let mut read: Vec<Listed> = Vec::new();
        let mut places: HashMap<SupplierId, usize> = HashMap::new();
        while let Some(row) = rows.next()? {
            let item = item(&row, 2, self == List::ReassessmentRequired)?;
            let place = places.entry(item.supplier_id).or_default();
            read.push(Listed {
                rank: row.get(0)?,
                sort_key: row.get(1)?,
                position: *place,
                item,
            });
            *place += 1;
        }
        Ok(read)
    }

    /// The count of the list's items on `today` and its first `limit`: one
    /// query, the count (a window over every row) taken before the limit.
    fn first(self, conn: &Connection, today: NaiveDate, limit: usize) -> Result<Attention> {
        let sql = self.sql(conn, false)?;
        let columns = sql.trim_start().strip_prefix("SELECT ").ok_or_else(|| {
            crate::Error::Internal(format!("an overview list is not a SELECT: {sql}"))
        })?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT count(*) OVER (), {columns} ORDER BY 2, 3, 4 LIMIT {limit}"
        ))?;
        let dates = self.dates(today);
        let mut rows = statement.query(parameters(&dates, &None).as_slice())?;
        let mut list = Attention::default();
        while let Some(row) = rows.next()? {
            list.count = row.get(0)?;
            list.items
                .push(item(&row, 3, self == List::ReassessmentRequired)?);
        }
        Ok(list)
    }
}

/// A list query's parameters: its `dates`, then the suppliers it reads
/// (`only`, a JSON list of ids, or NULL for every supplier).
fn parameters<'a>(
    dates: &'a [NaiveDate],
    only: &'a Option<&'a str>,
) -> Vec<&'a dyn rusqlite::ToSql> {
    let mut parameters: Vec<&dyn rusqlite::ToSql> =
        dates.iter().map(|d| d as &dyn rusqlite::ToSql).collect();
    parameters.push(only);
    parameters
}

/// The item whose columns start at `at`: supplier id, name, tier, date,
/// detail, assessment id, evidence kind, and if `said` the detail in every
/// language.
fn item(row: &crate::store::sql::Row<'_>, at: usize, said: bool) -> Result<OverviewItem> {
    Ok(OverviewItem {
        supplier_id: SupplierId(
            Uuid::parse_str(row.get_ref(at)?.as_str()?)
                .map_err(|e| crate::Error::Internal(e.to_string()))?,
        ),
        supplier: row.get(at + 1)?,
        tier: row.get(at + 2)?,
        date: row.get(at + 3)?,
        detail: row.get(at + 4)?,
        assessment_id: row
            .get_ref(at + 5)?
            .as_str_or_null()?
            .map(|id| Uuid::parse_str(id).map(AssessmentId))
            .transpose()
            .map_err(|e| crate::Error::Internal(e.to_string()))?,
        evidence_kind: row.get(at + 6)?,
        detail_said: match said {
            true => Said::from_stored(row.get::<_, Option<String>>(at + 7)?.as_deref()),
            false => None,
        },
    })
}

/// Every open condition of a standing approval on a current assessment
/// that falls due within [`CONDITION_WINDOW_DAYS`] of `today` or is overdue,
/// soonest first: the overview's list in full.
pub fn conditions_due(db: &Db, today: NaiveDate) -> Result<Attention> {
    db.read(|conn| {
        let items: Vec<OverviewItem> = List::ConditionsDue
            .read(conn, today, None)?
            .into_iter()
            .map(|listed| listed.item)
            .collect();
        Ok(Attention {
            count: u32::try_from(items.len()).unwrap_or(u32::MAX),
            items,
        })
    })
}

/// Reviews of approved suppliers due before `today`: the desktop's
/// reminder at start-up, without computing the whole overview.
pub fn overdue_reviews(db: &Db, today: NaiveDate) -> Result<Attention> {
    db.read(|conn| List::Overdue.first(conn, today, LISTED))
}

/// Suppliers under review (approved, approved with conditions, or to be
/// reassessed) as `s`.
use crate::supplier::follow_up::{OVERDUE_SQL, UNDER_REVIEW_SQL as REVIEWED};

/// Joins each assessment (`a`) with its supplier (`s`).
const LATEST_OF: &str = "assessment a JOIN supplier s ON s.id = a.supplier_id";
use crate::supplier::latest_assessment_sql as latest_assessment_of;

/// The number of suppliers, by tier and by status: two counts over the
/// tier and status indexes, no row read.
struct Counts {
    suppliers: u32,
    by_tier: TierCounts,
    by_status: Vec<StatusCount>,
}

impl Counts {
    fn read(conn: &Connection) -> Result<Counts> {
        let mut by_tier = TierCounts::default();
        let mut suppliers = 0;
        {
            let mut statement =
                conn.prepare_cached("SELECT tier, count(*) FROM supplier GROUP BY tier")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let (tier, count): (Tier, u32) = (row.get(0)?, row.get(1)?);
                suppliers += count;
                match tier {
                    Tier::Critical => by_tier.critical += count,
                    Tier::Essential => by_tier.essential += count,
                    Tier::Standard => by_tier.standard += count,
                }
            }
        }
        let statuses: BTreeMap<SupplierStatus, u32> = conn
            .prepare_cached("SELECT status, count(*) FROM supplier GROUP BY status")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Counts {
            suppliers,
            by_tier,
            by_status: statuses
                .into_iter()
                .map(|(status, count)| StatusCount { status, count })
                .collect(),
        })
    }
}

/// The services the risk picture shows (`sa`), with their suppliers (`s`):
/// those of the latest assessment of each supplier not offboarded.
fn pictured() -> String {
    format!(
        "supplier s
         JOIN assessment a ON a.rowid = {}
         JOIN service_assessment sa ON sa.assessment_id = a.id
         WHERE s.status <> 'offboarded'",
        latest_assessment_of("s.id")
    )
}

/// Every service of one heat-map cell (the overview lists the first
/// [`CELL_SAMPLE`]), by supplier and service name.
pub fn heat_cell(db: &Db, likelihood: u8, impact: u8) -> Result<Vec<OverviewService>> {
    db.read(|conn| {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.id, s.legal_name, (SELECT v.name FROM service v WHERE v.id = sa.service_id) AS name
             FROM {} AND sa.residual_likelihood = ?1 AND sa.residual_impact = ?2
             ORDER BY s.sort_key, s.id, name",
            pictured()
        ))?;
        let mut rows = statement.query([likelihood, impact])?;
        let mut services = Vec::new();
        while let Some(row) = rows.next()? {
            services.push(OverviewService {
                supplier_id: SupplierId(
                    Uuid::parse_str(row.get_ref(0)?.as_str()?)
                        .map_err(|e| crate::Error::Internal(e.to_string()))?,
                ),
                supplier: row.get(1)?,
                service: row.get(2)?,
            });
        }
        Ok(services)
    })
}

/// The risk level of every service in the latest assessments, and the
/// heat map: where each service's highest residual risk sits.
type Risk = (Vec<LevelCount>, Vec<HeatCell>);

/// The services of the latest assessment of each supplier not offboarded,
/// with their risk level and the cell of their highest residual risk, by
/// supplier. Both are kept beside each service assessment's JSON (schema
/// version 6), so this reads indexes rather than every assessment's risks.
#[derive(Default)]
struct Picture {
    /// By the supplier's sort key and id: the heat map's order.
    suppliers: BTreeMap<(String, SupplierId), Pictured>,
    /// Each supplier's sort key, by id.
    sort_keys: HashMap<SupplierId, String>,
}

/// One supplier's services in the risk picture.
struct Pictured {
    id: SupplierId,
    name: String,
    services: Vec<PicturedService>,
}

struct PicturedService {
    id: String,
    level: Option<RiskBand>,
    cell: Option<(u8, u8)>,
    /// Read when the service joins the sample of its cell.
    name: Option<String>,
}

impl Picture {
    /// The picture of the suppliers `only` names (a JSON list of ids), or
    /// of every supplier.
    fn read(conn: &Connection, only: Option<&str>) -> Result<Picture> {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT s.sort_key, s.id, s.legal_name, sa.service_id, sa.risk_level,
                    sa.residual_likelihood, sa.residual_impact
             FROM {} AND {}",
            pictured(),
            match only {
                Some(_) => "s.id IN (SELECT value FROM json_each(CAST(?1 AS TEXT)))",
                None => "CAST(?1 AS TEXT) IS NULL",
            }
        ))?;
        let mut rows = statement.query([only])?;
        // Each supplier's services come one after the other: a supplier is
        // looked up by its sort key once, not once per service.
        let mut read: Vec<(String, Pictured)> = Vec::new();
        while let Some(row) = rows.next()? {
            let id = SupplierId(
                Uuid::parse_str(row.get_ref(1)?.as_str()?)
                    .map_err(|e| crate::Error::Internal(e.to_string()))?,
            );
            if read.last().is_none_or(|(_, last)| last.id != id) {
                read.push((
                    row.get(0)?,
                    Pictured {
                        id,
                        name: row.get(2)?,
                        services: Vec::new(),
                    },
                ));
            }
            let cell = match (row.get::<_, Option<u8>>(5)?, row.get::<_, Option<u8>>(6)?) {
                (Some(likelihood), Some(impact)) => Some((likelihood, impact)),
                _ => None,
            };
            let level = row.get_ref(4)?.as_str_or_null()?.and_then(RiskBand::parse);
            if let Some((_, pictured)) = read.last_mut() {
                pictured.services.push(PicturedService {
                    id: row.get(3)?,
                    level,
                    cell,
                    name: None,
                });
            }
        }
        let mut picture = Picture::default();
        for (sort_key, pictured) in read {
            picture.sort_keys.insert(pictured.id, sort_key.clone());
            match picture.suppliers.entry((sort_key, pictured.id)) {
                std::collections::btree_map::Entry::Occupied(mut entry) => {
                    entry.get_mut().services.extend(pictured.services)
                }
                std::collections::btree_map::Entry::Vacant(entry) => {
                    entry.insert(pictured);
                }
            }
        }
        Ok(picture)
    }

    /// The picture with the suppliers `changed` (ids) as `read` has them.
    fn replace(&mut self, changed: &[SupplierId], read: Picture) {
        for id in changed {
            if let Some(sort_key) = self.sort_keys.remove(id) {
                self.suppliers.remove(&(sort_key, *id));
            }
        }
        self.sort_keys.extend(read.sort_keys);
        self.suppliers.extend(read.suppliers);
    }

    /// The level counts and the heat map, each cell with the first
    /// [`CELL_SAMPLE`] of its services in [`heat_cell`]'s order (supplier,
    /// then service name). A service's name is read only when it can join
    /// the sample of its cell.
    fn risk(&mut self, conn: &Connection) -> Result<Risk> {
        let mut levels: BTreeMap<RiskBand, u32> = BTreeMap::new();
        let mut cells: BTreeMap<(u8, u8), HeatCell> = BTreeMap::new();
        let mut name_of = conn.prepare_cached("SELECT name FROM service WHERE id = ?1")?;
        for pictured in self.suppliers.values_mut() {
            let mut with_room: Vec<(u8, u8)> = Vec::new();
            for service in &pictured.services {
                if let Some(level) = service.level {
                    *levels.entry(level).or_default() += 1;
                }
                let Some((likelihood, impact)) = service.cell else {
                    continue;
                };
                let cell = cells
                    .entry((likelihood, impact))
                    .or_insert_with(|| HeatCell {
                        likelihood,
                        impact,
                        count: 0,
                        services: Vec::new(),
                    });
                cell.count += 1;
                if cell.services.len() < CELL_SAMPLE && !with_room.contains(&(likelihood, impact)) {
                    with_room.push((likelihood, impact));
                }
            }
            for at in with_room {
                let mut here: Vec<&mut PicturedService> = pictured
                    .services
                    .iter_mut()
                    .filter(|service| service.cell == Some(at))
                    .collect();
                for service in here.iter_mut() {
                    if service.name.is_none() {
                        service.name = Some(name_of.query_row([&service.id], |r| r.get(0))?);
                    }
                }
                here.sort_by(|a, b| a.name.cmp(&b.name));
                let Some(cell) = cells.get_mut(&at) else {
                    continue;
                };
                for service in here {
                    if cell.services.len() >= CELL_SAMPLE {
                        break;
                    }
                    cell.services.push(OverviewService {
                        supplier_id: pictured.id,
                        supplier: pictured.name.clone(),
                        service: service.name.clone().unwrap_or_default(),
                    });
                }
            }
        }
        Ok((
            levels
                .into_iter()
                .map(|(level, count)| LevelCount { level, count })
                .collect(),
            cells.into_values().collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list is ordered by its date, then by the supplier's name as sorted
    /// (not by its id), then by the row's place among the supplier's rows;
    /// the count covers every item, not only the first.
    #[test]
    fn a_list_is_ordered_by_date_then_name_then_place_and_counts_every_item() {
        let listed = |rank: &str, sort_key: &str, id: u128, position: usize| Listed {
            rank: Some(rank.into()),
            sort_key: sort_key.into(),
            position,
            item: OverviewItem {
                supplier_id: SupplierId(Uuid::from_u128(id)),
                supplier: sort_key.into(),
                tier: Tier::Standard,
                date: None,
                detail: position.to_string(),
                assessment_id: None,
                evidence_kind: None,
                detail_said: None,
            },
        };
        let mut parts: HashMap<SupplierId, Vec<Listed>> = HashMap::new();
        for (rank, sort_key, id, position) in [
            ("2026-05-01", "beta", 1, 0),
            ("2026-05-01", "alfa", 9, 1),
            ("2026-05-01", "alfa", 9, 0),
            ("2026-04-01", "gamma", 3, 0),
            ("2026-05-01", "alfa", 12, 0),
            ("2026-06-01", "aaa", 2, 0),
        ] {
            parts
                .entry(SupplierId(Uuid::from_u128(id)))
                .or_default()
                .push(listed(rank, sort_key, id, position));
        }
        let shown = |list: &Attention| -> Vec<(String, String)> {
            list.items
                .iter()
                .map(|item| (item.supplier.clone(), item.detail.clone()))
                .collect()
        };
        let pair = |name: &str, place: &str| (name.to_owned(), place.to_owned());
        let list = first(&parts, 4);
        assert_eq!(list.count, 6);
        assert_eq!(
            shown(&list),
            [
                pair("gamma", "0"),
                pair("alfa", "0"),
                pair("alfa", "1"),
                pair("alfa", "0")
            ]
        );
        assert_eq!(list.items[3].supplier_id, SupplierId(Uuid::from_u128(12)));
        assert_eq!(shown(&first(&parts, 100)).len(), 6);
        assert_eq!(first(&parts, 0).count, 6);
        assert!(first(&parts, 0).items.is_empty());
    }
}
