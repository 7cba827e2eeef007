//! People and sign-off (DOMAIN §7): users and roles, the permission of every
//! write (checked in the core, against the roles as stored), and decisions
//! on assessments: management approval with the approver's password and a
//! fingerprint of what was approved, which any later change voids.

mod conditions;
mod decision;
mod users;

pub use conditions::{close_condition, CloseConditionInput};
pub use decision::{
    decide, fingerprint, reopen, submit, withdraw, ApprovalId, ApprovalRecord, Capacity, Condition,
    ConditionClosure, ConditionInput, Decision, DecisionInput, ReopenInput, MAX_CONDITIONS,
};
pub(crate) use decision::{decide_in, submit_in};
pub(crate) use users::record_person;
pub use users::{
    authorise, confirm, create, create_first_administrator, get, list, reset_password, session,
    sign_in, sign_out, unknown_name, update, NewUser, Permission, Role, Session, User, UserChange,
    UserId, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH,
};
