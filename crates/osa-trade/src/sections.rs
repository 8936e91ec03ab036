//! The 21 sections of the Harmonized System by their Roman numerals, with their titles (the World
//! Customs Organization's nomenclature, shortened where the title runs on), so a section shows its
//! name wherever it appears even without the shared data's `hs_sections.csv`.

/// (numeral, title) of every HS section, in order.
pub const SECTIONS: [(&str, &str); 21] = [
    ("I", "Live animals; animal products"),
    ("II", "Vegetable products"),
    ("III", "Animal or vegetable fats and oils"),
    (
        "IV",
        "Prepared foodstuffs; beverages, spirits and vinegar; tobacco",
    ),
    ("V", "Mineral products"),
    ("VI", "Products of the chemical or allied industries"),
    ("VII", "Plastics and rubber and articles thereof"),
    (
        "VIII",
        "Raw hides and skins, leather, furskins and articles thereof",
    ),
    ("IX", "Wood, cork and articles thereof; basketware"),
    (
        "X",
        "Pulp of wood; paper and paperboard and articles thereof",
    ),
    ("XI", "Textiles and textile articles"),
    ("XII", "Footwear, headgear, umbrellas and similar articles"),
    (
        "XIII",
        "Articles of stone, plaster, cement, ceramic products and glass",
    ),
    (
        "XIV",
        "Pearls, precious stones, precious metals and articles thereof",
    ),
    ("XV", "Base metals and articles of base metal"),
    (
        "XVI",
        "Machinery and mechanical appliances; electrical equipment",
    ),
    (
        "XVII",
        "Vehicles, aircraft, vessels and transport equipment",
    ),
    (
        "XVIII",
        "Optical, photographic, measuring, medical instruments; clocks; musical instruments",
    ),
    ("XIX", "Arms and ammunition"),
    ("XX", "Miscellaneous manufactured articles"),
    ("XXI", "Works of art, collectors' pieces and antiques"),
];

/// A section's title from its numeral (`XV` -> `Base metals and articles of base metal`).
pub fn section_name(numeral: &str) -> Option<&'static str> {
    let n = numeral.trim();
    SECTIONS.iter().find(|(k, _)| *k == n).map(|(_, t)| *t)
}

/// A section in words: `XV Base metals and articles of base metal`, or the numeral alone when it
/// is not one of the 21.
pub fn section_words(numeral: &str) -> String {
    match section_name(numeral) {
        Some(t) => format!("{numeral} {t}"),
        None => numeral.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_its_title() {
        assert_eq!(
            section_name("XV"),
            Some("Base metals and articles of base metal")
        );
        assert_eq!(
            section_words("XVI"),
            "XVI Machinery and mechanical appliances; electrical equipment"
        );
        assert_eq!(section_words("XXII"), "XXII");
        assert_eq!(SECTIONS.len(), 21);
    }
}
