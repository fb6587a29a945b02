//! P-3: the ISO 4217 alphabetic codes, checked in.
//!
//! SOURCE AND DATE OF THE DATA
//!
//! * [`ACTIVE`] is ISO 4217 List One ("current currency & funds"), as published by the ISO 4217
//!   maintenance agency (SIX Financial Information) in the edition dated 2024-06-25 (the
//!   `Pblshd` attribute of `list-one.xml`; it already carries ZWG and no longer carries SLL,
//!   HRK or ZWL), brought up to 2026-01-01 with two changes in force since then:
//!   - XCG, Caribbean Guilder, numeric 532, 2 minor units, replaced ANG for Curaçao and Sint
//!     Maarten on 2025-03-31 (ANG moved to List Three with withdrawal date 2025-03);
//!   - Bulgaria adopted the euro on 2026-01-01, so BGN is recorded as withdrawn (2026-01) with
//!     successor EUR. This entry is the project's own reading of that changeover; it was not
//!     taken from a published List Three.
//!
//!   One row per code (List One repeats a code for every country that uses it); the name is
//!   the list's English currency name; `None` minor units stands for the list's "N.A."
//!   (precious metals, bond market units, SDR, XSU, XUA, XTS, XXX).
//! * [`WITHDRAWN`] is ISO 4217 List Three ("historic denominations"), as published by the same
//!   agency in its 2025 edition (it records ANG withdrawn 2025-03, ZWL 2024-09, SLL 2023-12),
//!   plus BGN as said above. One row per code: where List Three has several rows for a code
//!   (FRF for each French territory, HRK, VEF, ZWD, RUR for each former Soviet republic) the
//!   latest withdrawal date is kept. Codes that List Three records but that are in List One
//!   again or still (CUC, EUR, IDR, MWK, PEN, RON, SDG, SZL, TRY: name changes or an entity
//!   leaving) are left out here, because an active code is active (P-3: "Active wins").
//!   `successor` is not part of List Three: it is the project's note of the code now in use
//!   where the replacement is unambiguous (e.g. FRF -> EUR, AOK -> AOA through AON and AOR),
//!   and `None` where a currency split between several successors (SUR, CSK, the Yugoslav
//!   dinars) or was a fund or unit of account with no successor.
//!
//! Both tables are sorted by code (a unit test checks it) and searched by binary search.

/// A row of List One.
pub(crate) struct Active {
    pub(crate) code: &'static str,
    pub(crate) numeric: u16,
    /// Digits of the minor unit; `None` for "N.A.".
    pub(crate) minor_units: Option<u8>,
    pub(crate) name: &'static str,
}

/// A row of List Three.
pub(crate) struct Withdrawn {
    pub(crate) code: &'static str,
    pub(crate) numeric: Option<u16>,
    pub(crate) name: &'static str,
    /// As List Three writes it: `YYYY-MM`, or a range such as `1989 to 1990`.
    pub(crate) date: &'static str,
    pub(crate) successor: Option<&'static str>,
}

const fn a(code: &'static str, numeric: u16, minor: i8, name: &'static str) -> Active {
    Active {
        code,
        numeric,
        minor_units: if minor < 0 {
            None
        } else {
            Some(minor.unsigned_abs())
        },
        name,
    }
}

const fn w(
    code: &'static str,
    numeric: u16,
    name: &'static str,
    date: &'static str,
    successor: &'static str,
) -> Withdrawn {
    Withdrawn {
        code,
        numeric: if numeric == 0 { None } else { Some(numeric) },
        name,
        date,
        successor: if successor.is_empty() {
            None
        } else {
            Some(successor)
        },
    }
}

/// "N.A." minor units.
const NA: i8 = -1;

/// ISO 4217 List One, one row per code, sorted by code. See the module documentation.
pub(crate) const ACTIVE: &[Active] = &[
    a("AED", 784, 2, "UAE Dirham"),
    a("AFN", 971, 2, "Afghani"),
    a("ALL", 8, 2, "Lek"),
    a("AMD", 51, 2, "Armenian Dram"),
    a("AOA", 973, 2, "Kwanza"),
    a("ARS", 32, 2, "Argentine Peso"),
    a("AUD", 36, 2, "Australian Dollar"),
    a("AWG", 533, 2, "Aruban Florin"),
    a("AZN", 944, 2, "Azerbaijan Manat"),
    a("BAM", 977, 2, "Convertible Mark"),
    a("BBD", 52, 2, "Barbados Dollar"),
    a("BDT", 50, 2, "Taka"),
    a("BHD", 48, 3, "Bahraini Dinar"),
    a("BIF", 108, 0, "Burundi Franc"),
    a("BMD", 60, 2, "Bermudian Dollar"),
    a("BND", 96, 2, "Brunei Dollar"),
    a("BOB", 68, 2, "Boliviano"),
    a("BOV", 984, 2, "Mvdol"),
    a("BRL", 986, 2, "Brazilian Real"),
    a("BSD", 44, 2, "Bahamian Dollar"),
    a("BTN", 64, 2, "Ngultrum"),
    a("BWP", 72, 2, "Pula"),
    a("BYN", 933, 2, "Belarusian Ruble"),
    a("BZD", 84, 2, "Belize Dollar"),
    a("CAD", 124, 2, "Canadian Dollar"),
    a("CDF", 976, 2, "Congolese Franc"),
    a("CHE", 947, 2, "WIR Euro"),
    a("CHF", 756, 2, "Swiss Franc"),
    a("CHW", 948, 2, "WIR Franc"),
    a("CLF", 990, 4, "Unidad de Fomento"),
    a("CLP", 152, 0, "Chilean Peso"),
    a("CNY", 156, 2, "Yuan Renminbi"),
    a("COP", 170, 2, "Colombian Peso"),
    a("COU", 970, 2, "Unidad de Valor Real"),
    a("CRC", 188, 2, "Costa Rican Colon"),
    a("CUC", 931, 2, "Peso Convertible"),
    a("CUP", 192, 2, "Cuban Peso"),
    a("CVE", 132, 2, "Cabo Verde Escudo"),
    a("CZK", 203, 2, "Czech Koruna"),
    a("DJF", 262, 0, "Djibouti Franc"),
    a("DKK", 208, 2, "Danish Krone"),
    a("DOP", 214, 2, "Dominican Peso"),
    a("DZD", 12, 2, "Algerian Dinar"),
    a("EGP", 818, 2, "Egyptian Pound"),
    a("ERN", 232, 2, "Nakfa"),
    a("ETB", 230, 2, "Ethiopian Birr"),
    a("EUR", 978, 2, "Euro"),
    a("FJD", 242, 2, "Fiji Dollar"),
    a("FKP", 238, 2, "Falkland Islands Pound"),
    a("GBP", 826, 2, "Pound Sterling"),
    a("GEL", 981, 2, "Lari"),
    a("GHS", 936, 2, "Ghana Cedi"),
    a("GIP", 292, 2, "Gibraltar Pound"),
    a("GMD", 270, 2, "Dalasi"),
    a("GNF", 324, 0, "Guinean Franc"),
    a("GTQ", 320, 2, "Quetzal"),
    a("GYD", 328, 2, "Guyana Dollar"),
    a("HKD", 344, 2, "Hong Kong Dollar"),
    a("HNL", 340, 2, "Lempira"),
    a("HTG", 332, 2, "Gourde"),
    a("HUF", 348, 2, "Forint"),
    a("IDR", 360, 2, "Rupiah"),
    a("ILS", 376, 2, "New Israeli Sheqel"),
    a("INR", 356, 2, "Indian Rupee"),
    a("IQD", 368, 3, "Iraqi Dinar"),
    a("IRR", 364, 2, "Iranian Rial"),
    a("ISK", 352, 0, "Iceland Krona"),
    a("JMD", 388, 2, "Jamaican Dollar"),
    a("JOD", 400, 3, "Jordanian Dinar"),
    a("JPY", 392, 0, "Yen"),
    a("KES", 404, 2, "Kenyan Shilling"),
    a("KGS", 417, 2, "Som"),
    a("KHR", 116, 2, "Riel"),
    a("KMF", 174, 0, "Comorian Franc"),
    a("KPW", 408, 2, "North Korean Won"),
    a("KRW", 410, 0, "Won"),
    a("KWD", 414, 3, "Kuwaiti Dinar"),
    a("KYD", 136, 2, "Cayman Islands Dollar"),
    a("KZT", 398, 2, "Tenge"),
    a("LAK", 418, 2, "Lao Kip"),
    a("LBP", 422, 2, "Lebanese Pound"),
    a("LKR", 144, 2, "Sri Lanka Rupee"),
    a("LRD", 430, 2, "Liberian Dollar"),
    a("LSL", 426, 2, "Loti"),
    a("LYD", 434, 3, "Libyan Dinar"),
    a("MAD", 504, 2, "Moroccan Dirham"),
    a("MDL", 498, 2, "Moldovan Leu"),
    a("MGA", 969, 2, "Malagasy Ariary"),
    a("MKD", 807, 2, "Denar"),
    a("MMK", 104, 2, "Kyat"),
    a("MNT", 496, 2, "Tugrik"),
    a("MOP", 446, 2, "Pataca"),
    a("MRU", 929, 2, "Ouguiya"),
    a("MUR", 480, 2, "Mauritius Rupee"),
    a("MVR", 462, 2, "Rufiyaa"),
    a("MWK", 454, 2, "Malawi Kwacha"),
    a("MXN", 484, 2, "Mexican Peso"),
    a("MXV", 979, 2, "Mexican Unidad de Inversion (UDI)"),
    a("MYR", 458, 2, "Malaysian Ringgit"),
    a("MZN", 943, 2, "Mozambique Metical"),
    a("NAD", 516, 2, "Namibia Dollar"),
    a("NGN", 566, 2, "Naira"),
    a("NIO", 558, 2, "Cordoba Oro"),
    a("NOK", 578, 2, "Norwegian Krone"),
    a("NPR", 524, 2, "Nepalese Rupee"),
    a("NZD", 554, 2, "New Zealand Dollar"),
    a("OMR", 512, 3, "Rial Omani"),
    a("PAB", 590, 2, "Balboa"),
    a("PEN", 604, 2, "Sol"),
    a("PGK", 598, 2, "Kina"),
    a("PHP", 608, 2, "Philippine Peso"),
    a("PKR", 586, 2, "Pakistan Rupee"),
    a("PLN", 985, 2, "Zloty"),
    a("PYG", 600, 0, "Guarani"),
    a("QAR", 634, 2, "Qatari Rial"),
    a("RON", 946, 2, "Romanian Leu"),
    a("RSD", 941, 2, "Serbian Dinar"),
    a("RUB", 643, 2, "Russian Ruble"),
    a("RWF", 646, 0, "Rwanda Franc"),
    a("SAR", 682, 2, "Saudi Riyal"),
    a("SBD", 90, 2, "Solomon Islands Dollar"),
    a("SCR", 690, 2, "Seychelles Rupee"),
    a("SDG", 938, 2, "Sudanese Pound"),
    a("SEK", 752, 2, "Swedish Krona"),
    a("SGD", 702, 2, "Singapore Dollar"),
    a("SHP", 654, 2, "Saint Helena Pound"),
    a("SLE", 925, 2, "Leone"),
    a("SOS", 706, 2, "Somali Shilling"),
    a("SRD", 968, 2, "Surinam Dollar"),
    a("SSP", 728, 2, "South Sudanese Pound"),
    a("STN", 930, 2, "Dobra"),
    a("SVC", 222, 2, "El Salvador Colon"),
    a("SYP", 760, 2, "Syrian Pound"),
    a("SZL", 748, 2, "Lilangeni"),
    a("THB", 764, 2, "Baht"),
    a("TJS", 972, 2, "Somoni"),
    a("TMT", 934, 2, "Turkmenistan New Manat"),
    a("TND", 788, 3, "Tunisian Dinar"),
    a("TOP", 776, 2, "Pa\u{2019}anga"),
    a("TRY", 949, 2, "Turkish Lira"),
    a("TTD", 780, 2, "Trinidad and Tobago Dollar"),
    a("TWD", 901, 2, "New Taiwan Dollar"),
    a("TZS", 834, 2, "Tanzanian Shilling"),
    a("UAH", 980, 2, "Hryvnia"),
    a("UGX", 800, 0, "Uganda Shilling"),
    a("USD", 840, 2, "US Dollar"),
    a("USN", 997, 2, "US Dollar (Next day)"),
    a("UYI", 940, 0, "Uruguay Peso en Unidades Indexadas (UI)"),
    a("UYU", 858, 2, "Peso Uruguayo"),
    a("UYW", 927, 4, "Unidad Previsional"),
    a("UZS", 860, 2, "Uzbekistan Sum"),
    a("VED", 926, 2, "Bol\u{ed}var Soberano"),
    a("VES", 928, 2, "Bol\u{ed}var Soberano"),
    a("VND", 704, 0, "Dong"),
    a("VUV", 548, 0, "Vatu"),
    a("WST", 882, 2, "Tala"),
    a("XAF", 950, 0, "CFA Franc BEAC"),
    a("XAG", 961, NA, "Silver"),
    a("XAU", 959, NA, "Gold"),
    a(
        "XBA",
        955,
        NA,
        "Bond Markets Unit European Composite Unit (EURCO)",
    ),
    a(
        "XBB",
        956,
        NA,
        "Bond Markets Unit European Monetary Unit (E.M.U.-6)",
    ),
    a(
        "XBC",
        957,
        NA,
        "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)",
    ),
    a(
        "XBD",
        958,
        NA,
        "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)",
    ),
    a("XCD", 951, 2, "East Caribbean Dollar"),
    a("XCG", 532, 2, "Caribbean Guilder"),
    a("XDR", 960, NA, "SDR (Special Drawing Right)"),
    a("XOF", 952, 0, "CFA Franc BCEAO"),
    a("XPD", 964, NA, "Palladium"),
    a("XPF", 953, 0, "CFP Franc"),
    a("XPT", 962, NA, "Platinum"),
    a("XSU", 994, NA, "Sucre"),
    a(
        "XTS",
        963,
        NA,
        "Codes specifically reserved for testing purposes",
    ),
    a("XUA", 965, NA, "ADB Unit of Account"),
    a(
        "XXX",
        999,
        NA,
        "The codes assigned for transactions where no currency is involved",
    ),
    a("YER", 886, 2, "Yemeni Rial"),
    a("ZAR", 710, 2, "Rand"),
    a("ZMW", 967, 2, "Zambian Kwacha"),
    a("ZWG", 924, 2, "Zimbabwe Gold"),
];

/// ISO 4217 List Three, one row per code, sorted by code. See the module documentation.
/// A numeric code of 0 and an empty successor stand for "none".
pub(crate) const WITHDRAWN: &[Withdrawn] = &[
    w("ADP", 20, "Andorran Peseta", "2003-07", "EUR"),
    w("AFA", 4, "Afghani", "2003-01", "AFN"),
    w("ALK", 8, "Old Lek", "1989-12", "ALL"),
    w(
        "ANG",
        532,
        "Netherlands Antillean Guilder",
        "2025-03",
        "XCG",
    ),
    w("AOK", 24, "Kwanza", "1991-03", "AOA"),
    w("AON", 24, "New Kwanza", "2000-02", "AOA"),
    w("AOR", 982, "Kwanza Reajustado", "2000-02", "AOA"),
    w("ARA", 32, "Austral", "1992-01", "ARS"),
    w("ARP", 32, "Peso Argentino", "1985-07", "ARS"),
    w("ARY", 32, "Peso", "1989 to 1990", "ARS"),
    w("ATS", 40, "Schilling", "2002-03", "EUR"),
    w("AYM", 945, "Azerbaijan Manat", "2005-10", "AZN"),
    w("AZM", 31, "Azerbaijanian Manat", "2005-12", "AZN"),
    w("BAD", 70, "Dinar", "1998-07", "BAM"),
    w("BEC", 993, "Convertible Franc", "1990-03", "EUR"),
    w("BEF", 56, "Belgian Franc", "2002-03", "EUR"),
    w("BEL", 992, "Financial Franc", "1990-03", "EUR"),
    w("BGJ", 100, "Lev A/52", "1989 to 1990", "EUR"),
    w("BGK", 100, "Lev A/62", "1989 to 1990", "EUR"),
    w("BGL", 100, "Lev", "2003-11", "EUR"),
    w("BGN", 975, "Bulgarian Lev", "2026-01", "EUR"),
    w("BOP", 68, "Peso boliviano", "1987-02", "BOB"),
    w("BRB", 76, "Cruzeiro", "1986-03", "BRL"),
    w("BRC", 76, "Cruzado", "1989-02", "BRL"),
    w("BRE", 76, "Cruzeiro", "1993-03", "BRL"),
    w("BRN", 76, "New Cruzado", "1990-03", "BRL"),
    w("BRR", 987, "Cruzeiro Real", "1994-07", "BRL"),
    w("BUK", 104, "Kyat", "1990-02", "MMK"),
    w("BYB", 112, "Belarusian Ruble", "2001-01", "BYN"),
    w("BYR", 974, "Belarusian Ruble", "2017-01", "BYN"),
    w("CHC", 948, "WIR Franc (for electronic)", "2004-11", "CHW"),
    w("CSD", 891, "Serbian Dinar", "2006-10", "RSD"),
    w("CSJ", 203, "Krona A/53", "1989 to 1990", ""),
    w("CSK", 200, "Koruna", "1993-03", ""),
    w("CYP", 196, "Cyprus Pound", "2008-01", "EUR"),
    w("DDM", 278, "Mark der DDR", "1990-07 to 1990-09", "EUR"),
    w("DEM", 276, "Deutsche Mark", "2002-03", "EUR"),
    w("ECS", 218, "Sucre", "2000-09", "USD"),
    w("ECV", 983, "Unidad de Valor Constante (UVC)", "2000-09", ""),
    w("EEK", 233, "Kroon", "2011-01", "EUR"),
    w("ESA", 996, "Spanish Peseta", "1978 to 1981", "EUR"),
    w(
        "ESB",
        995,
        "'A' Account (convertible Peseta Account)",
        "1994-12",
        "EUR",
    ),
    w("ESP", 724, "Spanish Peseta", "2002-03", "EUR"),
    w("FIM", 246, "Markka", "2002-03", "EUR"),
    w("FRF", 250, "French Franc", "2002-03", "EUR"),
    w("GEK", 268, "Georgian Coupon", "1995-10", "GEL"),
    w("GHC", 288, "Cedi", "2008-01", "GHS"),
    w("GHP", 939, "Ghana Cedi", "2007-06", "GHS"),
    w("GNE", 324, "Syli", "1989-12", "GNF"),
    w("GNS", 324, "Syli", "1986-02", "GNF"),
    w("GQE", 226, "Ekwele", "1986-06", "XAF"),
    w("GRD", 300, "Drachma", "2002-03", "EUR"),
    w("GWE", 624, "Guinea Escudo", "1978 to 1981", "XOF"),
    w("GWP", 624, "Guinea-Bissau Peso", "1997-05", "XOF"),
    w("HRD", 191, "Croatian Dinar", "1995-01", "EUR"),
    w("HRK", 191, "Kuna", "2023-01", "EUR"),
    w("IEP", 372, "Irish Pound", "2002-03", "EUR"),
    w("ILP", 376, "Pound", "1978 to 1981", "ILS"),
    w("ILR", 376, "Old Shekel", "1989 to 1990", "ILS"),
    w("ISJ", 352, "Old Krona", "1989 to 1990", "ISK"),
    w("ITL", 380, "Italian Lira", "2002-03", "EUR"),
    w("LAJ", 418, "Pathet Lao Kip", "1979-12", "LAK"),
    w("LSM", 426, "Loti", "1985-05", "LSL"),
    w("LTL", 440, "Lithuanian Litas", "2014-12", "EUR"),
    w("LTT", 440, "Talonas", "1993-07", "EUR"),
    w("LUC", 989, "Luxembourg Convertible Franc", "1990-03", "EUR"),
    w("LUF", 442, "Luxembourg Franc", "2002-03", "EUR"),
    w("LUL", 988, "Luxembourg Financial Franc", "1990-03", "EUR"),
    w("LVL", 428, "Latvian Lats", "2014-01", "EUR"),
    w("LVR", 428, "Latvian Ruble", "1994-12", "EUR"),
    w("MGF", 450, "Malagasy Franc", "2004-12", "MGA"),
    w("MLF", 466, "Mali Franc", "1984-11", "XOF"),
    w("MRO", 478, "Ouguiya", "2017-12", "MRU"),
    w("MTL", 470, "Maltese Lira", "2008-01", "EUR"),
    w("MTP", 470, "Maltese Pound", "1983-06", "EUR"),
    w("MVQ", 462, "Maldive Rupee", "1989-12", "MVR"),
    w("MXP", 484, "Mexican Peso", "1993-01", "MXN"),
    w("MZE", 508, "Mozambique Escudo", "1978 to 1981", "MZN"),
    w("MZM", 508, "Mozambique Metical", "2006-06", "MZN"),
    w("NIC", 558, "Cordoba", "1990-10", "NIO"),
    w("NLG", 528, "Netherlands Guilder", "2002-03", "EUR"),
    w("PEH", 604, "Sol", "1989 to 1990", "PEN"),
    w("PEI", 604, "Inti", "1991-07", "PEN"),
    w("PES", 604, "Sol", "1986-02", "PEN"),
    w("PLZ", 616, "Zloty", "1997-01", "PLN"),
    w("PTE", 620, "Portuguese Escudo", "2002-03", "EUR"),
    w("RHD", 716, "Rhodesian Dollar", "1978 to 1981", "ZWG"),
    w("ROK", 642, "Leu A/52", "1989 to 1990", "RON"),
    w("ROL", 642, "Old Leu", "2005-06", "RON"),
    w("RUR", 810, "Russian Ruble", "2004-01", "RUB"),
    w("SDD", 736, "Sudanese Dinar", "2007-07", "SDG"),
    w("SDP", 736, "Sudanese Pound", "1998-06", "SDG"),
    w("SIT", 705, "Tolar", "2007-01", "EUR"),
    w("SKK", 703, "Slovak Koruna", "2009-01", "EUR"),
    w("SLL", 694, "Leone", "2023-12", "SLE"),
    w("SRG", 740, "Surinam Guilder", "2003-12", "SRD"),
    w("STD", 678, "Dobra", "2017-12", "STN"),
    w("SUR", 810, "Rouble", "1990-12", ""),
    w("TJR", 762, "Tajik Ruble", "2001-04", "TJS"),
    w("TMM", 795, "Turkmenistan Manat", "2009-01", "TMT"),
    w("TPE", 626, "Timor Escudo", "2002-11", "USD"),
    w("TRL", 792, "Old Turkish Lira", "2005-12", "TRY"),
    w("UAK", 804, "Karbovanet", "1996-09", "UAH"),
    w("UGS", 800, "Uganda Shilling", "1987-05", "UGX"),
    w("UGW", 800, "Old Shilling", "1989 to 1990", "UGX"),
    w("USS", 998, "US Dollar (Same day)", "2014-03", "USD"),
    w("UYN", 858, "Old Uruguay Peso", "1989-12", "UYU"),
    w("UYP", 858, "Uruguayan Peso", "1993-03", "UYU"),
    w("VEB", 862, "Bolivar", "2008-01", "VES"),
    w("VEF", 937, "Bol\u{ed}var", "2018-08", "VES"),
    w("VNC", 704, "Old Dong", "1989-1990", "VND"),
    w(
        "XEU",
        954,
        "European Currency Unit (E.C.U)",
        "1999-01",
        "EUR",
    ),
    w("XFO", 0, "Gold-Franc", "2006-10", ""),
    w("XFU", 0, "UIC-Franc", "2013-11", ""),
    w("XRE", 0, "RINET Funds Code", "1999-11", ""),
    w("YDD", 720, "Yemeni Dinar", "1991-09", "YER"),
    w("YUD", 890, "New Yugoslavian Dinar", "1990-01", ""),
    w("YUM", 891, "New Dinar", "2003-07", ""),
    w("YUN", 890, "Yugoslavian Dinar", "1995-11", ""),
    w("ZAL", 991, "Financial Rand", "1995-03", "ZAR"),
    w("ZMK", 894, "Zambian Kwacha", "2012-12", "ZMW"),
    w("ZRN", 180, "New Zaire", "1999-06", "CDF"),
    w("ZRZ", 180, "Zaire", "1994-02", "CDF"),
    w("ZWC", 716, "Rhodesian Dollar", "1989-12", "ZWG"),
    w("ZWD", 716, "Zimbabwe Dollar", "2008-08", "ZWG"),
    w("ZWL", 932, "Zimbabwe Dollar", "2024-09", "ZWG"),
    w("ZWN", 942, "Zimbabwe Dollar (new)", "2006-09", "ZWG"),
    w("ZWR", 935, "Zimbabwe Dollar", "2009-06", "ZWG"),
];

/// The List One row of `code`.
pub(crate) fn active(code: &str) -> Option<&'static Active> {
    ACTIVE
        .binary_search_by(|row| row.code.cmp(code))
        .ok()
        .and_then(|i| ACTIVE.get(i))
}

/// The List Three row of `code`.
pub(crate) fn withdrawn(code: &str) -> Option<&'static Withdrawn> {
    WITHDRAWN
        .binary_search_by(|row| row.code.cmp(code))
        .ok()
        .and_then(|i| WITHDRAWN.get(i))
}

/// Every code of either list as one bit of the 26³ combinations of three capitals, so that
/// whether three capitals are a code at all is one lookup, not two binary searches (P-8 asks it
/// of every three capitals next to a number).
static LISTED: [u64; 275] = listed();

/// The bit of three capitals in [`LISTED`].
const fn listed_bit(code: [u8; 3]) -> usize {
    let [a, b, c] = code;
    ((a - b'A') as usize * 26 + (b - b'A') as usize) * 26 + (c - b'A') as usize
}

const fn listed() -> [u64; 275] {
    let mut bits = [0_u64; 275];
    let mut i = 0;
    while i < ACTIVE.len() {
        let code = ACTIVE[i].code.as_bytes();
        let bit = listed_bit([code[0], code[1], code[2]]);
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    let mut i = 0;
    while i < WITHDRAWN.len() {
        let code = WITHDRAWN[i].code.as_bytes();
        let bit = listed_bit([code[0], code[1], code[2]]);
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    bits
}

/// Whether `code` is in List One or List Three (`active(code)` or `withdrawn(code)` is some);
/// `false` for anything but three capitals.
pub(crate) fn listed_code(code: &[u8]) -> bool {
    let &[a, b, c] = code else {
        return false;
    };
    if !(a.is_ascii_uppercase() && b.is_ascii_uppercase() && c.is_ascii_uppercase()) {
        return false;
    }
    let bit = listed_bit([a, b, c]);
    LISTED
        .get(bit / 64)
        .is_some_and(|word| word & (1 << (bit % 64)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn well_formed(code: &str) -> bool {
        code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
    }

    #[test]
    fn tables_are_sorted_unique_and_well_formed() {
        assert!(ACTIVE.windows(2).all(|p| p[0].code < p[1].code));
        assert!(WITHDRAWN.windows(2).all(|p| p[0].code < p[1].code));
        assert!(
            ACTIVE
                .iter()
                .all(|r| well_formed(r.code) && !r.name.is_empty())
        );
        assert!(
            WITHDRAWN
                .iter()
                .all(|r| well_formed(r.code) && !r.name.is_empty())
        );
        assert!(ACTIVE.iter().all(|r| (1..=999).contains(&r.numeric)));
        assert_eq!(ACTIVE.len(), 178);
    }

    #[test]
    fn no_code_is_both_active_and_withdrawn() {
        for row in WITHDRAWN {
            assert!(active(row.code).is_none(), "{} is in both lists", row.code);
        }
        for reused in [
            "CUC", "EUR", "IDR", "MWK", "PEN", "RON", "SDG", "SZL", "TRY",
        ] {
            assert!(active(reused).is_some(), "{reused}");
        }
    }

    #[test]
    fn successors_are_active() {
        for row in WITHDRAWN {
            if let Some(s) = row.successor {
                assert!(
                    active(s).is_some(),
                    "successor {s} of {} is not active",
                    row.code
                );
            }
        }
    }

    #[test]
    fn listed_code_is_the_two_searches() {
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                for c in b'A'..=b'Z' {
                    let code = [a, b, c];
                    let text = std::str::from_utf8(&code).unwrap();
                    assert_eq!(
                        listed_code(&code),
                        active(text).is_some() || withdrawn(text).is_some(),
                        "{text}"
                    );
                }
            }
        }
        for other in ["", "US", "USDX", "usd", "Usd", "US$", "U\u{e9}D"] {
            assert!(!listed_code(other.as_bytes()), "{other}");
        }
    }

    #[test]
    fn known_rows() {
        let usd = active("USD").unwrap();
        assert_eq!(
            (usd.numeric, usd.minor_units, usd.name),
            (840, Some(2), "US Dollar")
        );
        assert_eq!(active("JPY").unwrap().minor_units, Some(0));
        assert_eq!(active("KWD").unwrap().minor_units, Some(3));
        assert_eq!(active("CLF").unwrap().minor_units, Some(4));
        assert_eq!(active("XAU").unwrap().minor_units, None);
        assert_eq!(active("ALL").unwrap().numeric, 8);
        let frf = withdrawn("FRF").unwrap();
        assert_eq!(
            (frf.numeric, frf.date, frf.successor),
            (Some(250), "2002-03", Some("EUR"))
        );
        assert_eq!(withdrawn("XFO").unwrap().numeric, None);
        assert!(active("ZZZ").is_none() && withdrawn("ZZZ").is_none());
        assert!(active("").is_none() && withdrawn("usd").is_none());
    }
}
