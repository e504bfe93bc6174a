// The container's HEALTHCHECK: the process answers /livez on its own port (no curl in the image).
const port = process.env.PORT ?? '8082';
try {
  const res = await fetch(`http://127.0.0.1:${port}/livez`, { signal: AbortSignal.timeout(2000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
