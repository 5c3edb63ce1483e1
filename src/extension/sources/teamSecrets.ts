/**
 * The database password and the catalog API key, kept in VS Code's
 * SecretStorage under the source's label (its URL without credentials), so
 * they never reach a settings file or the log.
 */
import * as vscode from 'vscode';

const PASSWORD_PREFIX = 'flowyml.metadataPassword:';
const API_KEY_PREFIX = 'flowyml.catalogApiKey:';

export class TeamSecrets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.subscription = storage.onDidChange((event) => {
      if (event.key.startsWith(PASSWORD_PREFIX) || event.key.startsWith(API_KEY_PREFIX)) this.changed.fire();
    });
  }

  password(label: string): Thenable<string | undefined> {
    return this.storage.get(`${PASSWORD_PREFIX}${label}`);
  }

  apiKey(label: string): Thenable<string | undefined> {
    return this.storage.get(`${API_KEY_PREFIX}${label}`);
  }

  setPassword(label: string, value: string): Thenable<void> {
    return this.storage.store(`${PASSWORD_PREFIX}${label}`, value);
  }

  clearPassword(label: string): Thenable<void> {
    return this.storage.delete(`${PASSWORD_PREFIX}${label}`);
  }

  setApiKey(label: string, value: string): Thenable<void> {
    return this.storage.store(`${API_KEY_PREFIX}${label}`, value);
  }

  clearApiKey(label: string): Thenable<void> {
    return this.storage.delete(`${API_KEY_PREFIX}${label}`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
