#!/usr/bin/env node
// The CLI is TypeScript run by Node's type stripping (Node >= 22.18); this shim is the package bin.
await import('./main.ts');
