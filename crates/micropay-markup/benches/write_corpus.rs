//! Writes the benchmark corpus (benches/corpus) to a directory, one file per page, so that the
//! CLI and memory measurements of docs/performance.md run on the very pages the benches time.
//!
//! `cargo bench -p micropay-markup --bench write_corpus -- DIR [COPIES]`
//!
//! With COPIES > 1, every page but the 10 MB one is written that many times (under
//! DIR/many/), for timing `micropay check` over a directory.

mod corpus;
mod driver_args;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(args) = driver_args::args() else {
        return ExitCode::SUCCESS;
    };
    let mut args = args.into_iter();
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: write_corpus DIR [COPIES]");
        return ExitCode::from(2);
    };
    let copies: usize = match args.next().map(|c| c.parse()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("write_corpus: COPIES: {e}");
            return ExitCode::from(2);
        }
    };
    match write(&dir, copies) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("write_corpus: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn write(dir: &std::path::Path, copies: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let many = dir.join("many");
    if copies > 1 {
        std::fs::create_dir_all(&many)?;
    }
    for page in corpus::pages() {
        let path = dir.join(format!("{}.html", page.name));
        std::fs::write(&path, &page.bytes)?;
        println!(
            "{:>10} bytes {:>6} links  {}",
            page.bytes.len(),
            page.links,
            path.display()
        );
        if copies > 1 && page.bytes.len() < 1_000_000 {
            for i in 0..copies {
                std::fs::write(many.join(format!("{}-{i:04}.html", page.name)), &page.bytes)?;
            }
        }
    }
    if copies > 1 {
        println!(
            "and {copies} copies of each small page in {}",
            many.display()
        );
    }
    Ok(())
}
