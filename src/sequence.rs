//! A fixed sequence of numbers for the unit tests that hold a fast path to
//! its plain twin on generated inputs: the same inputs on every run, so a
//! failure replays. (Knuth's MMIX linear congruential generator; its high
//! bits are the ones to use.)

pub(crate) struct Sequence(u64);

impl Sequence {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next state of the generator.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0
    }
}
