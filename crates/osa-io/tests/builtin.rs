//! The embedded data loads and says what the public record says.

use osa_io::builtin;
use osa_model::CountryCode;

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).expect("country code")
}

#[test]
fn eu_membership_follows_accessions_and_brexit() {
    let blocs = builtin::blocs().expect("blocs.toml is valid");
    let eu = blocs.get("EU27").expect("EU27");
    assert_eq!(eu.members_in(2019).len(), 28);
    assert_eq!(eu.members_in(2020).len(), 27);
    assert_eq!(eu.members_in(2012).len(), 27);
    assert!(!eu.contains(cc("HRV"), 2012));
    assert!(eu.contains(cc("HRV"), 2013));
    assert!(eu.contains(cc("GBR"), 2019));
    assert!(!eu.contains(cc("GBR"), 2020));
    assert_eq!(eu.members_in(1995).len(), 15);
    let nato = blocs.get("NATO").expect("NATO");
    assert!(nato.security);
    assert_eq!(nato.members_in(2024).len(), 32);
    assert!(!nato.contains(cc("SWE"), 2023));
}

#[test]
fn the_default_ecosystem_is_valid() {
    let c = builtin::ecosystem(builtin::DEFAULT_ECOSYSTEM).expect("semiconductors is valid");
    assert!(c.n_inputs() >= 30);
    for id in [
        "euv-lithography",
        "eda-software",
        "neon",
        "rare-earth-elements",
        "gallium",
        "advanced-packaging",
    ] {
        assert!(c.input_index(id).is_some(), "missing {id}");
    }
    // Every input and provision record carries a source.
    for inp in &c.ecosystem().inputs {
        assert!(!inp.sources.is_empty(), "{} has no source", inp.id);
        for p in &inp.provision {
            assert!(!p.source.is_empty(), "{} provision has no source", inp.id);
        }
    }
}
