pub mod server;
pub mod wire;
