// Plain JS, no build: the selftest checks that the host loads an extension under development,
// activates it on its command, and returns the command's result to the tests.
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('auroraHostFixture.ping', (text) => `pong: ${text}`),
  );
}

module.exports = { activate, deactivate() {} };
