//! One module per subcommand (`main` dispatches to them).

pub mod actors;
pub mod assess;
pub mod audit;
pub mod baseline;
pub mod checklist;
pub mod chokepoints;
pub mod crm;
pub mod db;
pub mod diff;
pub mod ecosystem;
pub mod edit;
pub mod geopolrisk;
pub mod iomodel;
pub mod leverage;
pub mod matrix;
pub mod metrics;
pub mod release;
pub mod report;
pub mod scenario;
pub mod screen;
pub mod screen_panel;
pub mod serve;
pub mod simulate;
pub mod trade;
pub mod user;
