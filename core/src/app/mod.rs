//! The core's front door: the services the shell and the command line call. A service gathers
//! values from the store, applies the domain's rules, hands documents to the renderer and the
//! signer, and words what needs words; the store below it only stores.
//!
//! Nothing in the core imports `app`; `app` may import every other module.

pub mod backup;
pub mod categories;
pub mod contingency;
pub mod corrective;
pub mod documents;
pub mod drills;
pub mod followup;
pub mod incidents;
pub mod inspection;
pub mod people;
pub mod sample;
pub mod signing;
pub mod training;
