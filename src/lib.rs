//! styrdok: IT-security governance documents, kept as Markdown in git,
//! turned into a checked, versioned static intranet site.
//!
//! The pipeline, one module per stage:
//! [`load`] -> [`resolve`] -> [`validate`] -> [`history`] -> [`render`] ->
//! [`versions`] -> [`write`]; [`pipeline`] composes them for `check`,
//! `build` and `serve`, and is the place to read what a build does.

pub mod adoption;
pub mod attachments;
pub mod cli;
pub mod codes;
pub mod config;
pub mod diagnostic;
pub mod git;
pub mod history;
pub mod i18n;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod platform;
pub mod redline;
pub mod render;
pub mod report;
pub mod resolve;
pub mod review;
pub mod sanitize;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;
pub mod text;
pub mod theme;
pub mod validate;
pub mod versions;
pub mod write;
