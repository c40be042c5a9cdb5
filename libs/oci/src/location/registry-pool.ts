import type { CredentialProvider } from '../auth/credentials';
import { connectRegistry, type ConnectOptions, type RegistryConnection } from '../remote/registry';
import { apiHost } from '../reference';

export interface RegistryPoolOptions extends Omit<ConnectOptions, 'credential'> {
  /** Registries (host[:port]) where plain HTTP and unverified TLS are allowed. */
  insecure?: string[];
  credentials?: CredentialProvider;
}

/** One connection per registry for the whole run, so ping, auth tokens and sockets are shared. */
export class RegistryPool {
  private readonly connections = new Map<string, Promise<RegistryConnection>>();
  constructor(private readonly options: RegistryPoolOptions = {}) {}

  connect(registry: string): Promise<RegistryConnection> {
    let connection = this.connections.get(registry);
    if (!connection) {
      connection = (async () => {
        const credential = await this.options.credentials?.(registry);
        const insecure = this.options.insecure?.some((r) => r === registry || apiHost(r) === apiHost(registry));
        return connectRegistry({ registry, insecure }, { ...this.options, credential });
      })();
      connection.catch(() => this.connections.delete(registry));
      this.connections.set(registry, connection);
    }
    return connection;
  }
}
