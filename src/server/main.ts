/**
 * The `flowyml-assets-lsp` binary. The transport comes from the command
 * line as vscode-languageserver reads it: `--stdio`, `--node-ipc`, `--pipe=…`
 * or `--socket=…`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createServer } from './server';

const USAGE = `Usage: flowyml-assets-lsp --stdio | --node-ipc | --pipe=NAME | --socket=PORT

The FlowyML language server: hovers, CodeLens and navigation for FlowyML
pipeline code, answered from the .flowyml stores of the workspace folders.`;

const TRANSPORTS = ['--stdio', '--node-ipc', '--pipe', '--socket'];
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else if (!args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`))) && process.send === undefined) {
  process.stderr.write(`flowyml-assets-lsp: no transport given.\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  const connection = createConnection(ProposedFeatures.all);
  createServer(connection);
  connection.listen();
}
