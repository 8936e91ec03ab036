//! The documented limits of a disruption run, checked before anything is allocated, so that no
//! scenario or flag can make osa allocate more than its memory budget (ARCHITECTURE.md, "Limits and
//! guarantees"). Each refusal names the limit and what to change.

use crate::error::Error;

/// Largest week number a shock may start at, last for, or a horizon may reach: 100 years.
pub const MAX_WEEKS: u32 = 5_200;

/// Most Monte Carlo draws of one run.
pub const MAX_DRAWS: usize = 1_000_000;

/// Most cells (affected inputs × weeks) of a weekly profile. A weekly run holds about four
/// such matrices of 8-byte numbers and prints one: 16 million cells stay under 600 MB.
pub const MAX_WEEKLY_CELLS: usize = 16_000_000;

/// Most sectors of an input-output table (the models hold a few dense n × n matrices).
pub const MAX_SECTORS: usize = 2_000;

/// Most threads of a run (`--threads`): the output does not depend on the number, and each
/// thread holds its own block of the Monte Carlo.
pub const MAX_THREADS: usize = 256;

/// Checks a number of threads.
pub fn check_threads(threads: usize) -> Result<(), Error> {
    if threads > MAX_THREADS {
        return Err(Error::TooLarge(format!(
            "--threads {threads} is beyond the limit of {MAX_THREADS}; the output is the same with any number"
        )));
    }
    Ok(())
}

/// Checks a number of weeks (`what` names it, e.g. "--weeks" or "shock `X`: start week").
pub fn check_weeks(what: &str, weeks: u32) -> Result<(), Error> {
    if weeks > MAX_WEEKS {
        return Err(Error::TooLarge(format!(
            "{what} {weeks} is beyond the limit of {MAX_WEEKS} weeks (100 years)"
        )));
    }
    Ok(())
}

/// Checks a number of draws.
pub fn check_draws(draws: usize) -> Result<(), Error> {
    if draws > MAX_DRAWS {
        return Err(Error::TooLarge(format!(
            "--draws {draws} is beyond the limit of {MAX_DRAWS} draws; percentiles are stable long before"
        )));
    }
    Ok(())
}

/// Checks the size of a weekly profile of `nodes` affected inputs over `weeks` weeks.
pub fn check_weekly(nodes: usize, weeks: u32) -> Result<(), Error> {
    let cells = nodes.saturating_mul(weeks as usize);
    if cells > MAX_WEEKLY_CELLS {
        return Err(Error::TooLarge(format!(
            "a weekly profile of {nodes} affected inputs over {weeks} weeks has {cells} cells, beyond the limit of {MAX_WEEKLY_CELLS}; shorten the horizon (--weeks) or the shocks' durations, or shock fewer inputs"
        )));
    }
    Ok(())
}

/// Checks the number of sectors of an input-output table.
pub fn check_sectors(sectors: usize) -> Result<(), Error> {
    if sectors > MAX_SECTORS {
        return Err(Error::TooLarge(format!(
            "{sectors} sectors is beyond the limit of {MAX_SECTORS} sectors of an input-output table; aggregate sectors"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_refuse_beyond_and_accept_at() {
        assert!(check_weeks("--weeks", MAX_WEEKS).is_ok());
        let e = check_weeks("--weeks", 4_000_000_000)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--weeks 4000000000") && e.contains("5200"),
            "{e}"
        );
        assert!(check_draws(MAX_DRAWS).is_ok() && check_draws(MAX_DRAWS + 1).is_err());
        assert!(check_weekly(3_076, MAX_WEEKS).is_ok());
        assert!(check_weekly(usize::MAX, MAX_WEEKS).is_err());
        assert!(check_sectors(MAX_SECTORS).is_ok() && check_sectors(MAX_SECTORS + 1).is_err());
    }
}
