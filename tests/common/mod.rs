pub mod cli;
pub mod postgres;
pub mod seed;
pub mod server;
pub mod wal;
pub mod watching;
pub mod wire;
