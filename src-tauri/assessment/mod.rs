//! The two-step assessment (DOMAIN §3–§5): step 1 rates the supplier
//! organisation, step 2 rates each service's risks (ISO 31000 likelihood ×
//! impact), and the contract requirements follow the service's risk level.
//! Every outcome is computed here from the inputs and a rule set, with its
//! reasons; nobody types an outcome.

pub mod certification;
pub mod decisions;
mod import;
pub mod requirements;
pub mod risk;
mod sentences;
pub mod step1;
mod store;
mod summary;
mod types;
pub mod workflow;
pub mod worklist;
