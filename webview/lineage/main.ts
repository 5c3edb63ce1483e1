/**
 * The lineage panel's bundle. In the panel's document it starts the panel;
 * started again as a web worker (by layoutClient.ts) it serves layout
 * requests. The panel code loads through a dynamic import, which esbuild
 * inlines lazily, so the worker never evaluates the DOM-only modules.
 */
import { serveLayoutRequests } from './layoutClient';

declare const WorkerGlobalScope: { new(): unknown } | undefined;

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  serveLayoutRequests(self as unknown as Parameters<typeof serveLayoutRequests>[0]);
} else {
  // Read now: document.currentScript is null once this script's first run ends.
  const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src;
  void import('./panel.js').then(({ startPanel }) => startPanel(scriptUrl));
}
