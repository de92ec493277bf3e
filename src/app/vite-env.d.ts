// Vite's client-side additions (import.meta.glob, ?url imports) for the viewer's sources.
/// <reference types="vite/client" />
