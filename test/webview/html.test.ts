/** The webview HTML and CSP builder, checked as text. The browser tests check that Chromium enforces the policy. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContentSecurityPolicy, buildWebviewHtml, createNonce } from '../../src/extension/webview/html';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('webview HTML builder', () => {
  it('policy allows only nonce scripts', () => {
    const policy = buildContentSecurityPolicy({ cspSource: SOURCE, nonce: 'abc' });

    assert.equal(policy, `default-src 'none'; script-src 'nonce-abc'; style-src ${SOURCE}; img-src ${SOURCE} data:`);
    assert.ok(!policy.includes('unsafe-inline'));
    assert.ok(!policy.includes('unsafe-eval'));
  });

  it('workers only when asked', () => {
    const policy = buildContentSecurityPolicy({ cspSource: SOURCE, nonce: 'abc', allowWorkers: true });

    assert.ok(policy.endsWith(`; worker-src ${SOURCE}`));
  });

  it('nonces are fresh base64 of 16 bytes', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));

    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
  });

  it('attributes and title are escaped', () => {
    const html = buildWebviewHtml({
      title: '<script>alert(1)</script>',
      cspSource: SOURCE,
      nonce: 'n"o',
      scriptUri: `${SOURCE}/dist/webview/details.js?a="b"`,
      styleUris: [`${SOURCE}/media/webview/base.css`],
    });

    assert.ok(html.includes('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>'));
    assert.ok(html.includes('nonce="n&quot;o"'));
    assert.ok(html.includes('details.js?a=&quot;b&quot;'));
    assert.equal(html.match(/<script/g)?.length, 1);
  });
});
