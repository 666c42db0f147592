// Filled in by its issue; see docs/architecture.md for the layout.
export * as schedules from './schedules.js';
