//! `styrdok review`: the stages of a build for the head of a change (the
//! work tree, or a revision), with the base read from git and compared,
//! written as a review site into its own directory.

use super::{
    begin_write, check_adoption, history, load_and_check, render_with, versions, Built, Checked,
    Observer, Project, Purpose, RunError,
};
use crate::output::Failure;
use crate::review::{self, Review};

/// What to review: the base revision (default the main branch) and the
/// head (default the work tree).
pub struct Change<'a> {
    /// `--base`.
    pub base: Option<&'a str>,
    /// `--head`.
    pub head: Option<&'a str>,
}

/// The head of a change, checked: the work tree (with what git says of
/// its adoption) or a revision read from git. Notes on the way go to
/// `observer`.
pub(super) fn head(
    project: &Project,
    spec: Option<&str>,
    observer: &mut dyn Observer,
) -> Result<Checked, RunError> {
    match spec {
        Some(spec) => Ok(review::load_revision(project, Some(spec))?.checked),
        None => {
            let mut checked = load_and_check(project, Purpose::Build)?;
            if let Some(note) = check_adoption(project, &mut checked) {
                observer.note(&note);
            }
            Ok(checked)
        }
    }
}

/// Builds the review site of `change` into the project's output directory
/// (the caller points it at `output-review/`). The head's problems are
/// printed but do not stop it: a reviewer needs to see them. Returns the
/// review too, for the caller's summary.
pub fn review(
    project: &Project,
    change: &Change<'_>,
    observer: &mut dyn Observer,
) -> Result<(Built, Option<Review>), RunError> {
    let base = review::load_revision(project, change.base)?;
    observer.lap("read the base");
    let checked = head(project, change.head, observer)?;
    observer.checked(&checked)?;
    observer.lap("check");
    // Without its configuration the head cannot be read as it is meant:
    // every document would look removed.
    if project.config_error.is_some() && change.head.is_none() {
        return Ok((Built::Stopped, None));
    }
    let policy = checked.config.publish.policy();
    let review = review::compare(&base, &checked, change.head, policy);
    // History is read up to the work tree: a review of another revision
    // has no history pages rather than the wrong ones.
    let (history, notes) = match change.head {
        None => history(project, &checked),
        Some(_) => (None, Vec::new()),
    };
    if !notes.is_empty() {
        observer.notes(&checked, &notes, true)?;
    }
    observer.lap("history");
    let staging = begin_write(project)?;
    let rendered = render_with(
        project,
        &checked,
        history.as_ref(),
        None,
        Some(&review),
        &staging,
    )
    .and_then(|()| versions(project, &checked, None, true, &mut |_| {}, &staging));
    match rendered {
        Ok(_) => {}
        Err(Failure::Site(d)) => {
            observer.notes(&checked, &[d], true)?;
            return Ok((Built::Stopped, Some(review)));
        }
        Err(Failure::Write(e)) => return Err(RunError(e.to_string())),
    }
    observer.lap("render and write pages");
    let count = staging.count();
    staging.commit().map_err(|e| RunError(e.to_string()))?;
    Ok((Built::Written(count), Some(review)))
}
