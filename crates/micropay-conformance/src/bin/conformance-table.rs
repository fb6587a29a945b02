//! Prints docs/conformance.md, the coverage table of the corpus.

use std::process::ExitCode;

fn main() -> ExitCode {
    let root = micropay_conformance::corpus_root();
    let cases = match micropay_conformance::discover(&root) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("conformance-table: {e}");
            return ExitCode::from(2);
        }
    };
    let mut loaded = Vec::new();
    for case in cases {
        match case.expected() {
            Ok(expected) => loaded.push((case, expected)),
            Err(e) => {
                eprintln!("conformance-table: {e}");
                return ExitCode::from(2);
            }
        }
    }
    print!("{}", micropay_conformance::coverage::table(&loaded));
    ExitCode::SUCCESS
}
