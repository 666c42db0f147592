// Filled in by its issue; see docs/architecture.md for the layout.
export {};
