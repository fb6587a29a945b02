//! What one durable write costs on the disk of a directory of your choice, with no database:
//! the floor under any store that makes each accepted token durable before answering.
//!
//! `cargo bench -p micropay-wallet --bench flush_latency -- [DIR] [WRITES]`
//!
//! For each way, WRITES times (default 300): write 12 KiB (what the replay store's log takes
//! for one token: three pages) after the previous write, then flush it (`fsync`, or
//! `fdatasync`), and time the two together. "append" grows the file at each write, as a new
//! log does; "overwrite" writes over a file already written and flushed, as the log does once
//! a checkpoint lets it start again from the beginning. Prints the median, the 10th and the
//! 90th percentile of each way. The files are made in a new temporary directory inside DIR
//! (default: the system's temporary directory) and removed.

use std::fs::{File, OpenOptions};
use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const WRITE: usize = 12 * 1024;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.is_empty() && std::env::args().any(|a| a == "--bench") {
        eprintln!(
            "flush_latency runs by hand: cargo bench -p micropay-wallet --bench flush_latency -- DIR [WRITES]"
        );
        return ExitCode::SUCCESS;
    }
    let dir = args.first().map_or_else(std::env::temp_dir, Into::into);
    let writes = match args.get(1).map(|w| w.parse::<usize>()) {
        None => 300,
        Some(Ok(writes)) if writes > 0 => writes,
        Some(_) => {
            eprintln!("usage: flush_latency [DIR] [WRITES]");
            return ExitCode::from(2);
        }
    };
    let Ok(dir) = tempfile::tempdir_in(&dir) else {
        eprintln!(
            "flush_latency: cannot make a directory in {}",
            dir.display()
        );
        return ExitCode::from(2);
    };
    println!("{writes} writes of {WRITE} bytes, each flushed: median, 10th and 90th percentile");
    for (way, overwrite, data_only) in [
        ("append + fsync", false, false),
        ("append + fdatasync", false, true),
        ("overwrite + fsync", true, false),
        ("overwrite + fdatasync", true, true),
    ] {
        match time(&dir.path().join("flushed"), writes, overwrite, data_only) {
            Ok(mut took) => {
                took.sort_unstable();
                let at = |q: usize| took[(took.len() - 1) * q / 100];
                println!(
                    "  {way:<22} {:>10.1?} {:>10.1?} {:>10.1?}",
                    at(50),
                    at(10),
                    at(90)
                );
            }
            Err(e) => {
                eprintln!("flush_latency: {way}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// The time of each of `writes` writes with its flush, in a new file at `path`.
fn time(
    path: &Path,
    writes: usize,
    overwrite: bool,
    data_only: bool,
) -> std::io::Result<Vec<Duration>> {
    let mut file: File = OpenOptions::new()
        .create_new(true)
        .read(true)
        .write(true)
        .open(path)?;
    let block = vec![0x5a_u8; WRITE];
    if overwrite {
        file.write_all(&vec![0; WRITE * writes])?;
        file.sync_all()?;
    }
    let mut took = Vec::with_capacity(writes);
    for i in 0..writes {
        let start = Instant::now();
        file.seek(SeekFrom::Start((i * WRITE) as u64))?;
        file.write_all(&block)?;
        if data_only {
            file.sync_data()?;
        } else {
            file.sync_all()?;
        }
        took.push(start.elapsed());
    }
    drop(file);
    std::fs::remove_file(path)?;
    Ok(took)
}
