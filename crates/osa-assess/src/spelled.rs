//! Enums whose variants have one spelling in files, JSON, CLI and UI: [`spelled!`] writes the enum,
//! its list of (variant, spelling), `as_str`, `parse` and `Display` from one table.

/// Declares an enum with the spelling of each variant.
macro_rules! spelled {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $spelling:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant with its spelling, in declaration order.
            pub const ALL: &'static [($name, &'static str)] = &[ $( ($name::$variant, $spelling) ),+ ];

            /// The spelling used in files, JSON, CLI and UI.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $spelling ),+
                }
            }

            /// Parses the spelling.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $( $spelling => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// The spellings, comma-separated (for error messages).
            pub fn spellings() -> String {
                $name::ALL.iter().map(|(_, s)| *s).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use spelled;
