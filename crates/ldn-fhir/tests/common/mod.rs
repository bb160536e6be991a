use std::sync::OnceLock;

use ldn_engine::Engine;

/// The bundled data's engine, built once per test binary.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| ldn_data::engine().expect("the bundled data loads"))
}
