// ts-rs 10 writes Rust's i64/u64 as `bigint`, but values cross the Tauri IPC
// as JSON numbers (ids, sizes and offsets all stay far below 2^53). `Wire<T>`
// is the generated type with every `bigint` read as `number`: what the UI
// actually receives and sends.
export type Wire<T> = T extends bigint
  ? number
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends Array<infer U>
      ? Array<Wire<U>>
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;
