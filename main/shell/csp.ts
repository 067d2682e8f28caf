/**
 * The Content-Security-Policy sent with every app:// response. The renderer is a Vite build of
 * plain files: scripts, styles and fonts from our own origin only; images may also be data: URLs
 * (brand icons); nothing may be framed, posted or fetched from elsewhere. React's `style` props
 * go through the CSSOM and need no 'unsafe-inline'. The browser test bridge sends this very
 * header, so the end-to-end tests prove the renderer runs under it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Development only (`npm run dev`, never packaged): Vite's dev server injects an inline
 * React Refresh preamble, inline <style> tags for hot CSS, and talks over a WebSocket.
 */
export function devContentSecurityPolicy(devOrigin: string): string {
  const origin = new URL(devOrigin).origin;
  const socket = origin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${origin}`,
    `style-src 'self' 'unsafe-inline' ${origin}`,
    `img-src 'self' data: ${origin}`,
    `font-src 'self' ${origin}`,
    `connect-src 'self' ${origin} ${socket}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
