//! The generated TypeScript side of the contract: `ui/src/lib/bindings.ts`
//! holds a declaration of every type a command of [`crate::contract`] takes
//! or replies with (found by walking the types from the contract, not from a
//! hand-kept list), the error shape, and the `Commands` interface on which
//! the UI's typed `ipc.ts` is built. A test fails when the committed file is
//! stale.

/// The whole generated `bindings.ts`.
pub fn typescript_bindings() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (tillit::ipc::typescript_bindings).\n\
         // Do not edit: change the Rust type and regenerate.\n\n",
    );
    for declaration in crate::contract::type_declarations() {
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.push_str(&crate::contract::commands_interface());
    out
}
