fn main() {
    std::process::exit(sesame::run(std::env::args_os()));
}
