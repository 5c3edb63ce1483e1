/**
 * Runs the layered layout in a web worker when the graph is big, so the
 * panel stays responsive, and inline otherwise. The worker is this panel's
 * own bundle started again (see main.ts), so the CSP needs `worker-src` for
 * the webview's own origin and nothing else.
 */
import { layoutLayered, type LayoutInputEdge, type LayoutInputNode, type LayoutResult } from '../../src/core/lineage/layout';

/** Graphs with more nodes than this are laid out in the worker. */
export const WORKER_THRESHOLD = 400;

export interface LayoutRequest {
  id: number;
  nodes: LayoutInputNode[];
  edges: LayoutInputEdge[];
}

export type LayoutReply = { id: number; result: LayoutResult } | { id: number; error: string };

export class LayoutClient {
  private worker: Worker | undefined;
  private workerFailed = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: LayoutResult) => void; reject: (error: Error) => void }>();

  constructor(private readonly scriptUrl: string | undefined, private readonly warn: (message: string) => void) {}

  /** True when the last big layout ran in the worker; tests read it. */
  usedWorker = false;

  layout(nodes: LayoutInputNode[], edges: LayoutInputEdge[]): Promise<LayoutResult> {
    const worker = nodes.length > WORKER_THRESHOLD ? this.ensureWorker() : undefined;
    if (!worker) {
      this.usedWorker = false;
      return Promise.resolve(layoutLayered(nodes, edges));
    }

    this.usedWorker = true;
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, nodes, edges } satisfies LayoutRequest);
    });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerFailed || !this.scriptUrl) return this.worker;
    try {
      this.worker = new Worker(this.scriptUrl, { name: 'lineage-layout' });
      this.worker.addEventListener('message', (event: MessageEvent<LayoutReply>) => this.receive(event.data));
      this.worker.addEventListener('error', (event) => {
        this.warn(`The layout worker failed (${event.message}); laying out in the panel instead.`);
        this.failAll(event.message);
      });
    } catch (error) {
      // NOTE: VS Code serves webview resources from another origin than the webview document (a vscode-cdn.net
      // host), and Chromium rejects cross-origin worker scripts, so inside VS Code (code-server 4.139 tested)
      // the layout runs on the panel's thread. A blob: or data: worker would need a wider worker-src.
      this.workerFailed = true;
      this.warn(`Couldn't start the layout worker: ${error instanceof Error ? error.message : String(error)}. Laying out in the panel instead.`);
    }

    return this.worker;
  }

  private receive(reply: LayoutReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.result);
  }

  /** Falls back to inline layout for every request the broken worker held. */
  private failAll(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.workerFailed = true;
    for (const [id, waiting] of this.pending) waiting.reject(new Error(`layout ${id}: ${message}`));
    this.pending.clear();
  }
}

/** Serves layout requests inside the worker: lays out each one and posts the result back. */
export function serveLayoutRequests(scope: { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(message: LayoutReply): void }): void {
  scope.onmessage = (event) => {
    const { id, nodes, edges } = event.data;
    try {
      scope.postMessage({ id, result: layoutLayered(nodes, edges) });
    } catch (error) {
      scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  };
}
