// Starts `nofault lsp` for Markdown files; the server decides which of them are postmortems.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate() {
  const [command, ...args] = vscode.workspace.getConfiguration("nofault").get("command");
  client = new LanguageClient(
    "nofault",
    "nofault",
    { command, args },
    {
      documentSelector: [{ scheme: "file", language: "markdown" }],
      // Tell the server when its configuration changes on disk, so findings follow it.
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/{.nofault.toml,pyproject.toml}"),
      },
    },
  );
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
