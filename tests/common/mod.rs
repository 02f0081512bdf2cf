pub mod seed;
pub mod server;
pub mod wire;
