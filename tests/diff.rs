mod common;

use common::wire;

#[test]
fn wire_fixtures_have_the_documented_shape() {
    assert_eq!(wire::story_v1().blocks.len(), 15);
    assert_eq!(wire::story_v2().blocks.len(), 15);
    let a = wire::page(&wire::story_v2(), 1);
    let b = wire::page(&wire::story_v2_noise(), 2);
    assert_ne!(a, b);
}
