//! Who may do what (DOMAIN, "The people"): the roles, the permission every
//! write needs, and the user as signed in. Every layer names these (the
//! store checks the permission of each write), so they live in the kernel;
//! the users themselves are kept by `approval`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

crate::ids::text_enum! {
    /// What a user may do (DOMAIN, "The people"). A user may hold several.
    Role {
        /// Registers suppliers and runs assessments.
        #[default]
        ProcurementOfficer = "procurement_officer",
        /// Approves critical suppliers and resolves escalations.
        Management = "management",
        /// Manages users and rule sets.
        Administrator = "administrator",
        /// Reads everything and exports.
        Auditor = "auditor",
    }
}

crate::ids::id_type! {
    /// The id of a user.
    UserId;
}

/// A user as shown and as signed in (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub created_at: String,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether one of the user's roles grants `permission`.
    pub fn may(&self, permission: Permission) -> bool {
        permission.roles().iter().any(|role| self.has(*role))
    }

    /// Every permission the user's roles grant.
    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.may(*p))
            .collect()
    }
}

/// What an operation needs. The roles allowed for each are decided here
/// and nowhere else; the window is told which the signed-in user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Register and change suppliers, services, subcontractors, evidence; import.
    EditRegister,
    /// Start, fill in and submit assessments.
    Assess,
    /// Decide on an assessment (who exactly may is decided per assessment).
    Decide,
    /// Resolve an escalated step 1.
    ResolveEscalation,
    /// Reopen a decided assessment, voiding its decision.
    Reopen,
    /// Record deviations, SLA fulfilment and contract renewals.
    FollowUp,
    /// Create and change users.
    ManageUsers,
    /// Save a new rule-set version.
    EditRules,
    /// Export files and reports (recorded in the trail).
    Export,
    /// Change one's own preferences (language).
    Preferences,
    /// Back up the database, or replace it with a backup.
    ManageDatabase,
    /// Describe the organisation that uses Tillit (name, identifiers, country).
    ManageOrganisation,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 12] = [
        Permission::EditRegister,
        Permission::Assess,
        Permission::Decide,
        Permission::ResolveEscalation,
        Permission::Reopen,
        Permission::FollowUp,
        Permission::ManageUsers,
        Permission::EditRules,
        Permission::Export,
        Permission::Preferences,
        Permission::ManageDatabase,
        Permission::ManageOrganisation,
    ];

    /// The roles that may do this.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::EditRegister | Permission::Assess => &[ProcurementOfficer],
            Permission::Decide | Permission::Reopen => &[ProcurementOfficer, Management],
            Permission::ResolveEscalation => &[Management],
            Permission::FollowUp => &[ProcurementOfficer, Management],
            Permission::ManageUsers
            | Permission::EditRules
            | Permission::ManageDatabase
            | Permission::ManageOrganisation => &[Administrator],
            Permission::Export | Permission::Preferences => {
                &[ProcurementOfficer, Management, Administrator, Auditor]
            }
        }
    }

    /// What the permission allows, in words ("may not …").
    pub fn describe(self) -> &'static str {
        match self {
            Permission::EditRegister => "change the supplier register",
            Permission::Assess => "make assessments",
            Permission::Decide => "decide on assessments",
            Permission::ResolveEscalation => "resolve escalations",
            Permission::Reopen => "reopen decided assessments",
            Permission::FollowUp => "record follow-up",
            Permission::ManageUsers => "manage users",
            Permission::EditRules => "change the rule set",
            Permission::Export => "export",
            Permission::Preferences => "change preferences",
            Permission::ManageDatabase => "back up or restore the database",
            Permission::ManageOrganisation => "describe the organisation",
        }
    }
}
