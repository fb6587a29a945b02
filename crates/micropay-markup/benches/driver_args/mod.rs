//! The command line of the benchmark drivers (`once`, `write_corpus`), which run outside
//! criterion: `cargo bench -p micropay-markup --bench once -- ARGS`.

/// The arguments after the program's name, without the `--bench` that `cargo bench` adds;
/// `None` when `cargo bench` ran the driver with no arguments of its own, as it runs every
/// bench target of the workspace: there is nothing to do then.
pub fn args() -> Option<Vec<String>> {
    let mut by_cargo_bench = false;
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| {
            let flag = a == "--bench";
            by_cargo_bench |= flag;
            !flag
        })
        .collect();
    (!(by_cargo_bench && args.is_empty())).then_some(args)
}
